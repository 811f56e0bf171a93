"""Every write about money: one transaction each, audited, idempotent where the world repeats."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.models import Business, Representation, User
from dimos.core import audit
from dimos.core.numbering import take_next_number
from dimos.notifications.actions import queue_notification
from dimos.payments import rules
from dimos.payments.models import CardAttempt, GatewayAlert, Payment, PaymentOrder, Receipt
from dimos.payments.registry import payable_kind

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


def _tell_payer(order: PaymentOrder, receipt: Receipt) -> None:
    recipients: list[User] = []
    if order.payer_person is not None:
        recipients = [order.payer_person]
    elif order.payer_business is not None:
        recipients = [
            r.person
            for r in Representation.objects.filter(
                business=order.payer_business, status=Representation.Status.APPROVED
            ).select_related("person")
        ]
    for person in recipients:
        queue_notification(
            person,
            "payment_received",
            {"order": order, "receipt": receipt},
            dedup_key=f"receipt:{receipt.pk}:person:{person.pk}",
            channel="email",
        )


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
        locked = (
            PaymentOrder.objects.select_for_update().get(pk=order.pk) if order is not None else None
        )
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
        locked.paid_cents += amount_cents
        locked.status = rules.status_after_payment(locked.amount_cents, locked.paid_cents)
        locked.save(update_fields=["paid_cents", "status"])
        payment.review_reason = rules.review_reason(locked.amount_cents, locked.paid_cents)
        if payment.review_reason:
            payment.save(update_fields=["review_reason"])
        receipt = _issue_receipt(payment)
        kind = payable_kind(locked.payable_kind)
        if kind is not None:
            kind.on_settled(locked)
        audit.record(
            "payment.applied",
            payment,
            subject=locked.payer_person,
            order=locked.pk,
            amount_cents=amount_cents,
            receipt=receipt.display_number,
        )
        _tell_payer(locked, receipt)
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
    return GatewayAlert.objects.create(reason=reason[:250], fields=fields, ip=ip)
