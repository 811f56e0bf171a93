import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from stdnum import iso11649

from dimos.accounts.models import Business, User
from dimos.core.models import AuditEvent
from dimos.payments import actions
from dimos.payments.models import Payment, PaymentOrder, Receipt
from dimos.payments.registry import PayableKind, register_payable
from dimos.testing import make_person

pytestmark = pytest.mark.django_db


def order_for(person: User, cents: int = 4000) -> PaymentOrder:
    return actions.do_issue_order(
        amount_cents=cents, description="Τέλος χρήσης αίθουσας", payer_person=person
    )


def test_an_order_gets_a_valid_rf_that_encodes_it(citizen: User) -> None:
    order = order_for(citizen)
    assert iso11649.is_valid(order.rf) and order.rf.startswith("RF")
    assert order.rf.endswith(f"{order.pk}")
    assert order.status == "open" and order.payer_name == citizen.get_full_name()


@pytest.mark.parametrize("cents", [0, -100])
def test_an_order_needs_a_positive_amount(citizen: User, cents: int) -> None:
    with pytest.raises(ValidationError):
        order_for(citizen, cents)
    assert not PaymentOrder.objects.exists()


def test_exact_payment_settles_once_with_one_receipt(
    citizen: User, django_capture_on_commit_callbacks: object
) -> None:
    order = order_for(citizen)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = actions.do_settle(order, method="card", external_ref="TX1", amount_cents=4000)
    again = actions.do_settle(order, method="card", external_ref="TX1", amount_cents=4000)
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_cents == 4000
    assert first.new and not again.new and again.payment.pk == first.payment.pk
    assert Receipt.objects.count() == 1 and first.receipt is not None
    assert first.receipt.display_number.endswith("/000001")
    assert (
        "Απόδειξη" in mail.outbox[0].subject
        or first.receipt.display_number in mail.outbox[0].subject
    )
    assert AuditEvent.objects.filter(action="payment.applied").count() == 1


def test_partial_then_rest_then_excess(citizen: User) -> None:
    order = order_for(citizen)
    part = actions.do_settle(order, method="bank", external_ref="B1", amount_cents=1000)
    order.refresh_from_db()
    assert order.status == "partly_paid" and part.payment.review_reason
    actions.do_settle(order, method="bank", external_ref="B2", amount_cents=3000)
    order.refresh_from_db()
    assert order.status == "paid"
    extra = actions.do_settle(order, method="bank", external_ref="B3", amount_cents=500)
    order.refresh_from_db()
    assert order.status == "overpaid" and extra.payment.review_reason
    assert Receipt.objects.count() == 3


def test_money_for_a_cancelled_or_unknown_order_waits_for_review(
    citizen: User, clerk: User
) -> None:
    order = order_for(citizen)
    actions.do_cancel_order(order, clerk, "Εκδόθηκε κατά λάθος.")
    late = actions.do_settle(order, method="bank", external_ref="B9", amount_cents=4000)
    stray = actions.do_settle(None, method="bank", external_ref="B10", amount_cents=700)
    for result in (late, stray):
        assert result.payment.state == Payment.State.REVIEW and result.receipt is None
    order.refresh_from_db()
    assert order.status == "cancelled" and order.paid_cents == 0


def test_cancel_needs_a_reason_and_an_unpaid_order(citizen: User, clerk: User) -> None:
    order = order_for(citizen)
    with pytest.raises(ValidationError):
        actions.do_cancel_order(order, clerk, " ")
    actions.do_settle(order, method="card", external_ref="T", amount_cents=100)
    with pytest.raises(ValidationError):
        actions.do_cancel_order(order, clerk, "Λάθος")


def test_the_payable_thing_is_called_back_inside_the_settlement(citizen: User) -> None:
    seen: list[tuple[str, int]] = []
    register_payable(
        PayableKind("test-thing", "test", lambda o: seen.append((o.payable_id, o.paid_cents)))
    )
    order = actions.do_issue_order(
        amount_cents=500,
        description="x",
        payer_person=citizen,
        payable_kind_key="test-thing",
        payable_id="42",
    )
    actions.do_settle(order, method="card", external_ref="T42", amount_cents=500)
    assert seen == [("42", 500)]


def test_a_business_order_is_told_to_its_representatives(
    representative: User, business: Business, django_capture_on_commit_callbacks: object
) -> None:
    order = actions.do_issue_order(amount_cents=1200, description="Τέλος", payer_business=business)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.do_settle(order, method="bank", external_ref="BB", amount_cents=1200)
    assert [m.to for m in mail.outbox] == [[representative.email]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_of_many_orders_get_gapless_receipt_numbers() -> None:
    payer = make_person("payer@example.gr")
    orders = [
        actions.do_issue_order(amount_cents=100, description="x", payer_person=payer)
        for _ in range(60)
    ]
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def settle(chunk: list[PaymentOrder]) -> None:
        try:
            barrier.wait()
            for order in chunk:
                # the same capture arrives twice (browser return and background call)
                actions.do_settle(
                    order, method="card", external_ref=f"T{order.pk}", amount_cents=100
                )
                actions.do_settle(
                    order, method="card", external_ref=f"T{order.pk}", amount_cents=100
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=settle, args=(orders[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, 61))
    assert Payment.objects.count() == 60
    assert set(PaymentOrder.objects.values_list("status", flat=True)) == {"paid"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_twins_of_one_capture_pay_once() -> None:
    payer = make_person("twin@example.gr")
    order = actions.do_issue_order(amount_cents=4000, description="x", payer_person=payer)
    barrier = threading.Barrier(10)
    results: list[bool] = []

    def twin() -> None:
        try:
            barrier.wait()
            results.append(
                actions.do_settle(order, method="card", external_ref="SAME", amount_cents=4000).new
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=twin) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 9 + [True]
    order.refresh_from_db()
    assert order.paid_cents == 4000 and Receipt.objects.count() == 1


def test_unpaid_orders_expire_after_their_date_and_then_take_no_money(citizen: User) -> None:
    import datetime

    from django.core.management import call_command

    old = actions.do_issue_order(
        amount_cents=100,
        description="x",
        payer_person=citizen,
        expires_on=datetime.date(2020, 1, 1),
    )
    partly = actions.do_issue_order(
        amount_cents=100,
        description="y",
        payer_person=citizen,
        expires_on=datetime.date(2020, 1, 1),
    )
    actions.do_settle(partly, method="bank", external_ref="P", amount_cents=50)
    call_command("expire_payment_orders")
    old.refresh_from_db()
    partly.refresh_from_db()
    assert old.status == "expired" and partly.status == "partly_paid"
    late = actions.do_settle(old, method="bank", external_ref="L", amount_cents=100)
    assert late.payment.state == "review" and late.receipt is None
