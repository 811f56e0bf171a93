from datetime import date
from typing import Any

import pytest
import time_machine

from dimos.accounts.models import Business, User
from dimos.business_tax import actions, rules
from dimos.business_tax.models import FeeType
from dimos.core.staff import queues_for

pytestmark = pytest.mark.django_db


@time_machine.travel("2025-06-15 10:00 +03:00")
def test_overdue_debts_wait_in_the_staff_queue(
    business: Business,
    representative: User,
    fees: dict[str, FeeType],
    profile: Any,
    tax_clerk: User,
    clerk: User,
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=100,
        today=date(2025, 4, 2),
    )  # fmt: skip
    counts = {q.key: n for q, n in queues_for(tax_clerk)}
    assert counts["business_tax"] == 1
    assert "business_tax" not in {q.key for q, _ in queues_for(clerk)}
