"""What payments hold about a person, and what closing the account does (core/personal_data).

Everything here is kept: payment records are accounting documents of the municipality.
"""

from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.payments.models import CardAttempt, Payment, PaymentOrder

# [ASK] the retention period the municipality's treasury applies (public accounting,
# ν.4270/2014, and tax records, ν.4174/2013 art. 6 / ν.4308/2014); configurable when known.
_KEPT = _(
    "Kept: payments and receipts are accounting records that the municipality must keep "
    "(public accounting and tax law)."
)

register(
    Section(
        key="payment_orders",
        title=_("Your payment orders"),
        model=PaymentOrder,
        rows=lambda p: PaymentOrder.objects.filter(payer_person=p).order_by("created_at", "id"),
        columns=[
            "rf",
            "payer_name",
            "description",
            ("amount_cents", _("Amount (cents)")),
            ("paid_cents", _("Paid (cents)")),
            ("status", _("Status")),
            ("created_at", _("Issued")),
            "expires_on",
        ],
        closure=Closure.KEEP,
        reason=_KEPT,
    )
)
register(
    Section(
        key="payments",
        title=_("Your payments and receipts"),
        model=Payment,
        rows=lambda p: Payment.objects.filter(order__payer_person=p).order_by("received_at"),
        columns=[
            ("order__rf", _("payment code (RF)")),
            ("method", _("Paid by")),
            ("amount_cents", _("Amount (cents)")),
            ("received_at", _("When")),
            ("state", _("Status")),
            ("receipt__year", _("Receipt year")),
            ("receipt__number", _("Receipt number")),
        ],
        closure=Closure.KEEP,
        reason=_KEPT,
    )
)
register(
    Section(
        key="card_attempts",
        title=_("Your card payment attempts"),
        model=CardAttempt,
        rows=lambda p: CardAttempt.objects.filter(order__payer_person=p).order_by("started_at"),
        columns=[
            ("order__rf", _("payment code (RF)")),
            ("amount_cents", _("Amount (cents)")),
            ("outcome", _("Outcome")),
            ("started_at", _("When")),
            ("message", _("Message")),
        ],
        closure=Closure.KEEP,
        reason=_KEPT,
    )
)
exclude(
    "payments.StatementImport",
    "bank statements imported by staff; the person's own payments are in 'payments'",
)
exclude("payments.GatewayAlert", "refused gateway callbacks: the gateway's IP, not a person's")
