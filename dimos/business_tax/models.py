"""Municipal fees of businesses: what is charged (fee types, rates), who declares what for which
period, and the debts that follow, each paid through one or more payment orders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import ActivityCategory, Business
from dimos.business_tax import rules
from dimos.core.choices import ChoiceLabels
from dimos.core.numbering import format_year_number
from dimos.payments.models import PaymentOrder


class FeeType(ChoiceLabels, models.Model):
    """One municipal fee, as configuration: its legal source, how it is computed, when it is
    due and what is added when it is late. Which businesses owe it follows from their
    activity category; none listed means any business (public space, advertising)."""

    class Basis(models.TextChoices):
        RECEIPTS = rules.BASIS_RECEIPTS, _("Gross receipts × rate")
        AREA = rules.BASIS_AREA, _("Square metres × rate × period")

    class Deadline(models.TextChoices):
        VAT = rules.DEADLINE_VAT, _("With the VAT return of the period")
        NOTICE = rules.DEADLINE_NOTICE, _("Within a number of days after issue")

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_source = models.CharField(_("legal source"), max_length=300)
    basis = models.CharField(_("computed on"), max_length=10, choices=Basis.choices)
    rate_bp = models.PositiveIntegerField(
        _("rate (hundredths of a percent)"),
        default=0,
        help_text=_("For fees on gross receipts: 50 means 0.5 %, 500 means 5 %."),
    )
    categories = models.ManyToManyField(
        ActivityCategory,
        verbose_name=_("activity categories that owe it"),
        blank=True,
        related_name="fee_types",
    )
    self_declared = models.BooleanField(
        _("declared by the business"),
        default=True,
        help_text=_("Otherwise only the municipality assesses it."),
    )
    deadline_rule = models.CharField(
        _("deadline"), max_length=10, choices=Deadline.choices, default=Deadline.VAT
    )
    payment_days = models.PositiveSmallIntegerField(
        _("days to pay after issue"),
        default=30,
        help_text=_("For fees due a number of days after issue."),
    )
    surcharge_bp_per_month = models.PositiveIntegerField(
        _("late surcharge per month (hundredths of a percent)"), default=0
    )
    surcharge_cap_bp = models.PositiveIntegerField(
        _("late surcharge cap (hundredths of a percent)"), default=10000
    )
    unauthorised_multiplier = models.PositiveSmallIntegerField(
        _("fine for unauthorised use, times the fee"), default=0
    )
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("fee type")
        verbose_name_plural = _("fee types")
        constraints = [
            models.CheckConstraint(
                condition=~Q(basis=rules.BASIS_RECEIPTS) | Q(rate_bp__gt=0),
                name="business_tax_receipts_fee_has_rate",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def on_receipts(self) -> bool:
        return self.basis == rules.BASIS_RECEIPTS

    @property
    def rate_percent(self) -> str:
        return rules.percent(self.rate_bp)


class AreaRate(ChoiceLabels, models.Model):
    """A rate per square metre set by council decision: a public-space zone or an advertising
    category, per month, week or year."""

    class Unit(models.TextChoices):
        WEEK = "week", _("per week")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    fee_type = models.ForeignKey(
        FeeType, on_delete=models.PROTECT, related_name="rates", verbose_name=_("fee type")
    )
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    cents_per_unit = models.PositiveIntegerField(_("cents per m² per unit"))
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.MONTH)
    council_decision = models.CharField(_("council decision"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["fee_type", "code"]
        verbose_name = _("rate per square metre")
        verbose_name_plural = _("rates per square metre")
        constraints = [
            models.UniqueConstraint(fields=["fee_type", "code"], name="business_tax_rate_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_unit_display()})"


class TaxProfile(ChoiceLabels, models.Model):
    """How a business declares: monthly or quarterly (as it files VAT), whether it pays VAT,
    and from which period on. Without one a business declares monthly, as a VAT payer."""

    class Frequency(models.TextChoices):
        MONTHLY = rules.MONTHLY, _("Monthly")
        QUARTERLY = rules.QUARTERLY, _("Quarterly")

    business = models.OneToOneField(Business, on_delete=models.PROTECT, related_name="tax_profile")
    frequency = models.CharField(
        _("declares"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    vat_payer = models.BooleanField(_("files VAT returns"), default=True)
    declares_from = models.DateField(_("declares from"))

    class Meta:
        verbose_name = _("tax profile")
        verbose_name_plural = _("tax profiles")

    def __str__(self) -> str:
        return f"{self.business} {self.frequency}"


class Declaration(models.Model):
    """What a representative declared for one fee and period, and the fee the system computed.
    An amending declaration points to the one it corrects; each is amended at most once."""

    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="declarations")
    fee_type = models.ForeignKey(FeeType, on_delete=models.PROTECT, related_name="declarations")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    base_cents = models.PositiveBigIntegerField(_("gross receipts (cents)"), default=0)
    base_includes_fee = models.BooleanField(default=False)
    rate_bp = models.PositiveIntegerField(default=0)
    area = models.DecimalField(_("square metres"), max_digits=9, decimal_places=2, null=True)
    area_rate = models.ForeignKey(AreaRate, null=True, blank=True, on_delete=models.PROTECT)
    rate_cents = models.PositiveIntegerField(default=0)
    units = models.PositiveSmallIntegerField(default=0)
    fee_cents = models.PositiveBigIntegerField(_("fee (cents)"))
    previous_fee_cents = models.PositiveBigIntegerField(default=0)
    amends = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by"
    )
    deadline = models.DateField(_("deadline"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="business_tax_decl_number"),
            # One first declaration per business, fee and period; corrections amend it.
            models.UniqueConstraint(
                fields=["business", "fee_type", "period_start"],
                condition=Q(amends__isnull=True),
                name="business_tax_one_declaration_per_period",
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return format_year_number(self.year, self.number)

    @property
    def difference_cents(self) -> int:
        return int(self.fee_cents) - int(self.previous_fee_cents)


class Debt(ChoiceLabels, models.Model):
    """What a business owes: from a declaration, an amending declaration, or the
    municipality's own assessment. The amount due on a day adds the late surcharge or, once
    certified, the interest (rules.amount_due)."""

    class Origin(models.TextChoices):
        DECLARED = "declared", _("Declaration")
        AMENDED = "amended", _("Amending declaration")
        ASSESSED = "assessed", _("Assessed by the municipality")

    class Status(models.TextChoices):
        OPEN = "open", _("To be paid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="tax_debts")
    fee_type = models.ForeignKey(FeeType, on_delete=models.PROTECT, related_name="debts")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    declaration = models.OneToOneField(
        Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="debt"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    description = models.CharField(_("description"), max_length=200)
    fee_cents = models.PositiveBigIntegerField(_("fee (cents)"))
    fine_cents = models.PositiveBigIntegerField(_("fine (cents)"), default=0)
    unauthorised = models.BooleanField(_("unauthorised use"), default=False)
    area = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    area_rate = models.ForeignKey(AreaRate, null=True, blank=True, on_delete=models.PROTECT)
    units = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(_("deadline"))
    # Copied from the fee type when issued: a later change of the rules does not reach back.
    surcharge_bp_per_month = models.PositiveIntegerField(default=0)
    surcharge_cap_bp = models.PositiveIntegerField(default=10000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    paid_cents = models.PositiveBigIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certified_cents = models.PositiveBigIntegerField(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        constraints = [
            models.CheckConstraint(condition=Q(fee_cents__gt=0), name="business_tax_debt_fee"),
        ]
        indexes = [models.Index(fields=["business", "status"], name="business_tax_debt_status")]

    def __str__(self) -> str:
        return f"{self.description} ({self.business.afm})"

    @property
    def is_payable(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PARTLY_PAID)

    def amount_due(self, today: object) -> rules.AmountDue:
        return rules.amount_due(
            fee=int(self.fee_cents),
            fine=int(self.fine_cents),
            due_date=self.due_date,
            today=today,  # type: ignore[arg-type]
            surcharge_bp_per_month=self.surcharge_bp_per_month,
            surcharge_cap_bp=self.surcharge_cap_bp,
            certified_on=self.certified_on,
            paid=int(self.paid_cents),
        )


class DebtOrder(models.Model):
    """A payment order issued for a debt, with what its amount was made of on the day."""

    debt = models.ForeignKey(Debt, on_delete=models.PROTECT, related_name="debt_orders")
    order = models.OneToOneField(
        PaymentOrder, on_delete=models.PROTECT, related_name="business_tax_link"
    )
    fee_cents = models.PositiveBigIntegerField()
    fine_cents = models.PositiveBigIntegerField(default=0)
    surcharge_cents = models.PositiveBigIntegerField(default=0)
    surcharge_months = models.PositiveSmallIntegerField(default=0)
    interest_cents = models.PositiveBigIntegerField(default=0)
    interest_months = models.PositiveSmallIntegerField(default=0)
    already_paid_cents = models.PositiveBigIntegerField(default=0)
    issued_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.debt_id} → {self.order_id}"


class Credit(models.Model):
    """What an amending declaration credits the business: offset or refunded by the treasury."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="tax_credits")
    declaration = models.OneToOneField(Declaration, on_delete=models.PROTECT, related_name="credit")
    amount_cents = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="business_tax_credit"),
        ]

    def __str__(self) -> str:
        return f"{self.business.afm} {self.amount_cents}"
