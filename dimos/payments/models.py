from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import Business
from dimos.core.choices import ChoiceLabels
from dimos.core.models import IssuedDocument


class PaymentOrder(ChoiceLabels, models.Model):
    """What someone owes and may pay by card or web banking, identified everywhere by its RF."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be paid")
        PAID = "paid", _("Paid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        OVERPAID = "overpaid", _("Overpaid")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    rf = models.CharField(_("payment code (RF)"), max_length=25, unique=True, null=True, blank=True)
    payer_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name=_("payer (person)"),
    )
    payer_business = models.ForeignKey(
        Business,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name=_("payer (business)"),
    )
    payer_name = models.CharField(_("payer"), max_length=250)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    paid_cents = models.PositiveIntegerField(default=0)
    description = models.CharField(_("description"), max_length=250)
    # The payable thing it settles, registered with dimos.payments.registry (e.g. "fine", "7").
    payable_kind = models.CharField(max_length=40, default="adhoc")
    payable_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_on = models.DateField(_("pay by"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(payer_person__isnull=False) | Q(payer_business__isnull=False),
                name="payments_order_has_payer",
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="payments_order_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["payable_kind", "payable_id"], name="payments_payable")]

    def __str__(self) -> str:
        return f"{self.rf} {self.description}"

    @property
    def due_cents(self) -> int:
        return max(self.amount_cents - self.paid_cents, 0)

    @property
    def is_payable(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PARTLY_PAID)


class Payment(ChoiceLabels, models.Model):
    """Money received: a card capture or a bank credit. Unique by its outside reference, so the
    same capture or statement entry, however often it arrives, is counted once."""

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        BANK = "bank", _("Web banking")

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied to the order")
        REVIEW = "review", _("Waiting for review")
        REVERSED = "reversed", _("Reversed by the bank")

    order = models.ForeignKey(
        PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    external_ref = models.CharField(_("gateway or bank reference"), max_length=120)
    amount_cents = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.APPLIED)
    review_reason = models.CharField(max_length=250, blank=True)
    payer_text = models.CharField(max_length=250, blank=True)  # the bank's debtor name, etc.
    details = models.JSONField(default=dict, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "external_ref"], name="payments_payment_once_per_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method}:{self.external_ref} {self.amount_cents}"


class Receipt(models.Model):
    """Proof of a payment: a number gapless per year, issued in the settling transaction."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    document = models.OneToOneField(
        IssuedDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="receipt"
    )

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="payments_receipt_number"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.year}/{self.number:06d}"


class CardAttempt(ChoiceLabels, models.Model):
    """One trip to the card gateway; its id is the gateway's unique `orderid`."""

    class Outcome(models.TextChoices):
        STARTED = "started", _("Started")
        PAID = "paid", _("Paid")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        ERROR = "error", _("Error")
        PENDING = "pending", _("Pending")

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="attempts")
    gateway_order_id = models.CharField(max_length=50, unique=True)
    amount_cents = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.STARTED)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.gateway_order_id


class GatewayAlert(models.Model):
    """A callback that was refused (bad digest, unknown order, wrong amount): staff look."""

    received_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=250)
    fields = models.JSONField(default=dict)
    ip = models.GenericIPAddressField(null=True, blank=True)
    handled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.reason


class StatementImport(models.Model):
    """One bank statement file a clerk imported, and what it did."""

    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=12)
    statement_id = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.imported_at:%Y-%m-%d}"
