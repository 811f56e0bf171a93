"""Telephone notifications: a call-back task in the department's queue, and its outcomes."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from dimos.accounts.models import Department, User
from dimos.core.models import AuditEvent
from dimos.notifications import actions
from dimos.notifications.models import CallbackTask, DeliveryAttempt, Notification
from dimos.notifications.tests.helpers import STAFF_PERMISSIONS, grant, queue

pytestmark = pytest.mark.django_db
Status = Notification.Status


@pytest.fixture
def task(citizen: User, clerk: User, django_capture_on_commit_callbacks: Any) -> CallbackTask:
    """A call-back for the registry department, the clerk's."""
    citizen.notification_channel = "phone"
    citizen.phone = "2461012345"
    citizen.save()
    registry = Department.objects.get(code="registry")
    with django_capture_on_commit_callbacks(execute=True):
        queue(citizen, department=registry)
    return CallbackTask.objects.get()


def url(task: CallbackTask) -> str:
    return f"/notifications/staff/callbacks/{task.pk}/"


def test_the_clerk_of_the_department_sees_the_call_back_with_the_message(
    task: CallbackTask,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(notifications_clerk)
    listing = client.get("/notifications/staff/callbacks/").content.decode()
    assert "Νίκος Αθανασίου" in listing and url(task) in listing
    response = client.get(url(task))
    page = response.content.decode()
    assert response.status_code == 200
    assert "+302461012345" in page and "2026/000123" in page
    # Looking at someone's telephone number is recorded, for them to see.
    event = AuditEvent.objects.get(action="callback.viewed")
    assert (event.actor, event.subject) == (notifications_clerk, task.notification.recipient)


def test_reaching_the_person_completes_the_notification(
    task: CallbackTask,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
) -> None:
    response = client_for(notifications_clerk).post(
        url(task), {"outcome": "reached", "note": "Ενημερώθηκε."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/staff/callbacks/"
    task.refresh_from_db()
    notification = task.notification
    notification.refresh_from_db()
    assert task.status == CallbackTask.Status.REACHED and not task.is_open
    assert task.last_called_by == notifications_clerk and task.outcome_note == "Ενημερώθηκε."
    assert notification.status == Status.SENT and notification.sent_at is not None
    attempt = notification.delivery_attempts.order_by("number").last()
    assert (attempt.outcome, attempt.recorded_by) == (
        DeliveryAttempt.Outcome.REACHED,
        notifications_clerk,
    )
    assert AuditEvent.objects.filter(action="callback.outcome", actor=notifications_clerk).exists()
    assert not mail.outbox
    # Closed: it leaves the queue, and a second outcome is refused.
    assert client_for(notifications_clerk).get(url(task)).status_code == 404


def test_three_calls_without_an_answer_send_an_email_and_tell_staff(
    task: CallbackTask,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(notifications_clerk)
    for _ in range(2):
        client.post(url(task), {"outcome": "no_answer"})
        task.refresh_from_db()
        assert task.status == CallbackTask.Status.NO_ANSWER and task.is_open
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(task), {"outcome": "no_answer"})
    task.refresh_from_db()
    notification = Notification.objects.get(pk=task.notification_id)
    assert task.status == CallbackTask.Status.UNREACHABLE and task.no_answer_count == 3
    assert notification.status == Status.FAILED and "3" in notification.last_error
    assert notification.fallback.status == Status.SENT
    assert mail.outbox[0].to == [notification.recipient.email]
    assert list(
        notification.delivery_attempts.order_by("number").values_list("outcome", flat=True)
    ) == ["call_queued", "no_answer", "no_answer", "no_answer"]
    failed = client.get("/notifications/staff/failed/").content.decode()
    assert "+302461012345" in failed or "2461012345" in failed


def test_call_again_needs_a_note_saying_when(
    task: CallbackTask,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(notifications_clerk)
    response = client.post(f"/en{url(task)}", {"outcome": "retry", "note": "  "})
    assert response.status_code == 200
    assert "Enter when to call again" in response.content.decode()
    task.refresh_from_db()
    assert task.status == CallbackTask.Status.OPEN and task.last_called_at is None
    client.post(url(task), {"outcome": "retry", "note": "Μετά τις 17:00."})
    task.refresh_from_db()
    assert task.status == CallbackTask.Status.RETRY and task.outcome_note == "Μετά τις 17:00."
    assert task.is_open


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what happened when you called."),
        ({"outcome": "shouted"}, "Choose one of the outcomes shown."),
        ({"outcome": "reached", "note": "x" * 2001}, "Keep the note to 2000 characters"),
    ],
)
def test_bad_outcome_input_is_refused_and_changes_nothing(
    task: CallbackTask,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    data: dict[str, str],
    message: str,
) -> None:
    response = client_for(notifications_clerk).post(f"/en{url(task)}", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    task.refresh_from_db()
    assert task.status == CallbackTask.Status.OPEN
    assert task.notification.delivery_attempts.count() == 1


def test_a_clerk_of_another_department_does_not_get_the_call_back(
    task: CallbackTask,
    clerk_elsewhere: User,
    client_for: Callable[[User], Client],
) -> None:
    elsewhere = grant(clerk_elsewhere, *STAFF_PERMISSIONS)
    client = client_for(elsewhere)
    assert url(task) not in client.get("/notifications/staff/callbacks/").content.decode()
    assert client.get(url(task)).status_code == 404


def test_a_call_back_without_department_is_for_everyone_who_makes_call_backs(
    citizen: User,
    clerk_elsewhere: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    citizen.phone = "2461012345"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        queue(citizen, channel="phone")
    task = CallbackTask.objects.get()
    assert task.department is None
    client = client_for(grant(clerk_elsewhere, *STAFF_PERMISSIONS))
    assert client.get(url(task)).status_code == 200


def test_an_outcome_on_a_closed_call_back_is_refused(
    task: CallbackTask, notifications_clerk: User
) -> None:
    actions.do_record_call_outcome(task, notifications_clerk, outcome="reached")
    with pytest.raises(ValidationError):
        actions.do_record_call_outcome(task, notifications_clerk, outcome="no_answer")
    assert task.notification.delivery_attempts.count() == 2
