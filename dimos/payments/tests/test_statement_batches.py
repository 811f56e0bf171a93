"""A statement settled in batches gives exactly what settling its entries one by one gives:
the same payments, states, receipt numbers, orders, callbacks, e-mails and audit rows."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from dimos.accounts.models import Business, User
from dimos.core.models import AuditEvent
from dimos.notifications.models import Notification
from dimos.payments import actions, rules
from dimos.payments.models import Payment, PaymentOrder, Receipt
from dimos.payments.registry import PayableKind, register_payable
from dimos.payments.statements.model import Statement, StatementEntry
from dimos.testing import make_person

pytestmark = pytest.mark.django_db

LATE_2025 = datetime.date(2025, 12, 31)
EARLY_2026 = datetime.date(2026, 1, 2)
THING = "batch-test-thing"
CALLS: dict[str, list[tuple[int, str, int]]] = defaultdict(list)


def _thing_settled(order: PaymentOrder) -> None:
    """Records what the callback saw, the database's total of the thing's orders included."""
    total = PaymentOrder.objects.filter(payable_kind=THING, payable_id=order.payable_id).aggregate(
        s=Sum("paid_cents")
    )["s"]
    CALLS[order.payable_id].append((order.paid_cents, order.status, total or 0))


@pytest.fixture(autouse=True)
def _thing_kind() -> Iterator[None]:
    register_payable(PayableKind(THING, "test", _thing_settled))
    CALLS.clear()
    yield
    CALLS.clear()


def entry(ref: str, cents: int, rf: str | None, **kw: Any) -> StatementEntry:
    return StatementEntry(
        entry_ref=ref,
        amount_cents=cents,
        currency="EUR",
        credit=kw.get("credit", True),
        reversal=kw.get("reversal", False),
        status="BOOK",
        booking_date=kw.get("day", LATE_2025),
        value_date=kw.get("day", LATE_2025),
        rf=rf,
        remittance=kw.get("remittance", ""),
        debtor_name=kw.get("debtor", "ΠΛΗΡΩΤΗΣ"),
        debtor_iban="",
        end_to_end_id="",
        line=None,
    )


def statement(entries: list[StatementEntry]) -> Statement:
    return Statement("S", "GR8300000000000000012345678", None, entries, "camt.053")


@pytest.fixture
def mixed(citizen: User, business: Business, representative: User) -> list[StatementEntry]:
    other = make_person("other-payer@example.gr")

    def order(cents: int = 4000, **kw: Any) -> PaymentOrder:
        payer = {"payer_business": business} if kw.pop("business", False) else {}
        return actions.do_issue_order(
            amount_cents=cents,
            description="Τέλος",
            **(payer or {"payer_person": kw.pop("person", citizen)}),
            **kw,
        )

    exact, partial, over, twice, reversed_one = (order() for _ in range(5))
    by_business = order(2500, business=True)
    cancelled, expired, nothing_paid = order(), order(person=other), order()
    PaymentOrder.objects.filter(pk=cancelled.pk).update(status=PaymentOrder.Status.CANCELLED)
    PaymentOrder.objects.filter(pk=expired.pk).update(status=PaymentOrder.Status.EXPIRED)
    thing_a, thing_b = (order(3000, payable_kind_key=THING, payable_id="7") for _ in range(2))
    thing_c = order(3000, payable_kind_key=THING, payable_id="8", person=other)
    already = order()
    actions.do_import_statement(
        statement([entry("OLD-1", 4000, already.rf)]), file_name="old.xml", sha256="old"
    )
    unknown_rf = rules.rf_for_order(987654)
    return [
        entry("E1", 4000, exact.rf),
        entry("E2", 1500, partial.rf, day=EARLY_2026),
        entry("E3", 5000, over.rf, remittance=f"Πληρωμή {over.rf}"),
        entry("E4", 999, None, remittance="χωρίς κωδικό"),
        entry("E5", 2000, twice.rf),
        entry("E6", 4000, reversed_one.rf),
        entry("E7", 2000, twice.rf, day=EARLY_2026),
        entry("E8", 4000, reversed_one.rf, reversal=True, credit=False),
        entry("E9", 2500, by_business.rf),
        entry("E10", 4000, cancelled.rf),
        entry("E11", 4000, expired.rf),
        entry("E12", 4000, unknown_rf),
        entry("E13", 3000, thing_a.rf),
        entry("E14", 1000, thing_c.rf),
        entry("E15", 3000, thing_b.rf),
        entry("E16", 2000, thing_c.rf, day=EARLY_2026),
        entry("E17", 700, None, credit=False),
        entry("E18", 4000, nothing_paid.rf, reversal=True, credit=False),
        entry("OLD-1", 4000, already.rf),
        entry("E1", 4000, exact.rf),  # the same bank reference twice in one file
        entry("E8", 4000, reversed_one.rf, reversal=True, credit=False),
        entry("E19", 4000, exact.rf),  # a second payment of a paid order: overpaid
        entry("E20", 1000, over.rf, day=EARLY_2026),
    ]


def outcome(record: Any, audit_after: int, notes_after: int) -> dict[str, Any]:
    """Everything the import changed, by natural keys (ids differ between runs on PostgreSQL).
    A reversal is received "now" (the bank's date is not kept), so its time is left out."""
    rf_of = dict(PaymentOrder.objects.values_list("pk", "rf"))
    ref_of = dict(Payment.objects.values_list("pk", "external_ref"))
    receipt_of = {r.pk: r.display_number for r in Receipt.objects.all()}
    email_of = dict(User.objects.values_list("pk", "email"))
    payments = sorted(
        (
            p.external_ref,
            rf_of.get(p.order_id or 0),
            p.state,
            p.amount_cents,
            p.review_reason,
            p.payer_text,
            "now" if p.details.get("reversal") else p.received_at.isoformat(),
            sorted(p.details.items()),
            getattr(p, "receipt", None) and p.receipt.display_number,
        )
        for p in Payment.objects.select_related("receipt")
    )
    events = []
    for event in AuditEvent.objects.filter(pk__gt=audit_after).exclude(action="statement.imported"):
        details = dict(event.details)
        if event.action == "payment.applied":
            details["order"] = rf_of[details["order"]]
        obj = (
            ref_of[int(event.object_id)]
            if event.object_type == "payments.payment"
            else event.object_repr
        )
        events.append(
            (event.action, event.object_type, obj, event.subject_id, sorted(details.items()))
        )
    notes = []
    for note in Notification.objects.filter(pk__gt=notes_after):
        _receipt, receipt_pk, _person, person_pk = note.dedup_key.split(":")
        key = (receipt_of[int(receipt_pk)], email_of[int(person_pk)])
        recipient = email_of[note.recipient_id]
        notes.append((key, recipient, note.channel, note.address, note.subject, note.body))
        notes.append((key, note.short_text))
    return {
        "summary": record.summary,
        "payments": payments,
        "orders": sorted(PaymentOrder.objects.values_list("rf", "paid_cents", "status")),
        "receipt_numbers": sorted(Receipt.objects.values_list("year", "number")),
        "audit": sorted(events, key=str),
        "notifications": sorted(notes, key=str),
        "callbacks": dict(CALLS),
    }


def imported(mixed: list[StatementEntry], how: Callable[[], None] | None = None) -> dict[str, Any]:
    """Import `mixed` in a transaction that is then undone, and say what it did."""
    audit_after = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    notes_after = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    CALLS.clear()
    with transaction.atomic():
        if how is not None:
            how()
        record = actions.do_import_statement(statement(mixed), file_name="s.xml", sha256="x")
        result = outcome(record, audit_after, notes_after)
        transaction.set_rollback(True)
    return result


def one_by_one(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    def settle_each(entries: list[Any], counts: dict[str, int]) -> None:
        for item in entries:
            counts[actions._import_entry(item)] += 1

    return lambda: monkeypatch.setattr(actions, "_import_batch", settle_each)


def test_batches_settle_exactly_as_one_by_one(
    mixed: list[StatementEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = imported(mixed, one_by_one(monkeypatch))
    monkeypatch.undo()
    assert reference["summary"] == {
        "applied": 13,
        "review": 5,  # no RF, unknown RF, cancelled, expired, a reversal with nothing to undo
        "reversed": 1,
        "duplicate": 3,
        "debits": 1,
    }
    assert len(reference["notifications"]) == 2 * 13  # one e-mail per receipt
    assert reference["callbacks"]["7"] == [(3000, "paid", 3000), (3000, "paid", 6000)]
    assert reference["callbacks"]["8"] == [(1000, "partly_paid", 1000), (3000, "paid", 3000)]
    assert imported(mixed) == reference


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_any_batch_size_settles_the_same(
    mixed: list[StatementEntry], monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    reference = imported(mixed)
    monkeypatch.setattr(actions, "STATEMENT_BATCH", size)
    assert imported(mixed) == reference


def test_a_batch_that_meets_a_twins_reference_is_undone_and_settled_one_by_one(
    mixed: list[StatementEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = imported(mixed)
    real = actions._settle_batch

    def twin_got_there_first(entries: list[Any], counts: dict[str, int]) -> None:
        real(entries, counts)  # everything written, then the database refuses a reference
        CALLS.clear()  # what the callbacks wrote is undone with the batch; their record here not
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(actions, "_settle_batch", twin_got_there_first)
    assert imported(mixed) == reference


def test_receipt_numbers_stay_gapless_per_year_across_batches(
    mixed: list[StatementEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actions, "STATEMENT_BATCH", 4)
    numbers = imported(mixed)["receipt_numbers"]
    for year in (2025, 2026):
        taken = sorted(number for y, number in numbers if y == year)
        assert taken == list(range(1, len(taken) + 1))
