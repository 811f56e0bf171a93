"""What the outbox holds about a person, and what closing the account does (core/personal_data)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.notifications.models import CallbackTask, DeliveryAttempt, Notification

_UNSENT = (Notification.Status.PENDING, Notification.Status.CALLING)


def erase_messages(person: Any) -> None:
    """Keep that a message was sent and when; drop where to and what it said. Unsent ones
    are given up, so that nobody is contacted after closing (the closing notice is queued
    after this runs)."""
    mine = Notification.objects.filter(recipient=person)
    now = timezone.now()
    mine.filter(status__in=_UNSENT).update(
        status=Notification.Status.FAILED,
        last_error="account closed",
        handled_at=now,
        next_attempt_at=None,
    )
    mine.update(address="", body="", short_text="")
    DeliveryAttempt.objects.filter(notification__recipient=person).update(address="")
    calls = CallbackTask.objects.filter(notification__recipient=person)
    calls.filter(status__in=CallbackTask.TO_DO).update(status=CallbackTask.Status.UNREACHABLE)
    calls.update(phone="")


register(
    Section(
        key="notifications",
        title=_("Messages we sent you"),
        model=Notification,
        rows=lambda p: Notification.objects.filter(recipient=p).order_by("created_at", "id"),
        columns=[
            "created_at",
            "channel",
            "address",
            "subject",
            "body",
            ("status", _("Status")),
            "sent_at",
        ],
        closure=Closure.ANONYMISE,
        reason=_(
            "Where each message went and what it said are erased; that it was sent, and when, "
            "is kept. Messages not yet sent are cancelled."
        ),
        close=erase_messages,
    )
)
exclude("notifications.DeliveryAttempt", "delivery log of 'notifications'; addresses erased too")
exclude("notifications.CallbackTask", "staff call-back tasks of 'notifications'; phone erased")
