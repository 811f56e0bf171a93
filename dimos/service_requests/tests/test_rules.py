from datetime import date

from dimos.service_requests import rules
from dimos.service_requests.rules import Status


def test_legal_deadline_is_fifty_days_from_filing() -> None:
    # ν.2690/1999 art. 4 §1α
    assert rules.answer_deadline(date(2026, 1, 10), None, 0) == date(2026, 3, 1)


def test_category_override_and_paused_days_move_the_deadline() -> None:
    assert rules.answer_deadline(date(2026, 1, 10), 15, 0) == date(2026, 1, 25)
    assert rules.answer_deadline(date(2026, 1, 10), 15, 4) == date(2026, 1, 29)


def test_overdue_and_due_soon_only_for_open_requests() -> None:
    deadline = date(2026, 3, 1)
    assert rules.is_overdue(deadline, date(2026, 3, 2), Status.IN_PROGRESS)
    assert not rules.is_overdue(deadline, date(2026, 3, 1), Status.IN_PROGRESS)
    assert not rules.is_overdue(deadline, date(2026, 3, 2), Status.RESOLVED)
    assert rules.is_due_soon(deadline, date(2026, 2, 22), Status.RECEIVED)
    assert not rules.is_due_soon(deadline, date(2026, 2, 21), Status.RECEIVED)


def test_reopen_within_thirty_days_of_resolution_only() -> None:
    resolved = date(2026, 5, 1)
    assert rules.may_reopen(Status.RESOLVED, resolved, date(2026, 5, 31))
    assert not rules.may_reopen(Status.RESOLVED, resolved, date(2026, 6, 1))
    assert not rules.may_reopen(Status.CLOSED, resolved, date(2026, 5, 2))


def test_forward_within_three_days() -> None:
    assert rules.forward_deadline(date(2026, 1, 30)) == date(2026, 2, 2)


def test_transitions() -> None:
    assert rules.can_staff_move(Status.SUBMITTED, Status.RECEIVED)
    assert rules.can_staff_move(Status.WAITING_FOR_CITIZEN, Status.RESOLVED)
    assert not rules.can_staff_move(Status.CLOSED, Status.IN_PROGRESS)
    assert not rules.can_staff_move(Status.REJECTED, Status.IN_PROGRESS)
    assert not rules.can_staff_move(Status.IN_PROGRESS, Status.IN_PROGRESS)
