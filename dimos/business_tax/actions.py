"""Every write of the municipal tax: one transaction each, audited.

Declaring creates the declaration, the debt and its payment order together; the payment
settles the debt through `on_order_settled`, which payments calls inside its own transaction.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dimos.accounts.models import ActivityCategory, Business, Representation, User
from dimos.business_tax import queries, rules
from dimos.business_tax.models import (
    AreaRate,
    Credit,
    Debt,
    DebtOrder,
    Declaration,
    FeeType,
    TaxProfile,
)
from dimos.core import audit
from dimos.core.documents import issue_document
from dimos.core.models import IssuedDocument
from dimos.core.numbering import take_next_number
from dimos.core.templatetags.dimos_money import format_euros
from dimos.notifications.actions import queue_notification
from dimos.payments.actions import do_issue_order
from dimos.payments.models import PaymentOrder

PAYABLE_KIND = "business_tax"
DECLARATION_SERIES = "business-tax-declaration"
PROOF_KIND = "business-tax-declaration"


def period_label(start: date, end: date) -> str:
    """«03/2026» for a month, «01/2026–03/2026» for longer: the same in every language."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%m/%Y}"
    return f"{start:%m/%Y}–{end:%m/%Y}"


def _description(fee_type: FeeType, start: date, end: date, business: Business) -> str:
    return f"{fee_type.name}, {period_label(start, end)}, {business.legal_name}"[:200]


# --- Declaring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    declaration: Declaration
    debt: Debt | None
    credit: Credit | None
    order: PaymentOrder | None


def do_declare(
    business: Business,
    person: User,
    fee_type: FeeType,
    period: rules.Period,
    *,
    base_cents: int = 0,
    area: Decimal | None = None,
    area_rate: AreaRate | None = None,
    expected_previous: int | None = None,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> Declared:
    """Record a declaration (or an amending one) and what follows: a debt for the fee or the
    difference owed, with its payment order, or a credit for a difference in the business's
    favour. `expected_previous` is the declaration the person saw being amended: if another
    was filed meanwhile, nothing is written and they are asked to check again."""
    today = today or timezone.localdate()
    if not fee_type.self_declared or fee_type not in queries.fee_types_for(business):
        raise ValidationError(_("This fee is not declared by this business."), code="fee_type")
    if fee_type.on_receipts and period.end >= today:
        raise ValidationError(_("A period can be declared once it has ended."), code="period")
    try:
        with transaction.atomic():
            # One declaration of a business at a time: the computation below reads the
            # previous one, and two tabs confirming at once must not both amend it.
            Business.objects.select_for_update().get(pk=business.pk)
            computation = queries.compute(
                business, fee_type, period, today, base_cents=base_cents, area=area,
                area_rate=area_rate,
            )  # fmt: skip
            previous_id = computation.previous.pk if computation.previous else None
            if previous_id != expected_previous:
                raise ValidationError(
                    _("This period was declared meanwhile. Check the figures again."),
                    code="changed",
                )
            return _record_declaration(business, person, computation, today, request)
    except IntegrityError:
        raise ValidationError(
            _("This period was declared meanwhile. Check the figures again."), code="changed"
        ) from None


def _record_declaration(
    business: Business,
    person: User,
    computation: queries.Computation,
    today: date,
    request: HttpRequest | None,
) -> Declared:
    year = timezone.localdate().year
    declaration = Declaration.objects.create(
        year=year,
        number=take_next_number(DECLARATION_SERIES, year),
        business=business,
        fee_type=computation.fee_type,
        period_start=computation.period.start,
        period_end=computation.period.end,
        base_cents=computation.base_cents,
        base_includes_fee=computation.includes_fee,
        rate_bp=computation.rate_bp,
        area=computation.area,
        area_rate=computation.area_rate,
        rate_cents=computation.area_rate.cents_per_unit if computation.area_rate else 0,
        units=computation.units,
        fee_cents=computation.fee,
        previous_fee_cents=computation.previous_fee,
        amends=computation.previous,
        deadline=computation.deadline,
        declared_by=person,
    )
    debt = credit = order = None
    if computation.difference > 0:
        fee_type = computation.fee_type
        debt = Debt.objects.create(
            business=business,
            fee_type=fee_type,
            origin=Debt.Origin.AMENDED if computation.previous else Debt.Origin.DECLARED,
            declaration=declaration,
            period_start=computation.period.start,
            period_end=computation.period.end,
            description=_description(
                fee_type, computation.period.start, computation.period.end, business
            ),
            fee_cents=computation.difference,
            area=computation.area,
            area_rate=computation.area_rate,
            units=computation.units,
            due_date=computation.deadline,
            surcharge_bp_per_month=fee_type.surcharge_bp_per_month,
            surcharge_cap_bp=fee_type.surcharge_cap_bp,
        )
        order = _issue_order(debt, today, created_by=None, request=request)
    elif computation.difference < 0:
        credit = Credit.objects.create(
            business=business, declaration=declaration, amount_cents=computation.credit
        )
    audit.record(
        "business_tax.declared",
        declaration,
        actor=person,
        request=request,
        business=business.afm,
        fee_type=computation.fee_type.code,
        period=computation.period.key,
        fee_cents=computation.fee,
        difference_cents=computation.difference,
        amends=computation.previous.display_number if computation.previous else "",
    )
    return Declared(declaration, debt, credit, order)


# --- Paying --------------------------------------------------------------------------------


def _issue_order(
    debt: Debt, today: date, *, created_by: User | None, request: HttpRequest | None
) -> PaymentOrder:
    amount = debt.amount_due(today)
    order = do_issue_order(
        amount_cents=amount.due,
        description=debt.description,
        payer_business=debt.business,
        payable_kind_key=PAYABLE_KIND,
        payable_id=str(debt.pk),
        created_by=created_by,
        expires_on=amount.stable_until,
        request=request,
    )
    DebtOrder.objects.create(
        debt=debt,
        order=order,
        fee_cents=amount.fee,
        fine_cents=amount.fine,
        surcharge_cents=amount.surcharge,
        surcharge_months=amount.surcharge_months,
        interest_cents=amount.interest,
        interest_months=amount.interest_months,
        already_paid_cents=amount.paid,
        issued_on=today,
        valid_until=amount.stable_until,
    )
    return order


def do_prepare_payment(
    debt: Debt, today: date | None = None, request: HttpRequest | None = None
) -> PaymentOrder:
    """The payment order for what the debt comes to today: the last one if it still asks
    exactly that, else a new one (the surcharge grew, or part was paid meanwhile)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Debt.objects.select_for_update().select_related("business").get(pk=debt.pk)
        if not locked.is_payable:
            raise ValidationError(_("This debt has nothing left to pay."), code="status")
        amount = locked.amount_due(today)
        current = (
            DebtOrder.objects.select_related("order")
            .filter(debt=locked, order__status=PaymentOrder.Status.OPEN)
            .order_by("-id")
            .first()
        )
        if (
            current is not None
            and current.order.amount_cents == amount.due
            and current.already_paid_cents == locked.paid_cents
            and (current.valid_until is None or current.valid_until >= today)
        ):
            return current.order
        return _issue_order(locked, today, created_by=None, request=request)


def on_order_settled(order: PaymentOrder) -> None:
    """Payments tells us an order of a debt received money (inside its transaction, with the
    order locked): the debt counts what all its orders received."""
    link = DebtOrder.objects.filter(order=order).first()
    if link is None:
        return
    debt = Debt.objects.select_for_update().get(pk=link.debt_id)
    paid = (
        PaymentOrder.objects.filter(business_tax_link__debt=debt).aggregate(s=Sum("paid_cents"))[
            "s"
        ]
        or 0
    )
    _count_payment(debt, order, paid, timezone.now())
    debt.save(update_fields=["paid_cents", "status", "paid_at"])
    action, details = _paid_event(debt, order, paid)
    audit.record(action, debt, **details)


def on_orders_settled(orders: Sequence[PaymentOrder]) -> None:
    """`on_order_settled` for many orders at once (a bank statement's), each of a different
    debt: their links, debts and totals in one query each, the debts saved together."""
    links = dict(DebtOrder.objects.filter(order__in=orders).values_list("order_id", "debt_id"))
    settled = [(order, links[order.pk]) for order in orders if order.pk in links]
    debt_ids = [debt_id for _order, debt_id in settled]
    if len(set(debt_ids)) < len(debt_ids):  # two orders of one debt: each sees the other's
        for order in orders:
            on_order_settled(order)
        return
    debts = {
        debt.pk: debt
        for debt in Debt.objects.select_for_update(of=("self",))
        .select_related("business")
        .filter(pk__in=debt_ids)
        .order_by("pk")
    }
    paid_by_debt = dict(
        PaymentOrder.objects.filter(business_tax_link__debt__in=debt_ids)
        .values_list("business_tax_link__debt")
        .annotate(s=Sum("paid_cents"))
    )
    now = timezone.now()
    events = []
    for order, debt_id in settled:
        debt = debts[debt_id]
        paid = paid_by_debt.get(debt_id) or 0
        _count_payment(debt, order, paid, now)
        action, details = _paid_event(debt, order, paid)
        events.append(audit.event(action, debt, **details))
    Debt.objects.bulk_update(
        [debts[debt_id] for _order, debt_id in settled], ["paid_cents", "status", "paid_at"]
    )
    audit.record_all(events)


def _count_payment(debt: Debt, order: PaymentOrder, paid: int, now: datetime) -> None:
    debt.paid_cents = paid
    if order.status in (PaymentOrder.Status.PAID, PaymentOrder.Status.OVERPAID):
        # An order paid in full settles the debt: it asked what the debt came to on its day.
        debt.status = Debt.Status.PAID
        debt.paid_at = now
    elif paid > 0 and debt.status == Debt.Status.OPEN:
        debt.status = Debt.Status.PARTLY_PAID


def _paid_event(debt: Debt, order: PaymentOrder, paid: int) -> tuple[str, dict[str, Any]]:
    """The audit action and details of a payment counted on a debt."""
    action = (
        "business_tax.debt_paid" if debt.status == Debt.Status.PAID else "business_tax.part_paid"
    )
    return action, {"order": order.rf, "paid_cents": paid}


# --- The municipality's side ---------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """A debt the municipality assesses itself: public space, advertising."""

    business: Business
    fee_type: FeeType
    area_rate: AreaRate
    area: Decimal
    units: int
    period_start: date
    unauthorised: bool = False
    due_date: date | None = None
    description: str = ""


def assessment_errors(assessment: Assessment) -> list[str]:
    """What is wrong with an assessment, in words a clerk understands; empty when fine."""
    errors = []
    if assessment.fee_type.on_receipts:
        errors.append(_("Fees on gross receipts are declared by the business, not assessed."))
    if assessment.area_rate.fee_type_id != assessment.fee_type.pk:
        errors.append(_("The rate does not belong to this fee."))
    if assessment.area <= 0:
        errors.append(_("The square metres must be more than zero."))
    if assessment.units <= 0:
        errors.append(_("The number of periods must be more than zero."))
    if assessment.unauthorised and not assessment.fee_type.unauthorised_multiplier:
        errors.append(_("This fee has no fine for unauthorised use."))
    return errors


def _assessed_months(assessment: Assessment) -> int:
    unit = assessment.area_rate.unit
    if unit == AreaRate.Unit.YEAR:
        return assessment.units * 12
    if unit == AreaRate.Unit.WEEK:
        return max((assessment.units * 7 + 29) // 30, 1)
    return assessment.units


def _create_assessed(assessment: Assessment, clerk: User, today: date, holidays: set[date]) -> Debt:
    errors = assessment_errors(assessment)
    if errors:
        raise ValidationError(errors)
    fee_type = assessment.fee_type
    fee = rules.fee_on_area(assessment.area, assessment.area_rate.cents_per_unit, assessment.units)
    if fee <= 0:
        raise ValidationError(_("The fee comes to zero; check the square metres."))
    period = rules.months_period(assessment.period_start, _assessed_months(assessment))
    due = assessment.due_date or rules.notice_deadline(today, fee_type.payment_days, holidays)
    debt = Debt.objects.create(
        business=assessment.business,
        fee_type=fee_type,
        origin=Debt.Origin.ASSESSED,
        period_start=period.start,
        period_end=period.end,
        description=(
            assessment.description.strip()
            or _description(fee_type, period.start, period.end, assessment.business)
        )[:200],
        fee_cents=fee,
        fine_cents=(
            rules.unauthorised_fine(fee, fee_type.unauthorised_multiplier)
            if assessment.unauthorised
            else 0
        ),
        unauthorised=assessment.unauthorised,
        area=assessment.area,
        area_rate=assessment.area_rate,
        units=assessment.units,
        due_date=due,
        surcharge_bp_per_month=fee_type.surcharge_bp_per_month,
        surcharge_cap_bp=fee_type.surcharge_cap_bp,
        issued_by=clerk,
    )
    order = _issue_order(debt, today, created_by=clerk, request=None)
    for representation in Representation.objects.filter(
        business=debt.business, status=Representation.Status.APPROVED
    ).select_related("person"):
        queue_notification(
            representation.person,
            "business_debt_issued",
            {"debt": debt, "order": order, "amount": format_euros(order.amount_cents)},
            dedup_key=f"business_tax:debt:{debt.pk}:person:{representation.person_id}",
            channel="email",
        )
    return debt


def do_issue_assessed_debts(
    assessments: Iterable[Assessment],
    clerk: User,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> list[Debt]:
    """Issue one or many assessed debts: all of them, or none if any is wrong."""
    today = today or timezone.localdate()
    holidays = rules.holidays_around(today)
    with transaction.atomic():
        debts = [_create_assessed(a, clerk, today, holidays) for a in assessments]
        for debt in debts:
            audit.record(
                "business_tax.assessed",
                debt,
                actor=clerk,
                request=request,
                business=debt.business.afm,
                fee_cents=debt.fee_cents,
                fine_cents=debt.fine_cents,
            )
    return debts


def do_certify(
    debt: Debt, clerk: User, today: date | None = None, request: HttpRequest | None = None
) -> Debt:
    """Certify an unpaid debt past its deadline (βεβαίωση): the surcharge stops growing, and
    interest runs on the certified amount."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Debt.objects.select_for_update().get(pk=debt.pk)
        if not locked.is_payable:
            raise ValidationError(_("Only an unpaid debt can be certified."), code="status")
        if locked.certified_on is not None:
            raise ValidationError(_("This debt is already certified."), code="certified")
        if locked.due_date >= today:
            raise ValidationError(
                _("A debt can be certified only after its deadline has passed."), code="early"
            )
        amount = locked.amount_due(today)
        locked.certified_on = today
        locked.certified_cents = amount.total
        locked.save(update_fields=["certified_on", "certified_cents"])
        audit.record(
            "business_tax.certified",
            locked,
            actor=clerk,
            request=request,
            certified_cents=amount.total,
        )
    return locked


def do_update_profile(
    business: Business,
    clerk: User,
    *,
    category: ActivityCategory,
    frequency: str,
    vat_payer: bool,
    declares_from: date,
    request: HttpRequest | None = None,
) -> TaxProfile:
    """Staff set the business's activity category (which fees it owes) and how it declares."""
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        before = {
            "category": locked.activity_category.code,
            "profile": str(getattr(TaxProfile.objects.filter(business=locked).first(), "pk", "")),
        }
        if locked.activity_category_id != category.pk:
            locked.activity_category = category
            locked.save(update_fields=["activity_category"])
        profile, _created = TaxProfile.objects.update_or_create(
            business=locked,
            defaults={
                "frequency": frequency,
                "vat_payer": vat_payer,
                "declares_from": declares_from.replace(day=1),
            },
        )
        audit.record(
            "business_tax.profile_changed",
            locked,
            actor=clerk,
            request=request,
            before=before,
            category=category.code,
            frequency=frequency,
            vat_payer=vat_payer,
            declares_from=declares_from.isoformat(),
        )
    business.refresh_from_db()
    return profile


# --- Documents -----------------------------------------------------------------------------


def do_issue_declaration_proof(
    declaration: Declaration, request: HttpRequest | None = None
) -> IssuedDocument:
    """The proof of declaration (PDF), issued once; the same file afterwards."""
    business = declaration.business
    with translation.override("el"):
        title = _("Municipal tax declaration %(number)s, %(business)s") % {
            "number": declaration.display_number,
            "business": business.afm,
        }
        rows = [
            (_("Declaration number"), declaration.display_number),
            (
                _("Date and time"),
                date_format(timezone.localtime(declaration.declared_at), "d/m/Y H:i"),
            ),
            (_("Business"), business.legal_name),
            (_("Tax number (ΑΦΜ)"), business.afm),
            (_("Address"), business.address),
            (_("Fee"), declaration.fee_type.name),
            (_("Legal source"), declaration.fee_type.legal_source),
            (_("Period"), period_label(declaration.period_start, declaration.period_end)),
        ]
        if declaration.fee_type.on_receipts:
            rows += [
                (
                    _("Gross receipts including the fee")
                    if declaration.base_includes_fee
                    else _("Gross receipts"),
                    format_euros(int(declaration.base_cents)),
                ),
                (_("Rate"), f"{rules.percent(declaration.rate_bp)} %"),
            ]
        else:
            rows += [
                (_("Square metres"), f"{declaration.area}".replace(".", ",")),
                (_("Rate per m² per month"), format_euros(declaration.rate_cents)),
                (_("Months"), str(declaration.units)),
            ]
        rows.append((_("Fee"), format_euros(int(declaration.fee_cents))))
        if declaration.amends_id:
            rows += [
                (_("Amends declaration"), declaration.amends.display_number),  # type: ignore[union-attr]
                (_("Fee declared before"), format_euros(int(declaration.previous_fee_cents))),
                (_("Difference"), format_euros(declaration.difference_cents)),
            ]
        rows.append((_("Deadline"), date_format(declaration.deadline, "d/m/Y")))
        notes = [
            _(
                "The fee was computed by the municipality's system from the figures the "
                "business declared."
            )
        ]
        fee_type = declaration.fee_type
        if fee_type.surcharge_bp_per_month:
            notes.append(
                _(
                    "Paying late adds %(rate)s per cent of the fee for each month or part of a "
                    "month, up to %(cap)s per cent of the fee."
                )
                % {
                    "rate": rules.percent(fee_type.surcharge_bp_per_month),
                    "cap": rules.percent(fee_type.surcharge_cap_bp),
                }
            )
    return issue_document(
        PROOF_KIND,
        str(title),
        "core/pdf/simple.html",
        {"rows": rows, "notes": notes},
        holder=declaration.declared_by,
        about=declaration,
        request=request,
    )
