"""Every write about money: one transaction each, audited, idempotent where the world repeats."""

import collections
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dimos.accounts.models import Business, Representation, User
from dimos.core import audit
from dimos.core.documents import issue_document
from dimos.core.models import AuditEvent
from dimos.core.numbering import take_next_number, take_next_numbers
from dimos.core.security_log import security_event
from dimos.core.templatetags.dimos_money import format_euros
from dimos.notifications.actions import ToQueue, queue_notifications
from dimos.payments import rules
from dimos.payments.models import (
    CardAttempt,
    GatewayAlert,
    Payment,
    PaymentOrder,
    Receipt,
    StatementImport,
)
from dimos.payments.registry import payable_kind
from dimos.payments.statements.rf import format_rf

RECEIPT_SERIES = "receipt"


@dataclass(frozen=True)
class Settlement:
    payment: Payment
    receipt: Receipt | None
    new: bool  # False when this capture or bank entry had already been counted


def do_issue_order(
    *,
    amount_cents: int,
    description: str,
    payer_person: User | None = None,
    payer_business: Business | None = None,
    payable_kind_key: str = "adhoc",
    payable_id: str = "",
    created_by: User | None = None,
    expires_on: Any = None,
    request: HttpRequest | None = None,
) -> PaymentOrder:
    """A payment order with its RF reference (ISO 11649), ready to be paid either way."""
    if amount_cents <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="amount")
    if (payer_person is None) == (payer_business is None):
        raise ValidationError(_("Choose the person or the business that pays."), code="payer")
    payer_name = (
        payer_person.get_full_name()
        if payer_person
        else payer_business.legal_name
        if payer_business
        else ""
    )
    with transaction.atomic():
        order = PaymentOrder.objects.create(
            payer_person=payer_person,
            payer_business=payer_business,
            payer_name=payer_name,
            amount_cents=amount_cents,
            description=description,
            payable_kind=payable_kind_key,
            payable_id=payable_id,
            created_by=created_by,
            expires_on=expires_on,
        )
        order.rf = rules.rf_for_order(order.pk)
        order.save(update_fields=["rf"])
        audit.record(
            "payment_order.issued",
            order,
            actor=created_by,
            request=request,
            subject=payer_person,
            amount_cents=amount_cents,
        )
    return order


def do_cancel_order(
    order: PaymentOrder, clerk: User, reason: str, request: HttpRequest | None = None
) -> None:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the cancellation."), code="reason")
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != PaymentOrder.Status.OPEN:
            raise ValidationError(
                _("Only an order with nothing paid can be cancelled."), code="status"
            )
        locked.status = PaymentOrder.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason.strip()
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit.record(
            "payment_order.cancelled",
            locked,
            actor=clerk,
            request=request,
            subject=locked.payer_person,
            reason=locked.cancel_reason,
        )
    order.refresh_from_db()


def _record_payment(order: PaymentOrder | None, **fields: Any) -> tuple[Payment, bool]:
    """The Payment row for this outside reference: created now, or the one already there."""
    try:
        with transaction.atomic():  # a savepoint: a racing twin may insert the same reference
            return Payment.objects.create(order=order, **fields), True
    except IntegrityError:
        return Payment.objects.get(
            method=fields["method"], external_ref=fields["external_ref"]
        ), False


def _issue_receipt(payment: Payment) -> Receipt:
    year = timezone.localtime(payment.received_at).year
    return Receipt.objects.create(
        payment=payment, year=year, number=take_next_number(RECEIPT_SERIES, year)
    )


def _apply(order: PaymentOrder, payment: Payment) -> Receipt:
    """Count an applied payment on its (locked) order: amounts, status, receipt, the payable
    thing's callback and the payer's e-mail — all in the caller's transaction."""
    order.paid_cents += payment.amount_cents
    order.status = rules.status_after_payment(order.amount_cents, order.paid_cents)
    order.save(update_fields=["paid_cents", "status"])
    reason = rules.review_reason(order.amount_cents, order.paid_cents)
    if reason != payment.review_reason:  # an exact payment keeps "": nothing to write
        payment.review_reason = reason
        payment.save(update_fields=["review_reason"])
    receipt = _issue_receipt(payment)
    kind = payable_kind(order.payable_kind)
    if kind is not None:
        kind.on_settled(order)
    _tell_payers([(order, receipt)])
    return receipt


def do_settle(
    order: PaymentOrder | None,
    *,
    method: str,
    external_ref: str,
    amount_cents: int,
    received_at: datetime | None = None,
    payer_text: str = "",
    details: dict[str, Any] | None = None,
) -> Settlement:
    """Count money received against an order, once, and issue its receipt.

    The same capture or bank entry (method + reference) is counted once whatever arrives twice,
    late or concurrently. Money that cannot be applied (no order, a cancelled or expired order)
    waits for a clerk in the review queue; a partial or excess amount (also a second payment of
    an order already paid) is applied, receipted and flagged for review.
    """
    with transaction.atomic():
        return _settle(
            order,
            method=method,
            external_ref=external_ref,
            amount_cents=amount_cents,
            received_at=received_at,
            payer_text=payer_text,
            details=details,
        )


def _locked_order(pk: int) -> PaymentOrder:
    """The order, locked; its payer read with it (the receipt's e-mail goes to them)."""
    return (
        PaymentOrder.objects.select_for_update(of=("self",))
        .select_related("payer_person")
        .get(pk=pk)
    )


def _settle(
    order: PaymentOrder | None,
    *,
    method: str,
    external_ref: str,
    amount_cents: int,
    received_at: datetime | None = None,
    payer_text: str = "",
    details: dict[str, Any] | None = None,
) -> Settlement:
    """`do_settle` inside the caller's transaction."""
    locked = _locked_order(order.pk) if order is not None else None
    payment, new = _record_payment(
        locked,
        method=method,
        external_ref=external_ref,
        amount_cents=amount_cents,
        received_at=received_at or timezone.now(),
        payer_text=payer_text[:250],
        details=details or {},
    )
    if not new:
        return Settlement(payment, getattr(payment, "receipt", None), new=False)
    if locked is None or locked.status in rules.CLOSED_WITHOUT_PAYMENT:
        payment.order = locked
        payment.state = Payment.State.REVIEW
        payment.review_reason = rules.why_not_applicable(locked)
        payment.save(update_fields=["order", "state", "review_reason"])
        audit.record("payment.to_review", payment, reason=payment.review_reason)
        return Settlement(payment, None, new=True)
    receipt = _apply(locked, payment)
    audit.record(
        "payment.applied",
        payment,
        subject=locked.payer_person,
        order=locked.pk,
        amount_cents=amount_cents,
        receipt=receipt.display_number,
    )
    return Settlement(payment, receipt, new=True)


def do_start_card_attempt(order: PaymentOrder, request: HttpRequest | None = None) -> CardAttempt:
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if not locked.is_payable:
            raise ValidationError(_("This order cannot be paid any more."), code="status")
        count = CardAttempt.objects.filter(order=locked).count() + 1
        attempt = CardAttempt.objects.create(
            order=locked, gateway_order_id=f"{locked.pk}at{count}", amount_cents=locked.due_cents
        )
        audit.record(
            "payment.card_started",
            attempt,
            request=request,
            subject=locked.payer_person,
            amount_cents=attempt.amount_cents,
        )
    return attempt


def do_alert(reason: str, fields: dict[str, Any], ip: str | None) -> GatewayAlert:
    alert = GatewayAlert.objects.create(reason=reason[:250], fields=fields, ip=ip)
    security_event(
        "payment_callback_rejected",
        obj=alert,
        reason=reason[:250],
        ip=ip,
        order=fields.get("orderid"),
    )
    return alert


RECEIPT_KIND = "payment-receipt"


def do_issue_receipt_document(receipt: Receipt, request: HttpRequest | None = None) -> Any:
    """The receipt's PDF with its verification code: issued once, the same file afterwards."""
    payment = receipt.payment
    order = payment.order
    assert order is not None  # only applied payments have receipts
    with translation.override("el"):
        title = _("Payment receipt %(number)s, %(amount)s, %(payer)s") % {
            "number": receipt.display_number,
            "amount": format_euros(payment.amount_cents),
            "payer": rules.masked_name(order.payer_name),
        }
        rows = [
            (_("Receipt number"), receipt.display_number),
            (_("Date and time"), date_format(timezone.localtime(payment.received_at), "d/m/Y H:i")),
            (_("Payer"), order.payer_name),
            (_("For"), order.description),
            (_("Amount"), format_euros(payment.amount_cents)),
            (_("Method"), payment.get_method_display()),
            (_("Payment code (RF)"), format_rf(order.rf or "")),
            (_("Gateway or bank reference"), payment.external_ref),
        ]
    with transaction.atomic():
        document = issue_document(
            RECEIPT_KIND,
            str(title),
            "core/pdf/simple.html",
            {"rows": rows},
            holder=order.payer_person,
            about=receipt,
            request=request,
        )
        if receipt.document_id != document.pk:
            Receipt.objects.filter(pk=receipt.pk).update(document=document)
    return document


def do_handle_card_response(body: bytes, ip: str | None) -> CardAttempt | None:
    """A browser return or a background confirmation from the card gateway: the same
    idempotent handling. A forged or altered one, an unknown order or a wrong amount changes
    nothing and raises an alert for staff."""
    from dimos.payments.gateways import gateway_from_settings
    from dimos.payments.gateways.base import InvalidSignature

    try:
        response = gateway_from_settings().parse_response(body)
    except InvalidSignature:
        do_alert(_("Card response with an invalid signature."), _fields_of(body), ip)
        return None
    attempt = (
        CardAttempt.objects.select_related("order")
        .filter(gateway_order_id=response.order_ref)
        .first()
    )
    if attempt is None:
        do_alert(_("Card response for an unknown order."), dict(response.fields), ip)
        return None
    if response.outcome == "paid" and response.amount_cents != attempt.amount_cents:
        do_alert(_("Card response with a different amount than asked."), dict(response.fields), ip)
        return attempt
    capture_ref = response.transaction_id or response.order_ref
    with transaction.atomic():
        # The attempt is locked first (then, settling, its order): the browser return and the
        # gateway's confirmations of one capture wait here for each other, and the later ones
        # find the capture counted.
        locked = CardAttempt.objects.select_for_update().get(pk=attempt.pk)
        # A late "declined" never overwrites a "paid": once paid, always paid.
        if locked.outcome != CardAttempt.Outcome.PAID:
            locked.outcome = response.outcome
            locked.message = response.message[:250]
            locked.finished_at = timezone.now()
            locked.save(update_fields=["outcome", "message", "finished_at"])
        if response.outcome == "paid" and not _card_capture_counted(capture_ref):
            _settle(
                attempt.order,
                method=Payment.Method.CARD,
                external_ref=capture_ref,
                amount_cents=attempt.amount_cents,
                details={
                    "payment_ref": response.payment_ref,
                    "status": response.status,
                    "attempt": attempt.gateway_order_id,
                },
            )
    return locked


def _card_capture_counted(capture_ref: str) -> bool:
    return Payment.objects.filter(method=Payment.Method.CARD, external_ref=capture_ref).exists()


def _fields_of(body: bytes) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _reverse(entry: Any, order: PaymentOrder | None) -> str:
    """The bank took back a credit: undo the matching applied payment, flag it for a clerk."""
    original = (
        Payment.objects.select_for_update()
        .filter(
            order=order,
            method=Payment.Method.BANK,
            state=Payment.State.APPLIED,
            amount_cents=entry.amount_cents,
        )
        .order_by("-received_at")
        .first()
        if order is not None
        else None
    )
    _reversal, new = _record_payment(
        order,
        method=Payment.Method.BANK,
        external_ref=entry.entry_ref,
        amount_cents=entry.amount_cents,
        state=Payment.State.REVIEW,
        review_reason=_("Reversal by the bank."),
        payer_text=entry.debtor_name[:250],
        details={"reversal": True},
    )
    if not new:
        return "duplicate"
    if original is None or order is None:
        return "review"
    original.state = Payment.State.REVERSED
    original.review_reason = _("Reversed by the bank (entry %(ref)s).") % {"ref": entry.entry_ref}
    original.save(update_fields=["state", "review_reason"])
    locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
    locked.paid_cents -= original.amount_cents
    locked.status = (
        rules.status_after_payment(locked.amount_cents, locked.paid_cents)
        if locked.paid_cents
        else PaymentOrder.Status.OPEN
    )
    locked.save(update_fields=["paid_cents", "status"])
    receipt = getattr(original, "receipt", None)
    if receipt is not None and receipt.document is not None:
        from dimos.core.documents import revoke_document

        revoke_document(receipt.document, _("The bank reversed the payment."))
    audit.record("payment.reversed", original, subject=locked.payer_person, entry=entry.entry_ref)
    return "reversed"


STATEMENT_BATCH = 2000  # entries settled together: a few queries for them all, not ten each


def do_import_statement(
    statement: Any, *, file_name: str, sha256: str, clerk: User | None = None
) -> StatementImport:
    """Apply a parsed bank statement: credits matched by RF, reversals undone, the rest to
    review. Entries already imported (same bank reference) change nothing."""
    counts = {"applied": 0, "review": 0, "reversed": 0, "duplicate": 0, "debits": 0}
    entries = list(statement.entries)
    with transaction.atomic():
        for start in range(0, len(entries), STATEMENT_BATCH):
            _import_batch(entries[start : start + STATEMENT_BATCH], counts)
        record = StatementImport.objects.create(
            imported_by=clerk,
            file_name=file_name[:200],
            file_format=statement.format,
            statement_id=statement.statement_id[:100],
            sha256=sha256,
            summary=counts,
        )
        audit.record("statement.imported", record, actor=clerk, counts=counts)
    return record


def _import_batch(entries: list[Any], counts: dict[str, int]) -> None:
    """Settle `entries` together, exactly as one by one would. If a twin import running at
    the same time wrote one of the same bank references first, this batch is undone and
    settled one by one, where each entry sees the twin's payment and counts as a duplicate."""
    batch_counts = dict.fromkeys(counts, 0)
    try:
        with transaction.atomic():  # a savepoint: only this batch is undone
            _settle_batch(entries, batch_counts)
    except IntegrityError:
        batch_counts = dict.fromkeys(counts, 0)
        for entry in entries:
            batch_counts[_import_entry(entry)] += 1
    for outcome, count in batch_counts.items():
        counts[outcome] += count


def _import_entry(entry: Any) -> str:
    """One entry settled on its own: what the batch does for many (and the reference the
    batch is tested against)."""
    order = PaymentOrder.objects.filter(rf=entry.rf).first() if entry.rf else None
    if entry.reversal:
        return _reverse(entry, order)
    if not entry.credit:
        return "debits"
    settled = do_settle(
        order,
        method=Payment.Method.BANK,
        external_ref=entry.entry_ref,
        amount_cents=entry.amount_cents,
        received_at=_aware(entry.value_date),
        payer_text=entry.debtor_name,
        details=_entry_details(entry),
    )
    if not settled.new:
        return "duplicate"
    return "review" if settled.payment.state == Payment.State.REVIEW else "applied"


def _entry_details(entry: Any) -> dict[str, Any]:
    return {
        "rf": entry.rf or "",
        "remittance": entry.remittance[:500],
        "debtor_iban": entry.debtor_iban,
    }


def _settle_batch(entries: list[Any], counts: dict[str, int]) -> None:
    # The orders are locked first, in one order (by pk): a twin import waits here for ours
    # to commit, and then sees our payments among the references already known.
    orders = _lock_orders_by_rf({entry.rf for entry in entries if entry.rf})
    known = set(
        Payment.objects.filter(
            method=Payment.Method.BANK, external_ref__in={entry.entry_ref for entry in entries}
        ).values_list("external_ref", flat=True)
    )
    batch = _Batch()
    for entry in entries:
        order = orders.get(entry.rf) if entry.rf else None
        if entry.reversal:
            batch.flush()  # a reversal looks for the payment it undoes in the database
            counts[_reverse(entry, order)] += 1
            known.add(entry.entry_ref)
            if order is not None:
                order.refresh_from_db(fields=["paid_cents", "status"])
            continue
        if not entry.credit:
            counts["debits"] += 1
            continue
        if entry.entry_ref in known:
            counts["duplicate"] += 1
            continue
        known.add(entry.entry_ref)
        payment = Payment(
            order=order,
            method=Payment.Method.BANK,
            external_ref=entry.entry_ref,
            amount_cents=entry.amount_cents,
            received_at=_aware(entry.value_date) or timezone.now(),
            payer_text=entry.debtor_name[:250],
            details=_entry_details(entry),
        )
        if order is None or order.status in rules.CLOSED_WITHOUT_PAYMENT:
            batch.to_review(payment, rules.why_not_applicable(order))
            counts["review"] += 1
            continue
        if batch.tells_payable_thing_of(order):
            batch.flush()  # its callback must see each payment of the thing, one at a time
        batch.apply(order, payment)
        counts["applied"] += 1
    batch.flush()


def _lock_orders_by_rf(rfs: set[str]) -> dict[str, PaymentOrder]:
    if not rfs:
        return {}
    locked = (
        PaymentOrder.objects.select_for_update(of=("self",))
        .select_related("payer_person")
        .filter(rf__in=rfs)
        .order_by("pk")
    )
    return {order.rf: order for order in locked if order.rf}


def _payable_thing(order: PaymentOrder) -> tuple[str, str] | None:
    """What the order pays, if a payable kind is told of its payments (a fine, a tax debt)."""
    if payable_kind(order.payable_kind) is None:
        return None
    return (order.payable_kind, order.payable_id)


class _Batch:
    """Payments of a statement settled in memory, against orders locked for the whole import,
    then written by `flush` in a few statements: the same rows, states, receipt numbers (in
    the same order), callbacks, e-mails and audit rows as settling them one by one."""

    def __init__(self) -> None:
        self.payments: list[Payment] = []
        self.applied: list[tuple[Payment, PaymentOrder]] = []
        self.orders: dict[int, PaymentOrder] = {}
        self.things_told: set[tuple[str, str]] = set()

    def to_review(self, payment: Payment, reason: str) -> None:
        payment.state = Payment.State.REVIEW
        payment.review_reason = reason
        self.payments.append(payment)

    def tells_payable_thing_of(self, order: PaymentOrder) -> bool:
        return _payable_thing(order) in self.things_told

    def apply(self, order: PaymentOrder, payment: Payment) -> None:
        """What `_apply` does to the order and the payment, in memory."""
        order.paid_cents += payment.amount_cents
        order.status = rules.status_after_payment(order.amount_cents, order.paid_cents)
        payment.review_reason = rules.review_reason(order.amount_cents, order.paid_cents)
        self.payments.append(payment)
        self.applied.append((payment, order))
        self.orders[order.pk] = order
        thing = _payable_thing(order)
        if thing is not None:
            self.things_told.add(thing)

    def flush(self) -> None:
        """Write what is in memory; the payable things are told, and the payers e-mailed,
        in the order the payments were applied."""
        if not self.payments:
            return
        Payment.objects.bulk_create(self.payments, batch_size=1000)
        receipts = _numbered_receipts([payment for payment, _order in self.applied])
        Receipt.objects.bulk_create(receipts, batch_size=1000)
        PaymentOrder.objects.bulk_update(
            list(self.orders.values()), ["paid_cents", "status"], batch_size=500
        )
        orders = [order for _payment, order in self.applied]
        _tell_payable_things(orders)
        _tell_payers(list(zip(orders, receipts, strict=True)))
        audit.record_all(self._audit_events(receipts))
        self.payments, self.applied, self.orders, self.things_told = [], [], {}, set()

    def _audit_events(self, receipts: list[Receipt]) -> list[AuditEvent]:
        receipt_of = {id(receipt.payment): receipt for receipt in receipts}
        events = []
        for payment in self.payments:
            receipt = receipt_of.get(id(payment))
            if receipt is None:
                events.append(
                    audit.event("payment.to_review", payment, reason=payment.review_reason)
                )
                continue
            order = payment.order
            assert order is not None  # only applied payments have receipts
            events.append(
                audit.event(
                    "payment.applied",
                    payment,
                    subject=order.payer_person,
                    order=order.pk,
                    amount_cents=payment.amount_cents,
                    receipt=receipt.display_number,
                )
            )
        return events


def _tell_payable_things(orders: list[PaymentOrder]) -> None:
    """Each kind's callback, told of its orders together (each of a different payable thing:
    `_Batch` flushes before a second payment of the same thing)."""
    by_kind: dict[str, list[PaymentOrder]] = collections.defaultdict(list)
    for order in orders:
        by_kind[order.payable_kind].append(order)
    for key, its_orders in by_kind.items():
        kind = payable_kind(key)
        if kind is not None:
            kind.tell_settled(its_orders)


def _numbered_receipts(payments: list[Payment]) -> list[Receipt]:
    """Receipts of payments in the order they were applied, numbered gapless per year from
    one block of numbers per year (as taking them one at a time would)."""
    years = [timezone.localtime(payment.received_at).year for payment in payments]
    next_number = {
        year: take_next_numbers(RECEIPT_SERIES, year, count)
        for year, count in collections.Counter(years).items()
    }
    receipts = []
    for payment, year in zip(payments, years, strict=True):
        receipts.append(Receipt(payment=payment, year=year, number=next_number[year]))
        next_number[year] += 1
    return receipts


def _tell_payers(settled: list[tuple[PaymentOrder, Receipt]]) -> None:
    """`_tell_payer` for many receipts: the businesses' representatives in one query, the
    e-mails queued together. (The message says what was received, not the order's balance.)"""
    businesses = {
        order.payer_business_id
        for order, _receipt in settled
        if order.payer_person_id is None and order.payer_business_id is not None
    }
    representatives: dict[int, list[User]] = collections.defaultdict(list)
    if businesses:
        for representation in Representation.objects.filter(
            business__in=businesses, status=Representation.Status.APPROVED
        ).select_related("person"):
            representatives[representation.business_id].append(representation.person)
    messages = []
    for order, receipt in settled:
        recipients = (
            [order.payer_person]
            if order.payer_person is not None
            else representatives.get(order.payer_business_id or 0, [])
        )
        messages += [
            ToQueue(
                person,
                "payment_received",
                {"order": order, "receipt": receipt},
                dedup_key=f"receipt:{receipt.pk}:person:{person.pk}",
                channel="email",
            )
            for person in recipients
        ]
    queue_notifications(messages)


def _aware(day: Any) -> datetime | None:
    if day is None:
        return None
    # The value date is a day; noon in Athens keeps it the same day in every timezone view.
    return datetime(
        day.year, day.month, day.day, 12, 0, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )


def do_assign_review_payment(
    payment: Payment, order: PaymentOrder, clerk: User, request: HttpRequest | None = None
) -> Settlement:
    """A clerk decides which order a credit in the review queue pays."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.state != Payment.State.REVIEW or locked.details.get("reversal"):
            raise ValidationError(_("This payment is not waiting for an order."), code="state")
        if order.status in rules.CLOSED_WITHOUT_PAYMENT:
            raise ValidationError(_("This order takes no payments."), code="order")
        order_locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        locked.order = order_locked
        locked.state = Payment.State.APPLIED
        locked.resolved_by = clerk
        locked.save(update_fields=["order", "state", "resolved_by"])
        receipt = _apply(order_locked, locked)
        audit.record(
            "payment.assigned",
            locked,
            actor=clerk,
            request=request,
            subject=order_locked.payer_person,
            order=order_locked.pk,
        )
    return Settlement(locked, receipt, new=True)


def do_close_review(payment: Payment, clerk: User, request: HttpRequest | None = None) -> None:
    """The clerk has dealt with it (refunded, credited, checked): out of the queue."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        locked.resolved_by = clerk
        locked.save(update_fields=["resolved_by"])
        audit.record("payment.review_closed", locked, actor=clerk, request=request)


def do_expire_overdue_orders(today: Any = None) -> int:
    """Orders nobody paid by their «pay by» date stop taking payments (what arrives later
    waits for a clerk). Partly paid ones stay open: money was received against them."""
    today = today or timezone.localdate()
    expired = 0
    with transaction.atomic():
        for order in PaymentOrder.objects.select_for_update().filter(
            status=PaymentOrder.Status.OPEN, expires_on__lt=today
        ):
            order.status = PaymentOrder.Status.EXPIRED
            order.save(update_fields=["status"])
            audit.record("payment_order.expired", order, subject=order.payer_person)
            expired += 1
    return expired
