from typing import Any

from django.core.management.base import BaseCommand

from dimos.payments.actions import do_expire_overdue_orders


class Command(BaseCommand):
    help = "Expire unpaid payment orders whose «pay by» date has passed (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_expire_overdue_orders()} order(s) expired")
