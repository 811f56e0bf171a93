from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.service_requests import actions
from dimos.service_requests.models import Category, ServiceRequest

pytestmark = pytest.mark.django_db


def submission(**overrides: object) -> actions.Submission:
    data: dict[str, object] = {
        "kind": "complaint",
        "category": Category.objects.get(code="street-lighting"),
        "subject": "Σβηστή λάμπα στην οδό Μακεδονίας",
        "description": "Η λάμπα στην κολόνα έξω από το 12 είναι σβηστή εδώ και μια εβδομάδα.",
        "notify_channel": "email",
        "notify_address": "resident@example.gr",
        "address": "Μακεδονίας 12, Κοζάνη",
    }
    data.update(overrides)
    return actions.Submission(**data)  # type: ignore[arg-type]


@time_machine.travel("2026-01-10 10:00 +0200", tick=False)
def test_submission_gets_protocol_deadline_timeline_and_acknowledgement(
    resident: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = actions.do_submit_request(resident, submission())
    second = actions.do_submit_request(resident, submission())
    assert (first.protocol, second.protocol) == ("2026/000001", "2026/000002")
    assert first.public_id == "2026-000001"
    assert first.deadline == date(2026, 3, 1)  # 50 days, ν.2690/1999 art. 4
    assert first.department.code == "technical"
    assert [e.status for e in first.timeline.all()] == ["submitted"]
    assert len(first.tracking_code) == 10
    assert AuditEvent.objects.filter(action="request.submitted", subject=resident).count() == 2
    assert "2026/000001" in mail.outbox[0].subject
    assert "01/03/2026" in mail.outbox[0].body


def test_category_deadline_override(resident: User) -> None:
    category = Category.objects.get(code="cleaning")
    category.answer_days = 10
    category.save()
    service_request = actions.do_submit_request(resident, submission(category=category))
    assert service_request.answer_days == 10
    assert service_request.deadline == service_request.submitted_at.date() + timedelta(days=10)


def test_waiting_for_the_citizen_pauses_the_deadline(resident: User, clerk: User) -> None:
    with time_machine.travel("2026-01-10 10:00 +0200", tick=False):
        service_request = actions.do_submit_request(resident, submission())
    with time_machine.travel("2026-01-12 10:00 +0200", tick=False):
        actions.do_change_status(
            service_request, clerk, "waiting", public_note="Στείλτε μας φωτογραφία της κολόνας."
        )
    with time_machine.travel("2026-01-19 10:00 +0200", tick=False):
        actions.do_citizen_reply(service_request, resident, "Η κολόνα έχει αριθμό 1043.")
    assert service_request.status == "in_progress"
    assert service_request.paused_days == 7
    assert service_request.deadline == date(2026, 3, 8)


def test_completion_notifies_the_citizen_with_the_public_note(
    resident: User, clerk: User, django_capture_on_commit_callbacks: object
) -> None:
    service_request = actions.do_submit_request(resident, submission())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.do_change_status(
            service_request, clerk, "resolved", public_note="Η λάμπα αντικαταστάθηκε."
        )
    assert service_request.status == "resolved"
    assert service_request.resolved_on is not None
    assert "Η λάμπα αντικαταστάθηκε." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [resident.email]


def test_intermediate_changes_are_mailed_only_to_those_who_opted_in(
    resident: User, clerk: User, django_capture_on_commit_callbacks: object
) -> None:
    quiet = actions.do_submit_request(resident, submission())
    chatty = actions.do_submit_request(resident, submission(notify_every_change=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.do_change_status(quiet, clerk, "received")
        actions.do_change_status(chatty, clerk, "received")
    assert len(mail.outbox) == 1
    assert chatty.protocol in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("status", "kwargs", "code"),
    [
        ("rejected", {}, "reason"),
        ("forwarded", {}, "forwarded_to"),
        ("duplicate", {}, "original"),
        ("closed", {}, "transition"),
    ],
)
def test_status_changes_that_need_more_are_refused(
    resident: User, clerk: User, status: str, kwargs: dict[str, object], code: str
) -> None:
    service_request = actions.do_submit_request(resident, submission())
    with pytest.raises(ValidationError) as exc:
        actions.do_change_status(service_request, clerk, status, **kwargs)  # type: ignore[arg-type]
    assert exc.value.code == code
    service_request.refresh_from_db()
    assert service_request.status == "submitted"
    assert service_request.timeline.count() == 1


def test_duplicate_links_to_the_original(resident: User, other_resident: User, clerk: User) -> None:
    original = actions.do_submit_request(resident, submission())
    copy = actions.do_submit_request(other_resident, submission())
    actions.do_change_status(
        copy,
        clerk,
        "duplicate",
        duplicate_of=original,
        public_note="Το ίδιο πρόβλημα έχει ήδη αναφερθεί.",
    )
    assert copy.duplicate_of == original
    assert list(original.duplicates.all()) == [copy]


def test_forwarded_records_where(resident: User, clerk: User) -> None:
    service_request = actions.do_submit_request(resident, submission())
    actions.do_change_status(
        service_request, clerk, "forwarded", forwarded_to="Περιφέρεια Δυτικής Μακεδονίας"
    )
    assert service_request.forwarded_to == "Περιφέρεια Δυτικής Μακεδονίας"


def test_citizen_confirms_or_reopens_within_thirty_days(resident: User, clerk: User) -> None:
    service_request = actions.do_submit_request(resident, submission())
    with time_machine.travel("2026-02-01 10:00 +0200", tick=False):
        actions.do_change_status(service_request, clerk, "resolved")
    with time_machine.travel("2026-02-20 10:00 +0200", tick=False):
        with pytest.raises(ValidationError):
            actions.do_reopen(service_request, resident, "   ")
        actions.do_reopen(service_request, resident, "Η λάμπα έσβησε ξανά.")
    assert service_request.status == "in_progress"
    assert service_request.reopen_count == 1
    with time_machine.travel("2026-02-25 10:00 +0200", tick=False):
        actions.do_change_status(service_request, clerk, "resolved")
    with time_machine.travel("2026-03-28 10:00 +0200", tick=False):
        with pytest.raises(ValidationError):
            actions.do_reopen(service_request, resident, "Πάλι σβηστή.")
        actions.do_confirm_resolution(service_request, resident)
    assert service_request.status == "closed"


def test_assignment_moves_a_new_request_to_assigned(resident: User, clerk: User) -> None:
    service_request = actions.do_submit_request(resident, submission())
    actions.do_assign(service_request, clerk, clerk)
    assert service_request.assignee == clerk
    assert service_request.status == ServiceRequest.Status.ASSIGNED
    assert service_request.timeline.last().status == "assigned"  # type: ignore[union-attr]
