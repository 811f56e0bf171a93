"""The sweep: whatever the worker should have sent and has not, it gets again.

Run it every few minutes (cron or a systemd timer). It

1. puts back notifications left "sending" longer than DIMOS_NOTIFICATION_CLAIM_TIMEOUT
   (600 s) by a worker that died: they go again with the same SMS reference / e-mail
   Message-ID, so the provider or the reader can tell a duplicate;
2. hands to the worker every pending notification that is due since --minutes (5): one whose
   hand-over after commit was lost in a crash, or a retry that a task backend without
   scheduled tasks cannot run at its time.

Running it twice, or beside the worker, sends nothing twice: a delivery first claims its row.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dimos.notifications import actions, queries
from dimos.notifications.tasks import deliver


class Command(BaseCommand):
    help = "Recover interrupted deliveries and re-queue notifications due for --minutes (5)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=5)

    def handle(self, *args: Any, minutes: int, **options: Any) -> None:
        now = timezone.now()
        recovered = 0
        for pk in queries.stuck_ids(now - actions.claim_timeout()):
            recovered += actions.do_recover_stuck(pk, now)
        due = queries.due_ids(now - timedelta(minutes=minutes))
        for pk in due:
            deliver.enqueue(pk)
        self.stdout.write(
            f"{recovered} interrupted notification(s) put back, "
            f"{len(due)} notification(s) queued again"
        )
