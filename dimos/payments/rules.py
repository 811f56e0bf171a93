"""Rules of payment orders, as plain functions."""

from django.utils.translation import gettext as _

from dimos.payments.models import PaymentOrder
from dimos.payments.statements.rf import RfLayout

Status = PaymentOrder.Status
# Orders that take no money: what arrives for them waits for a clerk (refund or reassign).
CLOSED_WITHOUT_PAYMENT = frozenset({Status.CANCELLED, Status.EXPIRED})


def rf_for_order(order_id: int) -> str:
    """The order's RF (ISO 11649). The body's layout (prefix, length) is the bank's: settings."""
    return RfLayout.from_settings().make(order_id)


def status_after_payment(amount_cents: int, paid_cents: int) -> str:
    if paid_cents == amount_cents:
        return Status.PAID
    if paid_cents > amount_cents:
        return Status.OVERPAID
    return Status.PARTLY_PAID


def review_reason(amount_cents: int, paid_cents: int) -> str:
    """Why an applied payment still needs a clerk's look: it did not settle exactly."""
    if paid_cents < amount_cents:
        return _("Partly paid: %(left)s cents still owed.") % {"left": amount_cents - paid_cents}
    if paid_cents > amount_cents:
        return _("Overpaid by %(extra)s cents: to refund or to credit.") % {
            "extra": paid_cents - amount_cents
        }
    return ""


def why_not_applicable(order: PaymentOrder | None) -> str:
    if order is None:
        return _("No payment order has this reference.")
    if order.status == Status.CANCELLED:
        return _("The payment order was cancelled.")
    return _("The payment order has expired.")


def masked_name(name: str) -> str:
    """What a public check shows of a payer: «Μαρία Παπαδοπούλου» → «Μ*** Π***»."""
    return " ".join(f"{word[0]}***" for word in name.split() if word)
