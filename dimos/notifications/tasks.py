import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dimos.notifications.models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@task()
def deliver(notification_id: int) -> str:
    """Send one queued notification. Safe to run twice: a sent one is not sent again."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return "skipped"
        notification.attempts += 1
        try:
            send_mail(notification.subject, notification.body, None, [notification.address])
        except Exception as exc:
            logger.warning("notification %s failed: %s", notification_id, exc)
            notification.last_error = str(exc)[:1000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            return "failed"
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "status", "sent_at"])
    return "sent"
