from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dimos.accounts.models import User
from dimos.notifications.actions import queue_email
from dimos.notifications.models import Notification
from dimos.notifications.tasks import deliver
from dimos.registry.models import ResidencyClaim

pytestmark = pytest.mark.django_db


def make_notification(person: User) -> Notification:
    claim = ResidencyClaim(first_name="Μαρία", rejection_reason="Λάθος μερίδα.")
    queue_email(person, "residency_rejected", {"claim": claim}, dedup_key="test:1")
    return Notification.objects.get(dedup_key="test:1")


def test_notification_is_written_in_greek_and_sent_once_after_commit(
    citizen: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        make_notification(citizen)
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.SENT
    assert "Λάθος μερίδα." in mail.outbox[0].body
    assert "απορρίφθηκε" in mail.outbox[0].subject
    deliver.call(notification.pk)  # a retried or duplicated delivery
    assert len(mail.outbox) == 1


def test_the_same_event_queues_one_notification(citizen: User) -> None:
    make_notification(citizen)
    make_notification(citizen)
    assert Notification.objects.count() == 1


def test_failed_delivery_is_recorded_and_retried(
    citizen: User, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    notification = make_notification(citizen)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("dimos.notifications.tasks.send_mail", broken)
    assert deliver.call(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1 and "unreachable" in notification.last_error
    monkeypatch.undo()
    assert deliver.call(notification.pk) == "sent"
    assert len(mail.outbox) == 1


def test_notification_lost_between_commit_and_queue_is_sent_by_the_sweep(citizen: User) -> None:
    notification = make_notification(citizen)  # on_commit never ran: the process "died"
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    call_command("deliver_pending_notifications")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
