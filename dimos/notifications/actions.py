"""Writes of the outbox: one for the whole product, many channels.

Other apps call `queue_notification` (or `queue_email`) inside the transaction of the change
they report: the message is written with it and handed to the worker only after commit.

Delivery (dimos/notifications/delivery.py) is three steps so that a worker killed at any
moment loses nothing and sends nothing twice: `do_claim_delivery` marks the row "sending" in
one short transaction; the channel talks to the outside world outside any transaction; then
`do_record_delivered` / `do_record_failed` record the result in another. A row left "sending"
is put back by `do_recover_stuck` (the sweep command).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dimos.accounts.models import Department, NotificationChannel, User
from dimos.core import audit
from dimos.notifications import rules
from dimos.notifications.channels import Delivered, DeliveryError
from dimos.notifications.models import (
    CallbackTask,
    CallOutcome,
    DeliveryAttempt,
    Notification,
)
from dimos.notifications.tasks import deliver

logger = logging.getLogger(__name__)

DEFAULT_CLAIM_TIMEOUT_SECONDS = 600


# --- Queueing ------------------------------------------------------------------------------


def address_for(recipient: User, channel: str) -> str:
    """Where the person wants to be reached by `channel`; checked when it is used."""
    if channel == NotificationChannel.SMS:
        return recipient.mobile
    if channel == NotificationChannel.FAX:
        return recipient.fax
    if channel == NotificationChannel.PHONE:
        return recipient.phone or recipient.mobile
    return recipient.email


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, body and SMS text, in Greek whatever the language of the request."""
    with translation.override("el"):
        subject = render_to_string(f"notifications/{template}_subject.txt", context)
        body = str(render_to_string(f"notifications/{template}_body.txt", context))
        try:
            short = str(render_to_string(f"notifications/{template}_sms.txt", context))
        except TemplateDoesNotExist:
            short = subject
    # The subject is an e-mail header: one line, and it must fit its column.
    subject_max = Notification._meta.get_field("subject").max_length or 250
    return rules.one_line(subject, subject_max), body, rules.shorten_sms(short)


def _deliver_after_commit(notification_id: int) -> None:
    # robust: a failure to enqueue must not break the caller's response; the sweep retries.
    transaction.on_commit(lambda: deliver.enqueue(notification_id), robust=True)


def queue_notification(
    recipient: User,
    template: str,
    context: dict[str, Any],
    *,
    dedup_key: str,
    channel: str | None = None,
    department: Department | None = None,
    address: str | None = None,
) -> Notification:
    """Queue `notifications/<template>_subject.txt`, `_body.txt` (and `_sms.txt`, if there is
    one; else SMS carry the subject) for `recipient`, by `channel` or the person's choice.

    Call inside the transaction of the change being reported. The same `dedup_key` queues
    nothing twice and returns the notification queued the first time. `department` is whose
    call-back queue a telephone notification goes to (none: anyone who makes call-backs).
    `address` overrides the person's own (e.g. what they gave on a request form).
    """
    chosen = _channel(recipient, channel)
    existing = Notification.objects.filter(dedup_key=dedup_key).first()
    if existing is not None:
        return existing
    unsaved = _unsaved(recipient, template, context, dedup_key, chosen, department, address)
    notification, created = Notification.objects.get_or_create(
        dedup_key=dedup_key,
        defaults={field: getattr(unsaved, field) for field in _QUEUED_FIELDS},
    )
    if created:
        _deliver_after_commit(notification.pk)
    return notification


_QUEUED_FIELDS = ("recipient", "channel", "address", "subject", "body", "short_text", "department")


def _channel(recipient: User, channel: str | None) -> str:
    chosen = channel or recipient.notification_channel or NotificationChannel.EMAIL
    if chosen not in NotificationChannel.values:
        raise ValueError(f"Unknown notification channel {chosen!r}")
    return chosen


def _unsaved(
    recipient: User,
    template: str,
    context: dict[str, Any],
    dedup_key: str,
    channel: str,
    department: Department | None = None,
    address: str | None = None,
) -> Notification:
    subject, body, short_text = _render(
        template, {"recipient": recipient, "channel": channel, **context}
    )
    return Notification(
        dedup_key=dedup_key,
        recipient=recipient,
        channel=channel,
        address=address or address_for(recipient, channel),
        subject=subject,
        body=body,
        short_text=short_text,
        department=department,
    )


@dataclass(frozen=True)
class ToQueue:
    """One message for `queue_notifications`: the arguments of `queue_notification`."""

    recipient: User
    template: str
    context: dict[str, Any]
    dedup_key: str
    channel: str | None = None


def queue_notifications(messages: list[ToQueue]) -> None:
    """`queue_notification` for many messages at once (a bank statement's receipts): one
    query for the keys already queued, one insert, one hand-over to the worker after commit.
    A key already queued, or twice in `messages`, queues nothing the second time."""
    keys = [message.dedup_key for message in messages]
    seen = set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    new: list[Notification] = []
    for message in messages:
        if message.dedup_key in seen:
            continue
        seen.add(message.dedup_key)
        chosen = _channel(message.recipient, message.channel)
        new.append(
            _unsaved(
                message.recipient, message.template, message.context, message.dedup_key, chosen
            )
        )
    if not new:
        return
    try:
        with transaction.atomic():  # a savepoint: a racing twin may queue one of the same keys
            Notification.objects.bulk_create(new, batch_size=1000)
    except IntegrityError:
        for message in messages:  # one by one, each skipping what the twin queued
            queue_notification(
                message.recipient,
                message.template,
                message.context,
                dedup_key=message.dedup_key,
                channel=message.channel,
            )
        return
    ids = [notification.pk for notification in new]
    transaction.on_commit(lambda: _enqueue_all(ids), robust=True)


def _enqueue_all(notification_ids: list[int]) -> None:
    if len(notification_ids) == 1:
        deliver.enqueue(notification_ids[0])
        return
    with transaction.atomic():  # one commit for all the worker's tasks, not one each
        for notification_id in notification_ids:
            deliver.enqueue(notification_id)


def queue_email(
    recipient: User, template: str, context: dict[str, Any], dedup_key: str
) -> Notification:
    """Account matters go by e-mail whatever the person's preferred channel: the account is
    an e-mail address."""
    return queue_notification(
        recipient, template, context, dedup_key=dedup_key, channel=NotificationChannel.EMAIL
    )


# --- Delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    notification: Notification
    token: uuid.UUID
    attempt_id: int


def claim_timeout() -> timedelta:
    """How long a delivery may stay "sending" before the sweep takes it as interrupted.

    Far longer than any send may take (the SMS HTTP timeout, EMAIL_TIMEOUT), so that a slow
    delivery still running is not started a second time.
    """
    seconds = getattr(settings, "DIMOS_NOTIFICATION_CLAIM_TIMEOUT", DEFAULT_CLAIM_TIMEOUT_SECONDS)
    return timedelta(seconds=int(seconds))


def do_claim_delivery(notification_id: int, now: datetime | None = None) -> Claim | None:
    """Take a pending, due notification for sending; None if it is not (any longer) ours."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return None
        if notification.next_attempt_at is not None and notification.next_attempt_at > now:
            return None  # not due: an early duplicate of the retry's task
        notification.status = Notification.Status.SENDING
        notification.claimed_at = now
        notification.claim_token = uuid.uuid4()
        notification.attempts += 1
        notification.save(update_fields=["status", "claimed_at", "claim_token", "attempts"])
        attempt = DeliveryAttempt.objects.create(
            notification=notification,
            number=notification.attempts,
            channel=notification.channel,
            address=notification.address,
            started_at=now,
        )
    assert notification.claim_token is not None
    return Claim(notification, notification.claim_token, attempt.pk)


def _lock(claim: Claim) -> tuple[Notification, DeliveryAttempt]:
    notification = Notification.objects.select_for_update().get(pk=claim.notification.pk)
    attempt = DeliveryAttempt.objects.select_for_update().get(pk=claim.attempt_id)
    return notification, attempt


def _release(notification: Notification) -> None:
    notification.claimed_at = None
    notification.claim_token = None


def _still_ours(notification: Notification, claim: Claim) -> bool:
    return (
        notification.status == Notification.Status.SENDING
        and notification.claim_token == claim.token
    )


def do_record_delivered(claim: Claim, delivered: Delivered, now: datetime | None = None) -> str:
    now = now or timezone.now()
    with transaction.atomic():
        notification, attempt = _lock(claim)
        attempt.finished_at = now
        attempt.address = delivered.address
        attempt.provider_id = delivered.provider_id
        attempt.outcome = (
            DeliveryAttempt.Outcome.HANDED_TO_STAFF
            if delivered.handed_to_staff
            else DeliveryAttempt.Outcome.SENT
        )
        if notification.status not in (Notification.Status.PENDING, Notification.Status.SENDING):
            # This try was taken as interrupted and another one finished the notification:
            # the provider sees the same reference / Message-ID twice and can tell.
            attempt.error = _("Finished after another try had already completed it.")
            attempt.save()
            return "duplicate"
        attempt.save()
        if delivered.handed_to_staff:
            CallbackTask.objects.get_or_create(
                notification=notification,
                defaults={"department": notification.department, "phone": delivered.address},
            )
            notification.status = Notification.Status.CALLING
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = now
            notification.provider_message_id = delivered.provider_id
        _release(notification)
        notification.save()
    return "calling" if delivered.handed_to_staff else "sent"


def _schedule_retry(notification_id: int, at: datetime) -> None:
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=at).enqueue(notification_id)
    # Otherwise the sweep command hands it to the worker once it is due.


def do_record_failed(claim: Claim, failure: DeliveryError, now: datetime | None = None) -> str:
    now = now or timezone.now()
    message = str(failure)[:2000]
    with transaction.atomic():
        notification, attempt = _lock(claim)
        attempt.finished_at = now
        attempt.error = message
        attempt.address = failure.address or attempt.address
        if not _still_ours(notification, claim):
            # The sweep took this try as interrupted; the notification has moved on.
            attempt.save()
            return "superseded"
        notification.last_error = message
        _release(notification)
        if failure.retry and rules.may_retry(notification.attempts):
            attempt.outcome = DeliveryAttempt.Outcome.RETRY
            attempt.save()
            notification.status = Notification.Status.PENDING
            notification.next_attempt_at = now + rules.retry_delay(notification.attempts)
            notification.save()
            at = notification.next_attempt_at
            transaction.on_commit(lambda: _schedule_retry(notification.pk, at), robust=True)
            return "retry"
        attempt.outcome = DeliveryAttempt.Outcome.FAILED
        attempt.save()
        _fail_for_good(notification)
    return "failed"


def _fail_for_good(notification: Notification) -> None:
    """Give up on this channel: the person is sent the same message by e-mail instead, and
    the failure waits in the staff queue "Notifications that failed". Inside a transaction."""
    notification.status = Notification.Status.FAILED
    notification.next_attempt_at = None
    _release(notification)
    notification.save()
    fallback = None
    if notification.channel != NotificationChannel.EMAIL:
        fallback, created = Notification.objects.get_or_create(
            dedup_key=f"fallback:{notification.pk}",
            defaults={
                "recipient": notification.recipient,
                "channel": NotificationChannel.EMAIL,
                "address": notification.recipient.email,
                "subject": notification.subject,
                "body": notification.body,
                "short_text": notification.short_text,
                "department": notification.department,
                "fallback_for": notification,
            },
        )
        if created:
            _deliver_after_commit(fallback.pk)
    logger.warning(
        "notification %s by %s failed for good: %s",
        notification.pk,
        notification.channel,
        notification.last_error,
    )
    audit.record(
        "notification.failed",
        notification,
        subject=notification.recipient,
        channel=notification.channel,
        error=notification.last_error[:500],
        fallback=fallback.pk if fallback is not None else None,
    )


def do_recover_stuck(notification_id: int, now: datetime | None = None) -> bool:
    """Put back a notification whose worker died while sending it (the sweep calls this).

    Sending it again is safe: the SMS provider gets the same client reference, the e-mail the
    same Message-ID. A notification that keeps killing its worker fails for good after
    MAX_ATTEMPTS, like any other.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if (
            notification is None
            or notification.status != Notification.Status.SENDING
            or notification.claimed_at is None
            or notification.claimed_at > now - claim_timeout()
        ):
            return False
        note = _("The delivery was interrupted (the worker stopped); it is tried again.")
        DeliveryAttempt.objects.filter(
            notification=notification, outcome=DeliveryAttempt.Outcome.IN_PROGRESS
        ).update(outcome=DeliveryAttempt.Outcome.INTERRUPTED, finished_at=now, error=note)
        notification.last_error = note
        if rules.may_retry(notification.attempts):
            notification.status = Notification.Status.PENDING
            notification.next_attempt_at = now
            _release(notification)
            notification.save()
            _deliver_after_commit(notification.pk)
        else:
            _fail_for_good(notification)
    logger.warning("notification %s was stuck in sending; put back", notification_id)
    return True


# --- Staff ---------------------------------------------------------------------------------


def do_record_call_outcome(
    task: CallbackTask,
    clerk: User,
    *,
    outcome: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> None:
    """A member of staff called the person back. Three calls unanswered: e-mail instead."""
    now = timezone.now()
    with transaction.atomic():
        locked = CallbackTask.objects.select_for_update().get(pk=task.pk)
        if not locked.is_open:
            raise ValidationError(
                _("This call-back was already closed, perhaps by a colleague just now."),
                code="closed",
            )
        notification = Notification.objects.select_for_update().get(pk=locked.notification_id)
        notification.attempts += 1
        attempt = DeliveryAttempt(
            notification=notification,
            number=notification.attempts,
            channel=NotificationChannel.PHONE,
            address=locked.phone,
            started_at=now,
            finished_at=now,
            error=note,
            recorded_by=clerk,
        )
        locked.last_called_by = clerk
        locked.last_called_at = now
        locked.outcome_note = note
        if outcome == CallOutcome.REACHED:
            attempt.outcome = DeliveryAttempt.Outcome.REACHED
            locked.status = CallbackTask.Status.REACHED
            notification.status = Notification.Status.SENT
            notification.sent_at = now
        elif outcome == CallOutcome.NO_ANSWER:
            attempt.outcome = DeliveryAttempt.Outcome.NO_ANSWER
            locked.no_answer_count += 1
            locked.status = CallbackTask.Status.NO_ANSWER
        elif outcome == CallOutcome.RETRY:
            attempt.outcome = DeliveryAttempt.Outcome.CALL_AGAIN
            locked.status = CallbackTask.Status.RETRY
        else:
            raise ValidationError(_("Choose what happened when you called."), code="outcome")
        attempt.save()
        if locked.no_answer_count >= rules.CALL_MAX_NO_ANSWER:
            locked.status = CallbackTask.Status.UNREACHABLE
            notification.last_error = _("No answer to %(count)d calls.") % {
                "count": locked.no_answer_count
            }
            _fail_for_good(notification)
        else:
            notification.save()
        locked.save()
        audit.record(
            "callback.outcome",
            locked,
            actor=clerk,
            request=request,
            subject=notification.recipient,
            outcome=outcome,
            note=note,
        )
    task.refresh_from_db()


def do_mark_failure_handled(
    notification: Notification, clerk: User, request: HttpRequest | None = None
) -> None:
    """A member of staff has dealt with a failed notification: it leaves the queue."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status != Notification.Status.FAILED or locked.handled_at is not None:
            raise ValidationError(
                _("This notification is no longer waiting: someone has already dealt with it."),
                code="handled",
            )
        locked.handled_at = timezone.now()
        locked.handled_by = clerk
        locked.save(update_fields=["handled_at", "handled_by"])
        audit.record(
            "notification.failure_handled",
            locked,
            actor=clerk,
            request=request,
            subject=locked.recipient,
        )
    notification.refresh_from_db()
