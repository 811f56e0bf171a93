from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from dimos.accounts.models import Business, User
from dimos.business_tax import actions, rules
from dimos.business_tax.models import AreaRate, Credit, Debt, DebtOrder, Declaration, FeeType
from dimos.core.models import AuditEvent
from dimos.payments.actions import do_settle
from dimos.payments.models import Payment, PaymentOrder

pytestmark = pytest.mark.django_db

MARCH = rules.period_of(date(2025, 3, 1), rules.MONTHLY)  # due 30/04/2025


def declare(
    business: Business, person: User, fee: FeeType, base: int, today: date, **kw: Any
) -> actions.Declared:
    return actions.do_declare(business, person, fee, MARCH, base_cents=base, today=today, **kw)


def pay(order: PaymentOrder, amount: int | None = None, ref: str = "tx1") -> None:
    do_settle(
        order,
        method=Payment.Method.CARD,
        external_ref=ref,
        amount_cents=order.amount_cents if amount is None else amount,
    )


def test_declaring_on_time_creates_the_debt_and_its_order(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 15)
    )
    debt = declared.debt
    assert debt is not None and declared.order is not None
    assert (debt.fee_cents, debt.due_date, debt.origin) == (10_000, date(2025, 4, 30), "declared")
    assert declared.order.amount_cents == 10_000
    assert declared.order.payable_kind == "business_tax"
    assert declared.order.payable_id == str(debt.pk)
    assert declared.order.rf
    assert declared.order.expires_on == date(2025, 4, 30)  # from the next day it grows
    assert AuditEvent.objects.filter(action="business_tax.declared").count() == 1


def test_late_declaration_adds_two_percent_per_month(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 7, 31)
    )
    link = DebtOrder.objects.get(order=declared.order)
    assert (link.surcharge_months, link.surcharge_cents) == (4, 800)  # 01/05–31/07: 4 started
    assert declared.order is not None and declared.order.amount_cents == 10_800


def test_nil_declaration_owes_nothing(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(business, representative, fees["food-drink-receipts"], 0, date(2025, 4, 2))
    assert declared.debt is None and declared.order is None
    assert declared.declaration.fee_cents == 0


def test_a_period_cannot_be_declared_twice_but_can_be_amended(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    fee = fees["food-drink-receipts"]
    first = declare(business, representative, fee, 2_000_000, date(2025, 4, 2))
    with pytest.raises(ValidationError):
        declare(business, representative, fee, 2_000_000, date(2025, 4, 2))
    amended = declare(
        business,
        representative,
        fee,
        3_000_000,
        date(2025, 4, 3),
        expected_previous=first.declaration.pk,
    )
    assert amended.declaration.amends == first.declaration
    assert amended.debt is not None
    assert (amended.debt.fee_cents, amended.debt.origin) == (5_000, "amended")  # the difference
    assert amended.debt.due_date == date(2025, 4, 30)


def test_amending_late_charges_the_surcharge_on_the_difference(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    fee = fees["food-drink-receipts"]
    first = declare(business, representative, fee, 2_000_000, date(2025, 4, 2))
    amended = declare(
        business, representative, fee, 3_000_000, date(2025, 5, 2),
        expected_previous=first.declaration.pk,
    )  # fmt: skip
    assert amended.order is not None and amended.order.amount_cents == 5_100  # 50 € + 2 %


def test_amending_downwards_credits_the_business(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    fee = fees["food-drink-receipts"]
    first = declare(business, representative, fee, 2_000_000, date(2025, 4, 2))
    amended = declare(
        business, representative, fee, 1_200_000, date(2025, 4, 3),
        expected_previous=first.declaration.pk,
    )  # fmt: skip
    assert amended.debt is None
    assert amended.credit is not None and amended.credit.amount_cents == 4_000
    assert Credit.objects.count() == 1


def test_amending_what_was_amended_meanwhile_is_refused(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    fee = fees["food-drink-receipts"]
    first = declare(business, representative, fee, 2_000_000, date(2025, 4, 2))
    declare(business, representative, fee, 2_500_000, date(2025, 4, 2),
            expected_previous=first.declaration.pk)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        declare(business, representative, fee, 2_600_000, date(2025, 4, 2),
                expected_previous=first.declaration.pk)  # fmt: skip
    assert exc.value.code == "changed"
    assert Declaration.objects.count() == 2


def test_a_period_not_ended_cannot_be_declared(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    with pytest.raises(ValidationError):
        declare(business, representative, fees["food-drink-receipts"], 100, date(2025, 3, 31))


def test_a_fee_of_another_category_cannot_be_declared(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    with pytest.raises(ValidationError):
        declare(business, representative, fees["night-club-receipts"], 100, date(2025, 4, 2))


def test_paying_the_order_pays_the_debt_and_issues_the_receipt(
    business: Business,
    representative: User,
    fees: dict[str, FeeType],
    profile: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 2)
    )
    assert declared.order is not None
    with django_capture_on_commit_callbacks(execute=True):
        pay(declared.order)
    debt = Debt.objects.get()
    assert (debt.status, debt.paid_cents) == (Debt.Status.PAID, 10_000)
    assert debt.paid_at is not None
    assert Payment.objects.get().receipt.display_number
    assert len(mail.outbox) == 1  # payments e-mails the representative the receipt


def test_part_payment_leaves_the_rest_to_pay_with_a_new_order(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 2)
    )
    assert declared.order is not None
    pay(declared.order, amount=4_000)
    debt = Debt.objects.get()
    assert (debt.status, debt.paid_cents) == (Debt.Status.PARTLY_PAID, 4_000)
    order = actions.do_prepare_payment(debt, today=date(2025, 4, 10))
    assert order != declared.order and order.amount_cents == 6_000
    pay(order, ref="tx2")
    debt.refresh_from_db()
    assert (debt.status, debt.paid_cents) == (Debt.Status.PAID, 10_000)


def test_prepare_payment_reuses_the_order_while_the_amount_holds(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 2)
    )
    debt = declared.debt
    assert debt is not None
    assert actions.do_prepare_payment(debt, today=date(2025, 4, 30)) == declared.order
    later = actions.do_prepare_payment(debt, today=date(2025, 5, 1))
    assert later != declared.order and later.amount_cents == 10_200
    assert later.expires_on == date(2025, 5, 30)
    pay(later)
    debt.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.do_prepare_payment(debt, today=date(2025, 5, 2))


def test_public_space_declared_by_the_business(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    fee = fees["public-space"]
    rate = AreaRate.objects.get(fee_type=fee, code="zone-a")
    declared = actions.do_declare(
        business, representative, fee, rules.months_period(date(2025, 6, 1), 3),
        area=Decimal("12.5"), area_rate=rate, today=date(2025, 5, 20),
    )  # fmt: skip
    assert declared.debt is not None
    assert (declared.debt.fee_cents, declared.debt.units) == (19_050, 3)
    assert declared.debt.due_date == date(2025, 6, 19)  # 30 days after, a working day


def assessment(business: Business, fee: FeeType, code: str, **kw: Any) -> actions.Assessment:
    rate = AreaRate.objects.get(fee_type=fee, code=code)
    return actions.Assessment(
        business=business, fee_type=fee, area_rate=rate, area=Decimal("10"), units=1,
        period_start=date(2025, 6, 1), **kw,
    )  # fmt: skip


def test_unauthorised_public_space_owes_the_fee_and_three_times_it(
    business: Business,
    representative: User,
    fees: dict[str, FeeType],
    tax_clerk: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        (debt,) = actions.do_issue_assessed_debts(
            [assessment(business, fees["public-space"], "zone-a", unauthorised=True)],
            tax_clerk,
            today=date(2025, 6, 2),
        )
    assert (debt.fee_cents, debt.fine_cents) == (5_080, 15_240)
    assert debt.debt_orders.get().order.amount_cents == 20_320
    assert debt.due_date == date(2025, 7, 2)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rep@example.gr"]
    assert debt.debt_orders.get().order.rf in mail.outbox[0].body


def test_one_bad_assessment_issues_nothing(
    business: Business, fees: dict[str, FeeType], tax_clerk: User
) -> None:
    good = assessment(business, fees["public-space"], "zone-a")
    bad = assessment(business, fees["advertising"], "sign", unauthorised=True)
    with pytest.raises(ValidationError):
        actions.do_issue_assessed_debts([good, bad], tax_clerk)
    assert not Debt.objects.exists()
    assert not PaymentOrder.objects.exists()


def test_certifying_freezes_the_surcharge_and_adds_interest(
    business: Business,
    representative: User,
    fees: dict[str, FeeType],
    profile: Any,
    tax_clerk: User,
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 2)
    )
    debt = declared.debt
    assert debt is not None
    with pytest.raises(ValidationError):
        actions.do_certify(debt, tax_clerk, today=date(2025, 4, 30))  # not yet late
    actions.do_certify(debt, tax_clerk, today=date(2025, 6, 15))
    debt.refresh_from_db()
    assert (debt.certified_on, debt.certified_cents) == (date(2025, 6, 15), 10_400)
    amount = debt.amount_due(date(2025, 8, 20))
    assert (amount.surcharge, amount.interest_months, amount.interest) == (400, 3, 228)
    with pytest.raises(ValidationError):
        actions.do_certify(debt, tax_clerk, today=date(2025, 6, 16))


def test_staff_set_the_category_and_how_the_business_declares(
    business: Business, fees: dict[str, FeeType], tax_clerk: User
) -> None:
    from dimos.accounts.models import ActivityCategory

    actions.do_update_profile(
        business, tax_clerk, category=ActivityCategory.objects.get(code="night-club"),
        frequency="quarterly", vat_payer=False, declares_from=date(2025, 2, 14),
    )  # fmt: skip
    business.refresh_from_db()
    assert business.activity_category.code == "night-club"
    assert business.tax_profile.declares_from == date(2025, 2, 1)
    assert AuditEvent.objects.filter(action="business_tax.profile_changed").exists()


def test_declaration_proof_is_a_pdf_issued_once(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 2)
    )
    first = actions.do_issue_declaration_proof(declared.declaration)
    again = actions.do_issue_declaration_proof(declared.declaration)
    assert first.pk == again.pk
    assert first.pdf.read().startswith(b"%PDF")


APRIL = rules.period_of(date(2025, 4, 1), rules.MONTHLY)


def _settled_one_by_one_or_together(orders: list[PaymentOrder], together: bool) -> list[Any]:
    """Debts and audit rows after telling of `orders`, in a transaction then undone."""
    audit_after = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        if together:
            actions.on_orders_settled(orders)
        else:
            for order in orders:
                actions.on_order_settled(order)
        debts = sorted(
            (d.pk, d.status, d.paid_cents, d.paid_at is not None) for d in Debt.objects.all()
        )
        events = sorted(
            AuditEvent.objects.filter(pk__gt=audit_after).values_list(
                "action", "object_type", "object_id", "object_repr", "subject", "details"
            ),
            key=str,
        )
        transaction.set_rollback(True)
    return [debts, events]


def _paid_in_memory(order: PaymentOrder, cents: int) -> PaymentOrder:
    """What payments does to an order before telling: counted, saved, then the callback."""
    order.paid_cents += cents
    order.status = (
        PaymentOrder.Status.PAID if order.paid_cents >= order.amount_cents else "partly_paid"
    )
    order.save(update_fields=["paid_cents", "status"])
    return order


def test_orders_told_together_settle_their_debts_as_one_at_a_time(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    fee = fees["food-drink-receipts"]
    march = declare(business, representative, fee, 2_000_000, date(2025, 4, 2))
    april = actions.do_declare(
        business, representative, fee, APRIL, base_cents=1_000_000, today=date(2025, 5, 2)
    )
    assert march.order is not None and april.order is not None
    orders = [_paid_in_memory(march.order, march.order.amount_cents)]
    orders.append(_paid_in_memory(april.order, 1_000))
    together = _settled_one_by_one_or_together(orders, together=True)
    assert together == _settled_one_by_one_or_together(orders, together=False)
    statuses = [status for _pk, status, _paid, _at in together[0]]
    assert sorted(statuses) == [Debt.Status.PAID, Debt.Status.PARTLY_PAID]
    assert [event[0] for event in together[1]] == [
        "business_tax.debt_paid",
        "business_tax.part_paid",
    ]


def test_two_orders_of_one_debt_told_together_are_counted_one_at_a_time(
    business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    declared = declare(
        business, representative, fees["food-drink-receipts"], 2_000_000, date(2025, 4, 2)
    )
    assert declared.order is not None and declared.debt is not None
    first = _paid_in_memory(declared.order, 4_000)
    actions.on_order_settled(first)
    later = actions.do_prepare_payment(declared.debt, today=date(2025, 4, 10))
    orders = [first, _paid_in_memory(later, later.amount_cents)]
    together = _settled_one_by_one_or_together(orders, together=True)
    assert together == _settled_one_by_one_or_together(orders, together=False)
    assert together[0][0][1:3] == (Debt.Status.PAID, 10_000)


def test_an_order_of_no_debt_is_left_alone(citizen: User) -> None:
    from dimos.payments.actions import do_issue_order

    order = do_issue_order(amount_cents=500, description="x", payer_person=citizen)
    actions.on_orders_settled([order])
    assert not Debt.objects.exists()
