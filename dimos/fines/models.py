from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.choices import ChoiceLabels
from dimos.fines import rules


class FineCategory(models.Model):
    """A category of ν.5209/2025 art. 108 §5 (Ε1-Α … Ε4) and its amount, for a period.

    Ε4 amounts are set per article, so Ε4 has one row per article. A change of the law is a new
    row with its `valid_from` (and `valid_to` on the old one): tickets keep the amount of the
    day of the violation.
    """

    code = models.CharField(_("category"), max_length=8)
    article = models.CharField(
        _("article"), max_length=40, blank=True, help_text=_("Only for Ε4, e.g. 38§2δ.")
    )
    amount_cents = models.PositiveIntegerField(_("fine (cents)"))
    licence_days = models.PositiveSmallIntegerField(_("licence removed (days)"), default=0)
    plates_days = models.PositiveSmallIntegerField(_("plates removed (days)"), default=0)
    legal_source = models.CharField(_("legal source"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["code", "article", "-valid_from"]
        verbose_name = _("fine category")
        verbose_name_plural = _("fine categories")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "article", "valid_from"], name="fines_category_period"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="fines_category_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="fines_category_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.article}".strip()


class PaymentPolicy(ChoiceLabels, models.Model):
    """The rule table keyed on the violation date: deadline, early-payment discount, interest.

    The default (from 13.06.2025, ν.5209/2025) has 2 months and no discount. Tickets under older
    rules get the row in force on their date; a municipality adds one if its legal service
    decides that a legacy discount applies.
    """

    name = models.CharField(_("name"), max_length=120)
    legal_source = models.CharField(_("legal source"), max_length=200)
    valid_from = models.DateField(_("for violations from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    payment_months = models.PositiveSmallIntegerField(
        _("months to pay"), default=rules.PAYMENT_MONTHS
    )
    discount_percent = models.PositiveSmallIntegerField(_("early-payment discount (%)"), default=0)
    discount_days = models.PositiveSmallIntegerField(_("discount if paid within (days)"), default=0)
    interest_bp_per_month = models.PositiveSmallIntegerField(
        _("interest per month (hundredths of a percent)"),
        default=rules.INTEREST_BP_PER_MONTH,
        help_text=_("73 means 0.73 % per month."),
    )
    interest_counting = models.CharField(
        _("interest counted per"),
        max_length=8,
        choices=[
            (rules.Counting.STARTED_MONTH.value, _("started month")),
            (rules.Counting.DAY.value, _("day")),
        ],
        default=rules.Counting.STARTED_MONTH.value,
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("payment rule")
        verbose_name_plural = _("payment rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__lte=100), name="fines_policy_discount_percent"
            ),
            models.CheckConstraint(
                condition=Q(payment_months__gt=0), name="fines_policy_months_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Ticket(ChoiceLabels, models.Model):
    """A ticket (κλήση / βεβαίωση παράβασης) of the municipal police, or one a citizen entered
    and paid before the police registered it (provisional)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be paid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    class Vehicle(models.TextChoices):
        CAR = rules.Vehicle.CAR.value, _("Car")
        MOTORCYCLE = rules.Vehicle.MOTORCYCLE.value, _("Motorcycle")
        MOPED = rules.Vehicle.MOPED.value, _("Moped")
        OTHER = rules.Vehicle.OTHER.value, _("Other vehicle")

    number = models.CharField(_("ticket number"), max_length=40)
    number_key = models.CharField(max_length=40, unique=True)  # rules.normalise_code(number)
    plate = models.CharField(_("plate"), max_length=20)
    plate_key = models.CharField(max_length=20, db_index=True)
    vehicle_type = models.CharField(
        _("vehicle"), max_length=12, choices=Vehicle.choices, default=rules.Vehicle.CAR.value
    )
    vehicle_make = models.CharField(_("make"), max_length=60, blank=True)
    vehicle_colour = models.CharField(_("colour"), max_length=40, blank=True)
    issued_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    article = models.CharField(_("article violated"), max_length=60, blank=True)
    category = models.ForeignKey(
        FineCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("category"),
    )
    other_categories = models.CharField(
        _("concurrent violations"), max_length=100, blank=True
    )  # codes, e.g. "Ε1-Α+Ε2-Β" (art. 107 §9)
    officer_code = models.CharField(_("officer"), max_length=20, blank=True)
    licence_days = models.PositiveSmallIntegerField(_("licence removed (days)"), default=0)
    plates_days = models.PositiveSmallIntegerField(_("plates removed (days)"), default=0)
    amount_cents = models.PositiveIntegerField(_("fine (cents)"))
    # The terms of the rule table on the day of the violation (PaymentPolicy).
    payment_deadline = models.DateField(_("pay by"))
    discount_percent = models.PositiveSmallIntegerField(default=0)
    discount_until = models.DateField(null=True, blank=True)
    interest_bp_per_month = models.PositiveSmallIntegerField(default=rules.INTEREST_BP_PER_MONTH)
    interest_counting = models.CharField(max_length=8, default=rules.Counting.STARTED_MONTH.value)
    policy = models.ForeignKey(
        PaymentPolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # After a reconciliation: the day on which what is owed is measured (the citizen's payment
    # day), so that a late registration does not charge interest on a payment made in time.
    owed_as_of = models.DateField(null=True, blank=True)
    paid_cents = models.PositiveIntegerField(default=0)
    refund_due_cents = models.PositiveIntegerField(default=0)
    # Provisional: entered by a citizen, not (yet) registered by the municipal police.
    provisional = models.BooleanField(_("entered by the citizen"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entered_tickets",
    )
    entered_amount_cents = models.PositiveIntegerField(null=True, blank=True)
    entered_plate = models.CharField(max_length=20, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A difference that staff must look at: a refund due, a balance owed, a plate mismatch.
    needs_review = models.BooleanField(default=False)
    review_note = models.CharField(max_length=250, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="fines_ticket_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "partly_paid", "paid", "cancelled"]),
                name="fines_ticket_status_known",
            ),
            models.CheckConstraint(
                condition=Q(provisional=False) | Q(entered_by__isnull=False),
                name="fines_provisional_has_citizen",
            ),
        ]
        indexes = [
            models.Index(fields=["needs_review", "-issued_at"], name="fines_review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.plate}"

    @property
    def terms(self) -> rules.Terms:
        return rules.Terms(
            amount_cents=self.amount_cents,
            deadline=self.payment_deadline,
            discount_percent=self.discount_percent,
            discount_until=self.discount_until,
            bp_per_month=self.interest_bp_per_month,
            counting=self.interest_counting,
        )

    def owed_total(self, today: date) -> int:
        """Fine plus interest (or less a discount) on `today`, before anything paid."""
        return rules.amount_due(self.terms, today)

    def due_today(self, today: date) -> int:
        """What is left to pay on `today`."""
        if self.status in (self.Status.CANCELLED, self.Status.PAID):
            return 0
        return max(self.owed_total(today) - self.paid_cents, 0)

    def interest_today(self, today: date) -> int:
        return self.owed_total(today) - self.amount_cents if today > self.payment_deadline else 0

    def is_certified_debt(self, today: date) -> bool:
        return self.status != self.Status.CANCELLED and rules.is_certified_debt(
            self.payment_deadline, today, self.status == self.Status.PAID
        )

    @property
    def is_payable(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PARTLY_PAID)
