"""The demo business's municipal tax: a past month declared and paid by card, with its
receipt, and the next month declared and open; the staff's permissions."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from dimos.accounts.demo import staff_group
from dimos.accounts.models import Business, User
from dimos.business_tax import actions, rules
from dimos.business_tax.models import Debt, FeeType, TaxProfile
from dimos.payments.actions import do_settle
from dimos.payments.models import Payment


def load(out: Any) -> None:
    staff_group().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="business_tax",
            codename__in=["change_debt", "view_debt", "view_declaration"],
        )
    )
    business = Business.objects.get(afm="094014201")
    owner = User.objects.get(email="epixeirisi@example.gr")
    today = timezone.localdate()
    this_month = rules.period_of(today, rules.MONTHLY)
    paid_month = rules.period_of(rules.add_months(this_month.start, -2), rules.MONTHLY)
    next_month = rules.period_of(rules.add_months(this_month.start, -1), rules.MONTHLY)
    TaxProfile.objects.get_or_create(
        business=business, defaults={"declares_from": paid_month.start}
    )
    fee_type = FeeType.objects.get(code="food-drink-receipts")
    if not Debt.objects.filter(business=business).exists():
        # Declared on the day it was due: no surcharge, so the demo amounts stay round.
        paid = actions.do_declare(
            business, owner, fee_type, paid_month, base_cents=2_408_000,
            today=next_month.start + timedelta(days=5), expected_previous=None,
        )  # fmt: skip
        assert paid.order is not None
        do_settle(
            paid.order,
            method=Payment.Method.CARD,
            external_ref=f"demo-{paid.order.rf}",
            amount_cents=paid.order.amount_cents,
            details={"attempt": "demo"},
        )
        actions.do_declare(
            business, owner, fee_type, next_month, base_cents=1_975_000, today=today,
            expected_previous=None,
        )  # fmt: skip
    out.write("\nDemo municipal tax ready: one month paid with its receipt, the next one open.")
