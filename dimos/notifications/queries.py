from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from dimos.notifications.models import CallbackTask, DeliveryAttempt, Notification, SandboxSms

SANDBOX_INBOX_SIZE = 200


def failed_notifications() -> QuerySet[Notification]:
    """Failures nobody has dealt with yet, each with its tries and its e-mail fallback."""
    return (
        Notification.objects.filter(status=Notification.Status.FAILED, handled_at__isnull=True)
        .select_related("recipient", "department", "fallback", "fallback_for")
        .prefetch_related(
            Prefetch(
                "delivery_attempts",
                queryset=DeliveryAttempt.objects.select_related("recorded_by").order_by("number"),
            )
        )
        .order_by("-created_at", "-id")
    )


def callbacks_for(user: Any) -> QuerySet[CallbackTask]:
    """Call-backs still to make by this member of staff: their departments' and the
    unassigned ones (every department's for a superuser)."""
    tasks = CallbackTask.objects.filter(status__in=CallbackTask.TO_DO)
    if not user.is_superuser:
        tasks = tasks.filter(Q(department__isnull=True) | Q(department__in=user.departments.all()))
    return tasks.select_related("notification__recipient", "department", "last_called_by").order_by(
        "created_at", "id"
    )


def attempts_of(notification: Notification) -> QuerySet[DeliveryAttempt]:
    return notification.delivery_attempts.select_related("recorded_by").order_by("number")


def stuck_ids(claimed_before: datetime) -> list[int]:
    return list(
        Notification.objects.filter(
            status=Notification.Status.SENDING, claimed_at__lt=claimed_before
        ).values_list("pk", flat=True)
    )


def due_ids(before: datetime) -> list[int]:
    """Pending notifications that should have been on their way before `before`."""
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=before) | Q(next_attempt_at__lt=before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def sandbox_messages() -> QuerySet[SandboxSms]:
    return SandboxSms.objects.all()[:SANDBOX_INBOX_SIZE]
