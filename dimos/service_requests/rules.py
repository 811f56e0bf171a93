"""The rules of requests and complaints, as plain functions: no ORM, no request."""

from datetime import date, timedelta
from enum import StrEnum

DEFAULT_ANSWER_DAYS = 50  # ν.2690/1999 (ΚΔΔ) art. 4 §1α: public services answer within 50 days
FORWARD_WITHIN_DAYS = 3  # ν.2690/1999 art. 4 §1α: a non-competent service forwards within 3 days
REOPEN_WITHIN_DAYS = 30  # municipal practice (issue #3): reopen a resolved request within 30 days
DUE_SOON_DAYS = 7  # back office marker: due within a week


class Status(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CITIZEN = "waiting"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    FORWARDED = "forwarded"
    CLOSED = "closed"


OPEN = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.WAITING_FOR_CITIZEN,
    }
)
# Outcomes the citizen is told of by the channel they chose (seed service 1 c).
COMPLETED = frozenset({Status.RESOLVED, Status.REJECTED, Status.DUPLICATE, Status.FORWARDED})

_WORK = {Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_FOR_CITIZEN}
# Which status a member of staff may move a request to, from each status.
STAFF_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset(_WORK | COMPLETED),
    Status.RECEIVED: frozenset(_WORK - {Status.RECEIVED} | COMPLETED),
    Status.ASSIGNED: frozenset(_WORK - {Status.ASSIGNED} | COMPLETED),
    Status.IN_PROGRESS: frozenset(_WORK - {Status.IN_PROGRESS, Status.RECEIVED} | COMPLETED),
    Status.WAITING_FOR_CITIZEN: frozenset({Status.IN_PROGRESS} | COMPLETED),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.REJECTED: frozenset({Status.CLOSED}),
    Status.DUPLICATE: frozenset({Status.CLOSED}),
    Status.FORWARDED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def can_staff_move(current: Status, new: Status) -> bool:
    return new in STAFF_TRANSITIONS[current]


def answer_deadline(filed_on: date, answer_days: int | None, paused_days: int) -> date:
    """The legal answer date: filing + the category's days (default 50) + days spent waiting
    for the citizen, when the clock is stopped (ΚΔΔ art. 4 §1α: the time runs only once
    everything needed is with the service)."""
    return filed_on + timedelta(days=(answer_days or DEFAULT_ANSWER_DAYS) + paused_days)


def days_left(deadline: date, today: date) -> int:
    """Calendar days until the deadline; negative when overdue."""
    return (deadline - today).days


def is_overdue(deadline: date, today: date, status: Status) -> bool:
    return status in OPEN and today > deadline


def is_due_soon(deadline: date, today: date, status: Status) -> bool:
    return status in OPEN and 0 <= days_left(deadline, today) <= DUE_SOON_DAYS


def forward_deadline(filed_on: date) -> date:
    return filed_on + timedelta(days=FORWARD_WITHIN_DAYS)


def may_reopen(status: Status, resolved_on: date | None, today: date) -> bool:
    return (
        status == Status.RESOLVED
        and resolved_on is not None
        and (today - resolved_on).days <= REOPEN_WITHIN_DAYS
    )


def paused_days_between(since: date, until: date) -> int:
    return max((until - since).days, 0)
