"""Hand to the worker every notification still waiting after a while.

A notification is queued for delivery after its transaction commits; if the process died in
between, it would wait forever. Run this every few minutes (cron or a systemd timer):
delivery is idempotent, so a notification already on its way is not sent twice.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dimos.notifications.models import Notification
from dimos.notifications.tasks import MAX_ATTEMPTS, deliver


class Command(BaseCommand):
    help = "Re-queue notifications that are still pending after --minutes (default 5)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=5)

    def handle(self, *args: Any, minutes: int, **options: Any) -> None:
        stale = Notification.objects.filter(
            status=Notification.Status.PENDING,
            created_at__lt=timezone.now() - timedelta(minutes=minutes),
            attempts__lt=MAX_ATTEMPTS,
        ).values_list("pk", flat=True)
        count = 0
        for pk in stale.iterator():
            deliver.enqueue(pk)
            count += 1
        self.stdout.write(f"{count} notification(s) queued again")
