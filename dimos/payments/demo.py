"""Demo payment orders to try card (sandbox) and web banking, and the staff's permissions."""

from typing import Any

from django.contrib.auth.models import Permission

from dimos.accounts.demo import staff_group
from dimos.accounts.models import User
from dimos.payments import actions
from dimos.payments.models import PaymentOrder


def load(out: Any) -> None:
    staff_group().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="payments",
            codename__in=["change_paymentorder", "view_paymentorder"],
        )
    )
    citizen = User.objects.get(email="politis@example.gr")
    clerk = User.objects.get(email="ypallilos@example.gr")
    if not PaymentOrder.objects.filter(payer_person=citizen).exists():
        actions.do_issue_order(
            amount_cents=2500,
            description="Τέλος χρήσης δημοτικού γηπέδου",
            payer_person=citizen,
            created_by=clerk,
        )
    rfs = ", ".join(o.rf or "" for o in PaymentOrder.objects.filter(status="open")[:2])
    out.write(f"\nDemo payment orders ready (RF {rfs}).")
