import io

import pytest

from dimos.accounts import demo as accounts_demo
from dimos.business_tax import demo
from dimos.business_tax.models import Debt
from dimos.payments import demo as payments_demo

pytestmark = pytest.mark.django_db


def test_demo_business_has_a_paid_month_with_its_receipt_and_an_open_next_debt(
    fees: object,
) -> None:
    out = io.StringIO()
    accounts_demo.load(out)
    payments_demo.load(out)
    demo.load(out)
    demo.load(out)  # twice changes nothing
    paid = Debt.objects.get(status=Debt.Status.PAID)
    assert paid.debt_orders.get().order.payments.get().receipt.display_number
    open_debt = Debt.objects.get(status=Debt.Status.OPEN)
    assert open_debt.period_start > paid.period_start
    assert Debt.objects.count() == 2
