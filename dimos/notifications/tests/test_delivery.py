from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from dimos.accounts.models import Department, User
from dimos.core.models import AuditEvent
from dimos.notifications import actions, channels, rules
from dimos.notifications.actions import queue_email
from dimos.notifications.models import CallbackTask, DeliveryAttempt, Notification, SandboxSms
from dimos.notifications.sms import SandboxSmsProvider, SmsError
from dimos.notifications.tasks import deliver
from dimos.notifications.tests.helpers import NUMBER, queue
from dimos.registry.models import ResidencyClaim

pytestmark = pytest.mark.django_db
Status = Notification.Status
Outcome = DeliveryAttempt.Outcome


def sweep(capture: Any, *, later: timedelta = timedelta(0), **options: Any) -> None:
    """Run the sweep command `later` from now, with its after-commit hand-overs."""
    with time_machine.travel(timezone.now() + later, tick=False), capture(execute=True):
        call_command("deliver_pending_notifications", **options)


def outcomes(notification: Notification) -> list[str]:
    return list(notification.delivery_attempts.order_by("number").values_list("outcome", flat=True))


def broken_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: EmailMessage, fail_silently: bool = False) -> int:
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr(EmailMessage, "send", broken)


# --- The existing contract of queue_email ---------------------------------------------------


def make_email(person: User) -> Notification:
    claim = ResidencyClaim(first_name="Μαρία", rejection_reason="Λάθος μερίδα.")
    return queue_email(person, "residency_rejected", {"claim": claim}, dedup_key="test:1")


def test_notification_is_written_in_greek_and_sent_once_after_commit(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_email(citizen)
    notification = Notification.objects.get()
    assert notification.status == Status.SENT
    assert "Λάθος μερίδα." in mail.outbox[0].body
    assert "απορρίφθηκε" in mail.outbox[0].subject
    deliver.call(notification.pk)  # a retried or duplicated delivery
    assert len(mail.outbox) == 1


def test_queue_email_ignores_the_preferred_channel(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.notification_channel = "sms"
    citizen.mobile = "6912345678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = make_email(citizen)
    assert notification.channel == "email"
    assert mail.outbox[0].to == [citizen.email]
    assert not SandboxSms.objects.exists()


def test_the_same_event_queues_one_notification(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(citizen)
        second = queue(citizen, channel="sms")  # a retried event, even with other arguments
    assert first.pk == second.pk and Notification.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_notification_lost_between_commit_and_queue_is_sent_by_the_sweep(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    notification = queue(citizen)  # on_commit never ran: the process "died"
    sweep(django_capture_on_commit_callbacks)  # too early: the worker may be on it
    assert len(mail.outbox) == 0
    sweep(django_capture_on_commit_callbacks, later=timedelta(minutes=6))
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mail.outbox) == 1


# --- Channels -------------------------------------------------------------------------------


def test_email_is_the_default_and_carries_a_message_id_from_the_notification(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen)
    notification.refresh_from_db()
    message = mail.outbox[0]
    assert notification.channel == "email" and notification.status == Status.SENT
    assert message.to == [citizen.email]
    assert message.subject == f"Το αίτημά σας {NUMBER} ολοκληρώθηκε"
    assert "Νίκος Αθανασίου" in message.body
    expected_id = f"<notification-{notification.pk}@dimos.example.gr>"
    assert message.message()["Message-ID"] == expected_id
    attempt = notification.delivery_attempts.get()
    assert (attempt.outcome, attempt.provider_id, attempt.channel) == (
        Outcome.SENT,
        expected_id,
        "email",
    )
    assert notification.provider_message_id == expected_id


def test_sms_by_the_persons_choice_goes_to_the_sandbox(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.notification_channel = "sms"
    citizen.mobile = "691 234 5678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen)
    notification.refresh_from_db()
    sms = SandboxSms.objects.get()
    assert notification.channel == "sms" and notification.status == Status.SENT
    assert sms.to == "+306912345678"
    assert sms.reference == str(notification.pk)
    assert sms.text == f"Δήμος: το αίτημα {NUMBER} ολοκληρώθηκε. Δείτε το στο portal."
    assert sms.sender == "Dimos"
    assert notification.delivery_attempts.get().provider_id == sms.provider_id
    assert not mail.outbox


def test_sms_without_an_sms_template_carries_the_subject(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.mobile = "6912345678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        queue(citizen, channel="sms", template="test_plain")
    assert SandboxSms.objects.get().text == f"Ενημέρωση για το {NUMBER}"


def test_fax_is_an_email_to_the_gateway(
    citizen: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DIMOS_FAX_EMAIL_PATTERN = "{number}@fax.example.gr"
    citizen.fax = "24610 12345"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel="fax")
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert mail.outbox[0].to == ["302461012345@fax.example.gr"]
    assert (
        mail.outbox[0].message()["Message-ID"]
        == f"<notification-{notification.pk}@dimos.example.gr>"
    )
    assert notification.delivery_attempts.get().address == "302461012345@fax.example.gr"


def test_telephone_creates_a_call_back_task_in_the_department(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    technical = Department.objects.create(code="tech", name="Τεχνική Υπηρεσία")
    citizen.notification_channel = "phone"
    citizen.phone = "2461012345"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, department=technical)
    notification.refresh_from_db()
    task = CallbackTask.objects.get()
    assert notification.status == Status.CALLING
    assert (task.notification, task.department, task.phone, task.status) == (
        notification,
        technical,
        "+302461012345",
        CallbackTask.Status.OPEN,
    )
    assert outcomes(notification) == [Outcome.HANDED_TO_STAFF]
    deliver.call(notification.pk)  # a duplicated task creates no second call-back
    assert CallbackTask.objects.count() == 1
    assert not mail.outbox


def test_telephone_without_a_landline_uses_the_mobile(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.mobile = "6912345678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        queue(citizen, channel="phone")
    assert CallbackTask.objects.get().phone == "+306912345678"


def test_unknown_channel_is_a_programming_error(citizen: User) -> None:
    with pytest.raises(ValueError, match="pigeon"):
        queue(citizen, channel="pigeon")


# --- Failures, retries, fallback ------------------------------------------------------------


def test_failed_delivery_is_recorded_and_retried_later(
    citizen: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    broken_mail(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen)
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1 and "unreachable" in notification.last_error
    assert notification.next_attempt_at is not None
    wait = notification.next_attempt_at - notification.delivery_attempts.get().finished_at
    assert wait == timedelta(minutes=1)
    assert outcomes(notification) == [Outcome.RETRY]
    assert deliver.call(notification.pk) == "skipped"  # not due yet
    monkeypatch.undo()
    sweep(django_capture_on_commit_callbacks, later=timedelta(minutes=7))
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert outcomes(notification) == [Outcome.RETRY, Outcome.SENT]
    assert len(mail.outbox) == 1


def test_retries_back_off_then_fail_for_good_and_fall_back_to_email(
    citizen: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def provider_down(self: SandboxSmsProvider, to: str, text: str, reference: str) -> str:
        raise SmsError("SMS provider answered HTTP 503", retry=True)

    monkeypatch.setattr(SandboxSmsProvider, "send", provider_down)
    citizen.mobile = "6912345678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel="sms")
    waits = []
    for _ in range(rules.MAX_ATTEMPTS - 1):
        notification.refresh_from_db()
        assert notification.status == Status.PENDING
        last = notification.delivery_attempts.order_by("number").last()
        waits.append(notification.next_attempt_at - last.finished_at)
        with (
            time_machine.travel(notification.next_attempt_at, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            deliver.call(notification.pk)
    notification.refresh_from_db()
    assert [w / timedelta(minutes=1) for w in waits] == [1, 5, 25, 125]
    assert notification.status == Status.FAILED
    assert outcomes(notification) == [Outcome.RETRY] * 4 + [Outcome.FAILED]
    fallback = notification.fallback
    assert (fallback.channel, fallback.status, fallback.address) == (
        "email",
        Status.SENT,
        citizen.email,
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == notification.subject
    event = AuditEvent.objects.get(action="notification.failed")
    assert event.subject == citizen and event.details["fallback"] == fallback.pk


def test_invalid_mobile_number_fails_at_once_with_a_clear_error_and_falls_back(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.mobile = "12345"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel="sms")
    notification.refresh_from_db()
    attempt = notification.delivery_attempts.get()
    assert notification.status == Status.FAILED and attempt.outcome == Outcome.FAILED
    assert attempt.error.startswith("Ο αριθμός «12345» δεν είναι αριθμός κινητού τηλεφώνου")
    assert "αρχίζει από 69" in attempt.error
    assert not SandboxSms.objects.exists()
    assert notification.fallback.status == Status.SENT
    assert mail.outbox[0].to == [citizen.email]


@pytest.mark.parametrize("channel", ["sms", "fax", "phone"])
def test_no_number_fails_at_once_and_falls_back(
    citizen: User, channel: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel=channel)
    notification.refresh_from_db()
    assert notification.status == Status.FAILED and notification.attempts == 1
    assert notification.fallback.status == Status.SENT
    assert not CallbackTask.objects.exists()
    assert len(mail.outbox) == 1


def test_fax_without_a_gateway_falls_back(
    citizen: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DIMOS_FAX_EMAIL_PATTERN = ""
    citizen.fax = "2461012345"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel="fax")
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert "DIMOS_FAX_EMAIL_PATTERN" in notification.last_error
    assert mail.outbox[0].to == [citizen.email]


def test_sandbox_provider_refuses_outside_the_sandbox(
    citizen: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SANDBOX_ENABLED = False
    citizen.mobile = "6912345678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel="sms")
    notification.refresh_from_db()
    assert notification.status == Status.FAILED and "DIMOS_SANDBOX" in notification.last_error
    assert not SandboxSms.objects.exists()
    assert len(mail.outbox) == 1


def test_email_that_fails_for_good_has_no_fallback(
    citizen: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    broken_mail(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen)
    for _ in range(rules.MAX_ATTEMPTS - 1):
        notification.refresh_from_db()
        with time_machine.travel(notification.next_attempt_at, tick=False):
            deliver.call(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.FAILED and notification.attempts == rules.MAX_ATTEMPTS
    assert Notification.objects.count() == 1


def test_unexpected_error_is_recorded_and_retried_not_left_sending(
    citizen: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(notification: Notification) -> channels.Delivered:
        raise KeyError("surprise")

    monkeypatch.setitem(channels.SENDERS, "email", bug)
    notification = queue(citizen)
    assert deliver.call(notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.status == Status.PENDING and "surprise" in notification.last_error


# --- A worker killed mid-delivery loses nothing and sends nothing twice ---------------------


def test_worker_killed_after_the_claim_is_recovered_by_the_sweep_and_sends_once(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    notification = queue(citizen)
    claim = actions.do_claim_delivery(notification.pk)  # … and the worker dies here
    assert claim is not None
    notification.refresh_from_db()
    assert notification.status == Status.SENDING and notification.claim_token == claim.token
    assert deliver.call(notification.pk) == "skipped"  # a second worker leaves it alone

    sweep(django_capture_on_commit_callbacks, later=timedelta(minutes=6))  # not stuck yet
    notification.refresh_from_db()
    assert notification.status == Status.SENDING and not mail.outbox

    sweep(django_capture_on_commit_callbacks, later=timedelta(minutes=11))
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mail.outbox) == 1
    assert outcomes(notification) == [Outcome.INTERRUPTED, Outcome.SENT]
    # The dead worker's claim decides nothing any more.
    late = channels.DeliveryError("late answer", retry=True)
    assert actions.do_record_failed(claim, late) == "superseded"
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    sweep(django_capture_on_commit_callbacks, later=timedelta(hours=1))
    assert len(mail.outbox) == 1


def test_worker_killed_after_sending_an_sms_does_not_send_it_twice(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.mobile = "6912345678"
    citizen.save()
    notification = queue(citizen, channel="sms")
    claim = actions.do_claim_delivery(notification.pk)
    assert claim is not None
    channels.send(claim.notification)  # the SMS went out … and the worker died before recording
    sweep(django_capture_on_commit_callbacks, later=timedelta(minutes=11))
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert SandboxSms.objects.count() == 1  # the provider saw the same reference twice
    assert outcomes(notification) == [Outcome.INTERRUPTED, Outcome.SENT]


def test_an_email_sent_again_after_a_crash_has_the_same_message_id(citizen: User) -> None:
    notification = queue(citizen)
    channels.send(notification)
    channels.send(notification)
    first, second = (m.message()["Message-ID"] for m in mail.outbox)
    assert first == second == f"<notification-{notification.pk}@dimos.example.gr>"


def test_a_worker_that_keeps_dying_ends_in_a_failure_and_the_fallback(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.mobile = "6912345678"
    citizen.save()
    notification = queue(citizen, channel="sms")
    now = timezone.now()
    for n in range(rules.MAX_ATTEMPTS):
        with time_machine.travel(now + timedelta(hours=n), tick=False):
            assert actions.do_claim_delivery(notification.pk) is not None  # dies each time
        with time_machine.travel(now + timedelta(hours=n, minutes=30), tick=False):
            assert actions.do_recover_stuck(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert outcomes(notification) == [Outcome.INTERRUPTED] * rules.MAX_ATTEMPTS
    assert notification.fallback.channel == "email"


def test_delivering_twice_sends_once(citizen: User) -> None:
    notification = queue(citizen)
    assert deliver.call(notification.pk) == "sent"
    assert deliver.call(notification.pk) == "skipped"
    assert deliver.call(999_999) == "skipped"
    assert len(mail.outbox) == 1
    assert notification.delivery_attempts.count() == 1


def test_sweep_reports_what_it_did(
    citizen: User, capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    queue(citizen)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        call_command("deliver_pending_notifications")
    assert "0 interrupted notification(s) put back, 1 notification(s) queued again" in (
        capsys.readouterr().out
    )


def test_a_retry_is_scheduled_at_its_time_when_the_backend_can_defer(
    citizen: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    broken_mail(monkeypatch)
    notification = queue(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver.call(notification.pk) == "retry"
    notification.refresh_from_db()
    [scheduled] = deliver.get_backend().results  # type: ignore[attr-defined]
    assert scheduled.args == [notification.pk]
    assert scheduled.task.run_after == notification.next_attempt_at


def test_a_long_subject_is_cut_to_fit_and_kept_on_one_line(citizen: User) -> None:
    notification = actions.queue_notification(
        citizen, "test_plain", {"number": "Α\nΒ " * 200}, dedup_key="long:1"
    )
    assert len(notification.subject) <= 250 and notification.subject.endswith("…")
    assert "\n" not in notification.subject
    assert len(notification.short_text) <= rules.SMS_MAX_CHARS
