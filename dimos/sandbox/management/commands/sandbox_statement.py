"""Write a camt.053 bank statement in which the given RF codes were paid: the web-banking
sandbox. Development only; import the file with the staff page or `import_statement`."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dimos.payments.models import PaymentOrder
from dimos.payments.statements.generate import camt053_for


class Command(BaseCommand):
    help = "Print a camt.053 statement paying the given RFs (their amount due, or AMOUNT cents)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("rf", nargs="+", help="RF, or RF:CENTS to pay another amount")

    def handle(self, *args: Any, rf: list[str], **options: Any) -> None:
        if not settings.SANDBOX_ENABLED:
            raise CommandError("The sandbox is off (DIMOS_SANDBOX).")
        entries = []
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        for n, item in enumerate(rf, start=1):
            code, _sep, cents = item.partition(":")
            order = PaymentOrder.objects.filter(rf=code.upper()).first()
            if order is None and not cents:
                raise CommandError(f"No payment order has RF {code}; give RF:CENTS to pay it.")
            amount = int(cents) if cents else order.due_cents  # type: ignore[union-attr]
            entries.append(
                {
                    "amount_cents": amount,
                    "rf": code.upper(),
                    "date": timezone.localdate(),
                    "entry_ref": f"SBX-{stamp}-{n}",
                    "debtor_name": order.payer_name if order else "ΑΓΝΩΣΤΟΣ",
                }
            )
        self.stdout.write(
            camt053_for(
                entries, iban=settings.DIMOS_BANK["iban"], statement_id=f"SBX-{stamp}"
            ).decode()
        )
