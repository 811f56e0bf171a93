"""On PostgreSQL with real threads: one first declaration per period, one debt paid once."""

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from dimos.accounts.models import ActivityCategory, Business
from dimos.business_tax import actions, rules
from dimos.business_tax.models import Debt, Declaration, FeeType
from dimos.business_tax.seed import seed
from dimos.payments.actions import do_settle
from dimos.payments.models import Payment
from dimos.testing import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MARCH = rules.period_of(date(2025, 3, 1), rules.MONTHLY)


def _rows() -> tuple[Business, FeeType]:
    category, _ = ActivityCategory.objects.get_or_create(
        code="food-drink", defaults={"name": "Εστίαση"}
    )
    seed(apps)
    business = Business.objects.create(
        afm="094014201", legal_name="Καφέ", address="Κοζάνη", activity_category=category
    )
    return business, FeeType.objects.get(code="food-drink-receipts")


def _race(n: int, work: Callable[[int], object]) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_ten_tabs_declaring_the_same_month_make_one_declaration() -> None:
    business, fee = _rows()
    person = make_person("rep@example.gr")

    def declare(i: int) -> None:
        actions.do_declare(
            business, person, fee, MARCH, base_cents=100_000 + i, today=date(2025, 4, 2)
        )

    errors = _race(10, declare)
    assert len(errors) == 9
    assert all(isinstance(e, ValidationError) for e in errors)
    assert Declaration.objects.count() == 1
    assert Debt.objects.count() == 1


def test_card_and_bank_paying_at_once_both_count_once_each() -> None:
    business, fee = _rows()
    person = make_person("rep@example.gr")
    declared = actions.do_declare(
        business, person, fee, MARCH, base_cents=2_000_000, today=date(2025, 4, 2)
    )
    order = declared.order
    assert order is not None

    def settle(i: int) -> None:
        do_settle(
            order,
            method=Payment.Method.CARD if i % 2 else Payment.Method.BANK,
            external_ref=f"ref-{i % 2}",
            amount_cents=order.amount_cents,
        )

    assert _race(6, settle) == []
    debt = Debt.objects.get()
    assert debt.status == Debt.Status.PAID
    assert debt.paid_cents == 20_000  # two distinct payments, each counted once: overpaid
    assert Payment.objects.count() == 2
