"""Reads the pages share: a representative's businesses, the dashboard, the computation shown
before a declaration is confirmed, and the back office's lists and reports."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dimos.accounts.models import Business, User
from dimos.business_tax import rules
from dimos.business_tax.models import (
    AreaRate,
    Credit,
    Debt,
    DebtOrder,
    Declaration,
    FeeType,
    TaxProfile,
)
from dimos.payments.models import Payment

# --- The representative's side -------------------------------------------------------------


def businesses_of(person: User) -> QuerySet[Business]:
    """Only businesses whose representation a clerk approved."""
    return person.approved_businesses().select_related("activity_category").distinct()


def own_business(person: User, afm: str) -> Business | None:
    return businesses_of(person).filter(afm=afm).first()


def profile_of(business: Business) -> TaxProfile:
    """The business's tax profile, or the default one (monthly, VAT payer, from the month it
    was registered), unsaved."""
    profile = TaxProfile.objects.filter(business=business).first()
    if profile is not None:
        return profile
    registered = timezone.localdate(business.created_at or timezone.now())
    return TaxProfile(business=business, declares_from=registered.replace(day=1))


def fee_types_for(business: Business, *, declared_only: bool = True) -> QuerySet[FeeType]:
    """The fees that follow from the business's activity category, and those owed by any
    business (no category listed)."""
    qs = FeeType.objects.filter(active=True).filter(
        Q(categories=business.activity_category_id) | Q(categories__isnull=True)
    )
    if declared_only:
        qs = qs.filter(self_declared=True)
    return qs.distinct().order_by("position", "name")


def periodic_fee_types_for(business: Business) -> list[FeeType]:
    """The fees declared period by period (on gross receipts), from the activity category."""
    return list(
        FeeType.objects.filter(
            active=True,
            self_declared=True,
            basis=rules.BASIS_RECEIPTS,
            categories=business.activity_category_id,
        ).order_by("position", "name")
    )


@dataclass(frozen=True)
class OpenPeriod:
    fee_type: FeeType
    period: rules.Period
    deadline: date
    late: bool


def undeclared_periods(
    business: Business, today: date, profile: TaxProfile | None = None
) -> list[OpenPeriod]:
    """Ended periods with no declaration yet, newest first: two queries in all (three when
    the profile is not given)."""
    profile = profile or profile_of(business)
    fee_types = periodic_fee_types_for(business)
    declared = set(
        Declaration.objects.filter(business=business, amends__isnull=True).values_list(
            "fee_type_id", "period_start"
        )
    )
    holidays = rules.holidays_around(today)
    result = []
    for period in rules.ended_periods(profile.declares_from, today, profile.frequency):
        deadline = rules.declaration_deadline(
            period, vat_payer=profile.vat_payer, holidays=holidays
        )
        for fee_type in fee_types:
            if (fee_type.pk, period.start) not in declared:
                result.append(OpenPeriod(fee_type, period, deadline, today > deadline))
    return result


def _debts(business: Business) -> QuerySet[Debt]:
    return Debt.objects.filter(business=business).select_related(
        "fee_type", "declaration", "business"
    )


def _with_receipts(qs: QuerySet[Debt]) -> QuerySet[Debt]:
    payments = Payment.objects.filter(state=Payment.State.APPLIED).select_related("receipt")
    return qs.prefetch_related(
        Prefetch(
            "debt_orders",
            queryset=DebtOrder.objects.select_related("order").prefetch_related(
                Prefetch("order__payments", queryset=payments)
            ),
        )
    )


@dataclass
class DebtLine:
    debt: Debt
    amount: rules.AmountDue

    @property
    def receipts(self) -> list[Any]:
        return [
            p.receipt
            for link in self.debt.debt_orders.all()
            for p in link.order.payments.all()
            if hasattr(p, "receipt")
        ]


@dataclass
class Dashboard:
    business: Business
    profile: TaxProfile
    fee_types: list[FeeType]
    open_debts: list[DebtLine]
    paid_debts: list[DebtLine]
    undeclared: list[OpenPeriod]
    credits: list[Credit]
    declarations: list[Declaration] = field(default_factory=list)

    @property
    def next_debt(self) -> DebtLine | None:
        """The debt to pay next: the earliest deadline, then the oldest."""
        return self.open_debts[0] if self.open_debts else None

    @property
    def open_total(self) -> int:
        return sum(line.amount.due for line in self.open_debts)


def dashboard(business: Business, today: date) -> Dashboard:
    open_qs = _debts(business).filter(status__in=[Debt.Status.OPEN, Debt.Status.PARTLY_PAID])
    paid_qs = _with_receipts(_debts(business).filter(status=Debt.Status.PAID)).order_by(
        "-paid_at", "-id"
    )[:50]
    open_lines = [DebtLine(d, d.amount_due(today)) for d in open_qs.order_by("due_date", "id")]
    profile = profile_of(business)
    return Dashboard(
        business=business,
        profile=profile,
        fee_types=list(fee_types_for(business, declared_only=False)),
        open_debts=open_lines,
        paid_debts=[DebtLine(d, d.amount_due(today)) for d in paid_qs],
        undeclared=undeclared_periods(business, today, profile),
        credits=list(Credit.objects.filter(business=business, settled_at__isnull=True)),
        declarations=list(
            Declaration.objects.filter(business=business).select_related("fee_type")[:20]
        ),
    )


def own_debt(business: Business, pk: int) -> Debt | None:
    return _with_receipts(_debts(business)).filter(pk=pk).first()


def own_declaration(business: Business, year: int, number: int) -> Declaration | None:
    return (
        Declaration.objects.filter(business=business, year=year, number=number)
        .select_related("fee_type", "area_rate", "business", "declared_by", "amends")
        .first()
    )


def latest_declaration(business: Business, fee_type: FeeType, period_start: date) -> Any:
    """The declaration in force for the period: the last of its chain of amendments."""
    return (
        Declaration.objects.filter(
            business=business,
            fee_type=fee_type,
            period_start=period_start,
            amended_by__isnull=True,
        )
        .order_by("-declared_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class Computation:
    """The fee of a declaration, line by line, as the check page shows it."""

    fee_type: FeeType
    period: rules.Period
    base_cents: int
    includes_fee: bool
    rate_bp: int
    area: Decimal | None
    area_rate: AreaRate | None
    units: int
    fee: int
    previous: Declaration | None
    deadline: date
    amount: rules.AmountDue | None  # on the difference owed; None when nothing is owed

    @property
    def previous_fee(self) -> int:
        return int(self.previous.fee_cents) if self.previous is not None else 0

    @property
    def difference(self) -> int:
        return self.fee - self.previous_fee

    @property
    def credit(self) -> int:
        return max(-self.difference, 0)

    @property
    def rate_percent(self) -> str:
        return rules.percent(self.rate_bp)


def compute(
    business: Business,
    fee_type: FeeType,
    period: rules.Period,
    today: date,
    *,
    base_cents: int = 0,
    area: Decimal | None = None,
    area_rate: AreaRate | None = None,
) -> Computation:
    profile = profile_of(business)
    holidays = rules.holidays_around(today)
    previous = latest_declaration(business, fee_type, period.start)
    includes_fee = rules.base_includes_fee()
    if fee_type.on_receipts:
        fee = rules.fee_on_receipts(base_cents, fee_type.rate_bp, includes_fee=includes_fee)
        units = 0
    else:
        assert area is not None and area_rate is not None
        units = period.months
        fee = rules.fee_on_area(area, area_rate.cents_per_unit, units)
    if previous is not None:
        deadline = previous.deadline  # a period's deadline is that of its first declaration
    elif fee_type.deadline_rule == rules.DEADLINE_VAT:
        deadline = rules.declaration_deadline(
            period, vat_payer=profile.vat_payer, holidays=holidays
        )
    else:
        deadline = rules.notice_deadline(today, fee_type.payment_days, holidays)
    difference = fee - (int(previous.fee_cents) if previous is not None else 0)
    amount = (
        rules.amount_due(
            fee=difference,
            fine=0,
            due_date=deadline,
            today=today,
            surcharge_bp_per_month=fee_type.surcharge_bp_per_month,
            surcharge_cap_bp=fee_type.surcharge_cap_bp,
        )
        if difference > 0
        else None
    )
    return Computation(
        fee_type=fee_type,
        period=period,
        base_cents=base_cents,
        includes_fee=includes_fee,
        rate_bp=fee_type.rate_bp if fee_type.on_receipts else 0,
        area=area,
        area_rate=area_rate,
        units=units,
        fee=fee,
        previous=previous,
        deadline=deadline,
        amount=amount,
    )


# --- The back office -----------------------------------------------------------------------


def register(q: str = "", category: str = "") -> QuerySet[Business]:
    """The businesses with their categories, profiles and what they owe; one query."""
    qs = Business.objects.select_related("activity_category", "tax_profile").annotate(
        open_debts=Count(
            "tax_debts",
            filter=Q(tax_debts__status__in=[Debt.Status.OPEN, Debt.Status.PARTLY_PAID]),
        ),
    )
    if q:
        qs = qs.filter(Q(afm=q.strip()) | Q(legal_name__icontains=q.strip()))
    if category:
        qs = qs.filter(activity_category__code=category)
    return qs.order_by("legal_name", "pk")


def staff_debts(state: str = "open", fee_type: str = "", today: date | None = None) -> Any:
    qs = Debt.objects.select_related("business", "fee_type")
    if state == "open":
        qs = qs.filter(status__in=[Debt.Status.OPEN, Debt.Status.PARTLY_PAID])
    elif state == "overdue":
        qs = overdue_uncertified(today or timezone.localdate())
    elif state == "certified":
        qs = qs.filter(certified_on__isnull=False)
    elif state == "paid":
        qs = qs.filter(status=Debt.Status.PAID)
    if fee_type:
        qs = qs.filter(fee_type__code=fee_type)
    return qs.order_by("due_date", "id")


def overdue_uncertified(today: date) -> QuerySet[Debt]:
    """Debts past their deadline, unpaid and not yet certified: the treasury's queue."""
    return Debt.objects.select_related("business", "fee_type").filter(
        status__in=[Debt.Status.OPEN, Debt.Status.PARTLY_PAID],
        due_date__lt=today,
        certified_on__isnull=True,
    )


@dataclass(frozen=True)
class ReportRow:
    month: date
    fee_type: str
    declared_cents: int
    collected_cents: int


def report(year: int) -> list[ReportRow]:
    """Declared (and assessed) and collected amounts per fee type and month: two queries.

    Declared: the debts that arose in the month (fee and fine, before surcharges).
    Collected: the money applied in the month to orders of these debts (surcharges included).
    """
    declared = (
        Debt.objects.filter(created_at__year=year)
        .exclude(status=Debt.Status.CANCELLED)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "fee_type__name")
        .annotate(total=Sum("fee_cents"), fines=Sum("fine_cents"))
    )
    collected = (
        Payment.objects.filter(
            state=Payment.State.APPLIED,
            received_at__year=year,
            order__business_tax_link__isnull=False,
        )
        .annotate(month=TruncMonth("received_at"))
        .values("month", "order__business_tax_link__debt__fee_type__name")
        .annotate(total=Sum("amount_cents"))
    )
    rows: dict[tuple[date, str], list[int]] = {}
    for row in declared:
        key = (_as_date(row["month"]), row["fee_type__name"])
        rows.setdefault(key, [0, 0])[0] += int(row["total"] or 0) + int(row["fines"] or 0)
    for paid in collected:
        key = (_as_date(paid["month"]), paid["order__business_tax_link__debt__fee_type__name"])
        rows.setdefault(key, [0, 0])[1] += int(paid["total"] or 0)
    return [
        ReportRow(month, name, amounts[0], amounts[1])
        for (month, name), amounts in sorted(rows.items())
    ]


def _as_date(value: Any) -> date:
    if hasattr(value, "date") and callable(value.date):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    day: date = value
    return day
