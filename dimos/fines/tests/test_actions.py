from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.fines import actions, queries
from dimos.fines.models import PaymentPolicy, Ticket
from dimos.fines.tests.conftest import ticket_data
from dimos.payments.actions import do_settle
from dimos.payments.models import PaymentOrder

pytestmark = pytest.mark.django_db


def pay(order: PaymentOrder, ref: str, cents: int | None = None) -> None:
    do_settle(order, method="card", external_ref=ref, amount_cents=cents or order.due_cents)


def test_registration_takes_amount_deadline_and_measures_from_the_table(
    register: Callable[..., Ticket],
) -> None:
    today = timezone.localdate()
    ticket = register(code="Ε3-Β")
    assert ticket.amount_cents == 35000
    assert ticket.licence_days == 30 and ticket.plates_days == 30
    assert ticket.payment_deadline > today + timedelta(days=58)
    assert ticket.discount_percent == 0 and ticket.interest_bp_per_month == 73
    assert ticket.plate_key == "KZN1234" and ticket.status == "open"
    assert AuditEvent.objects.filter(action="ticket.registered").count() == 1


def test_motorcycle_parking_is_half_and_concurrent_adds_half(
    register: Callable[..., Ticket],
) -> None:
    moto = register(number="A1", vehicle_type="motorcycle", article="38§2ε")
    assert moto.amount_cents == 7500
    day = timezone.localdate()
    other = queries.category_on("Ε1-Α", "", day)
    assert other is not None
    both = register(number="A2", other_categories=[other])
    assert both.amount_cents == 15000 + 1500 and both.other_categories == "Ε1-Α"


def test_a_number_is_registered_once(register: Callable[..., Ticket]) -> None:
    register()
    with pytest.raises(ValidationError):
        register(number="koz 2026 000101")
    assert Ticket.objects.count() == 1


def test_older_rule_row_gives_its_discount(clerk: User) -> None:
    day = timezone.localdate() - timedelta(days=3)
    PaymentPolicy.objects.create(
        name="Δοκιμαστικός κανόνας",
        legal_source="απόφαση",
        valid_from=day - timedelta(days=1),
        discount_percent=50,
        discount_days=10,
    )
    ticket = actions.do_register_ticket(ticket_data(day=day, code="Ε1-Α"), clerk)
    assert ticket.discount_until == day + timedelta(days=10)
    assert ticket.due_today(timezone.localdate()) == 1500


def test_the_order_is_reused_until_the_amount_changes(
    register: Callable[..., Ticket], citizen: User
) -> None:
    day = timezone.localdate() - timedelta(days=20)
    ticket = register(day=day)
    first = actions.do_order_for_ticket(ticket, citizen)
    assert actions.do_order_for_ticket(ticket, citizen).pk == first.pk
    assert first.amount_cents == 15000 and first.expires_on == ticket.payment_deadline
    assert first.payable_kind == "fine" and first.payable_id == str(ticket.pk)
    with time_machine.travel(ticket.payment_deadline + timedelta(days=1), tick=False):
        later = actions.do_order_for_ticket(ticket, citizen)
    assert later.pk != first.pk and later.amount_cents == 15110  # 0.73 % interest


def test_paying_the_order_pays_the_ticket(register: Callable[..., Ticket], citizen: User) -> None:
    ticket = register()
    order = actions.do_order_for_ticket(ticket, citizen)
    pay(order, "T1")
    ticket.refresh_from_db()
    assert ticket.status == "paid" and ticket.paid_cents == 15000 and not ticket.needs_review
    with pytest.raises(ValidationError):
        actions.do_order_for_ticket(ticket, citizen)


def test_two_payments_of_one_ticket_make_a_refund_due(
    register: Callable[..., Ticket], citizen: User, resident: User
) -> None:
    ticket = register()
    mine = actions.do_order_for_ticket(ticket, citizen)
    theirs = actions.do_order_for_ticket(ticket, resident)  # a spouse, at the same time
    pay(mine, "T1")
    pay(theirs, "T2")
    ticket.refresh_from_db()
    assert ticket.status == "paid" and ticket.paid_cents == 30000
    assert ticket.refund_due_cents == 15000 and ticket.needs_review
    assert ticket in queries.reconcile_queue()


def test_another_persons_card_payment_in_progress_makes_the_second_wait(
    register: Callable[..., Ticket], citizen: User, resident: User
) -> None:
    from dimos.payments.actions import do_start_card_attempt

    ticket = register()
    do_start_card_attempt(actions.do_order_for_ticket(ticket, citizen))
    with pytest.raises(ValidationError, match="κάρτα"):
        actions.do_order_for_ticket(ticket, resident)


def test_partial_bank_payment_leaves_a_balance(
    register: Callable[..., Ticket], citizen: User
) -> None:
    ticket = register()
    order = actions.do_order_for_ticket(ticket, citizen)
    do_settle(order, method="bank", external_ref="B1", amount_cents=5000)
    ticket.refresh_from_db()
    assert ticket.status == "partly_paid"
    assert ticket.due_today(timezone.localdate()) == 10000
    assert actions.do_order_for_ticket(ticket, citizen).pk == order.pk  # its due is 100 € too


def enter(person: User, cents: int, number: str = "ΚΟΖ-2026-000777", plate: str = "ΚΖΝ-1234"):  # type: ignore[no-untyped-def]
    return actions.do_enter_ticket(
        person,
        actions.SelfEntered(number, plate, timezone.localdate() - timedelta(days=1), cents),
    )


def test_self_entered_ticket_is_provisional_and_paid_at_once(citizen: User) -> None:
    ticket, order = enter(citizen, 3000)
    assert ticket.provisional and order.amount_cents == 3000
    pay(order, "S1")
    ticket.refresh_from_db()
    assert ticket.status == "paid" and ticket.provisional and not ticket.needs_review


def test_self_entering_a_registered_number_is_refused(
    register: Callable[..., Ticket], citizen: User
) -> None:
    register()
    with pytest.raises(actions.AlreadyRegistered):
        enter(citizen, 15000, number="KOZ-2026-000101")


def test_reconcile_equal_amount_the_registered_ticket_is_paid(
    citizen: User, clerk: User, django_capture_on_commit_callbacks: object
) -> None:
    ticket, order = enter(citizen, 15000)
    pay(order, "S1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        registered = actions.do_register_ticket(ticket_data(number="ΚΟΖ-2026-000777"), clerk)
    assert registered.pk == ticket.pk and not registered.provisional
    assert registered.status == "paid" and not registered.needs_review
    assert registered.refund_due_cents == 0 and not mail.outbox
    assert PaymentOrder.objects.count() == 1


def test_reconcile_less_paid_issues_an_order_for_the_balance_and_tells_the_citizen(
    citizen: User, clerk: User, django_capture_on_commit_callbacks: object
) -> None:
    _ticket, order = enter(citizen, 3000)
    pay(order, "S1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        registered = actions.do_register_ticket(ticket_data(number="ΚΟΖ-2026-000777"), clerk)
    assert registered.status == "partly_paid" and registered.needs_review
    balance = PaymentOrder.objects.exclude(pk=order.pk).get()
    assert balance.amount_cents == 12000 and balance.payer_person == citizen
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert balance.rf in mail.outbox[0].body and "120,00" in mail.outbox[0].body
    pay(balance, "S2")
    registered.refresh_from_db()
    assert registered.status == "paid" and registered.paid_cents == 15000


def test_reconcile_more_paid_makes_a_refund_due_in_the_staff_queue(
    citizen: User, clerk: User, django_capture_on_commit_callbacks: object
) -> None:
    _ticket, order = enter(citizen, 35000)
    pay(order, "S1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        registered = actions.do_register_ticket(ticket_data(number="ΚΟΖ-2026-000777"), clerk)
    assert registered.status == "paid" and registered.refund_due_cents == 20000
    assert registered.needs_review and list(queries.reconcile_queue()) == [registered]
    assert [m.to for m in mail.outbox] == [[citizen.email]] and "200,00" in mail.outbox[0].body
    actions.do_close_review(registered, clerk, "Επιστροφή 200 € στις 12/03.")
    registered.refresh_from_db()
    assert not registered.needs_review and registered.refund_due_cents == 0


def test_reconcile_flags_a_different_plate(citizen: User, clerk: User) -> None:
    _ticket, order = enter(citizen, 15000, plate="ΚΖΝ-9999")
    pay(order, "S1")
    registered = actions.do_register_ticket(ticket_data(number="ΚΟΖ-2026-000777"), clerk)
    assert registered.needs_review and "ΚΖΝ-9999" in registered.review_note
    assert registered.plate_key == "KZN1234"


def test_late_registration_charges_no_interest_on_a_payment_made_in_time(
    citizen: User, clerk: User
) -> None:
    _ticket, order = enter(citizen, 15000)
    pay(order, "S1")
    with time_machine.travel(timezone.now() + timedelta(days=100), tick=False):
        day = timezone.localdate() - timedelta(days=101)
        registered = actions.do_register_ticket(
            ticket_data(number="ΚΟΖ-2026-000777", day=day), clerk
        )
    assert registered.status == "paid" and not registered.needs_review


def test_cancel_needs_a_reason_stops_open_orders_and_flags_paid_money(
    register: Callable[..., Ticket], citizen: User, clerk: User
) -> None:
    ticket = register()
    order = actions.do_order_for_ticket(ticket, citizen)
    with pytest.raises(ValidationError):
        actions.do_cancel_ticket(ticket, clerk, " ")
    actions.do_cancel_ticket(ticket, clerk, "Ένσταση δεκτή, απόφαση 12/2026.")
    order.refresh_from_db()
    assert ticket.status == "cancelled" and order.status == "cancelled"
    assert not ticket.needs_review
    paid = register(number="X2")
    pay(actions.do_order_for_ticket(paid, citizen), "P2")
    actions.do_cancel_ticket(paid, clerk, "Ένσταση δεκτή.")
    assert paid.needs_review and paid.refund_due_cents == 15000
