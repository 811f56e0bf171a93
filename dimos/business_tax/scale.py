"""Scale data of the municipal tax: every business whose activity owes a fee on gross
receipts declares monthly; the last months are declared, each with its debt and payment
order (as `do_declare` leaves them), all paid but the latest. Declaration numbers are gapless
per year in the order they were filed (the counter left at the last)."""

import datetime as dt

from django.utils import timezone

from dimos.accounts.models import Business
from dimos.business_tax import rules
from dimos.business_tax.actions import DECLARATION_SERIES, PAYABLE_KIND, period_label
from dimos.business_tax.models import Debt, DebtOrder, Declaration, FeeType, TaxProfile
from dimos.core import scale
from dimos.payments.models import Payment
from dimos.payments.scale import OrderDraft, write_orders

MONTHS_DECLARED = 6


def _businesses() -> list[tuple[int, str, str, int, int]]:
    """(id, ΑΦΜ, name, activity category, representative) of the scale businesses."""
    return list(
        Business.objects.filter(
            representations__status="approved",
            representations__person__email__endswith="@" + scale.SCALE_EMAIL_DOMAIN,
        )
        .order_by("pk")
        .values_list(
            "pk", "afm", "legal_name", "activity_category_id", "representations__person_id"
        )
    )


def generate(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("business_tax")
    now = timezone.now()
    today = timezone.localdate()
    holidays = rules.holidays_around(today)
    fee_of: dict[int, FeeType] = {}
    for fee_type in FeeType.objects.filter(
        active=True, self_declared=True, basis=rules.BASIS_RECEIPTS
    ).prefetch_related("categories"):
        for category in fee_type.categories.all():
            fee_of.setdefault(category.pk, fee_type)
    declaring = [b for b in _businesses() if b[3] in fee_of]
    periods = []
    period = rules.period_of(today, rules.MONTHLY)
    for _ in range(MONTHS_DECLARED):
        period = rules.period_of(period.start - dt.timedelta(days=1), rules.MONTHLY)
        periods.append(period)
    periods.reverse()
    ctx.insert(
        TaxProfile,
        ["business_id", "frequency", "vat_payer", "declares_from"],
        ((b[0], rules.MONTHLY, True, periods[0].start) for b in declaring),
    )
    drafts = []
    for business in declaring:
        fee_type = fee_of[business[3]]
        for period in periods:
            deadline = rules.declaration_deadline(period, vat_payer=True, holidays=holidays)
            day = period.end + dt.timedelta(
                days=rng.randint(1, max((deadline - period.end).days, 1))
            )
            declared = dt.datetime.combine(
                day, dt.time(rng.randint(8, 21), rng.randint(0, 59)), tzinfo=scale.ATHENS
            )
            declared = min(declared, now - dt.timedelta(minutes=5))
            base = rng.randint(300_000, 8_000_000)
            fee = rules.fee_on_receipts(base, fee_type.rate_bp, includes_fee=False)
            drafts.append((declared, business, fee_type, period, base, fee, deadline))
    drafts.sort(key=lambda d: (d[0], d[1][0]))
    years = [d[0].astimezone(scale.ATHENS).year for d in drafts]
    next_number = ctx.next_numbers(DECLARATION_SERIES, years)
    first_declaration = ctx.reserve_ids(Declaration, len(drafts))
    first_debt = ctx.reserve_ids(Debt, len(drafts))
    declarations = []
    debts = []
    orders = []
    for n, ((declared, business, fee_type, period, base, fee, deadline), year) in enumerate(
        zip(drafts, years, strict=True)
    ):
        number = next_number[year]
        next_number[year] += 1
        declarations.append(
            (first_declaration + n, year, number, business[0], fee_type.pk, period.start,
             period.end, base, fee_type.rate_bp, fee, deadline, business[4], declared)
        )  # fmt: skip
        description = f"{fee_type.name}, {period_label(period.start, period.end)}, {business[2]}"
        latest = period == periods[-1]
        paid_at = None if latest else min(declared + dt.timedelta(days=rng.randint(0, 10)), now)
        debts.append(
            (first_debt + n, business[0], fee_type.pk, Debt.Origin.DECLARED,
             first_declaration + n, period.start, period.end, description[:200], fee, deadline,
             fee_type.surcharge_bp_per_month, fee_type.surcharge_cap_bp,
             Debt.Status.OPEN if latest else Debt.Status.PAID, 0 if latest else fee, paid_at,
             declared)
        )  # fmt: skip
        orders.append(
            OrderDraft(
                fee, description[:200], business[2], declared, payer_business=business[0],
                payable_kind=PAYABLE_KIND, payable_id=str(first_debt + n), expires_on=deadline,
                paid_at=paid_at, method=rng.choice([Payment.Method.CARD, Payment.Method.BANK]),
            )
        )  # fmt: skip
    ctx.insert(Declaration, DECLARATION_COLUMNS, declarations)
    ctx.raise_counter(DECLARATION_SERIES, {y: number - 1 for y, number in next_number.items()})
    ctx.insert(Debt, DEBT_COLUMNS, debts)
    made = write_orders(ctx, orders)
    ctx.insert(
        DebtOrder,
        ["debt_id", "order_id", "fee_cents", "issued_on", "valid_until"],
        (
            (debt[0], order_id, debt[8], debt[15].astimezone(scale.ATHENS).date(), debt[9])
            for debt, (order_id, _rf) in zip(debts, made, strict=True)
        ),
    )
    if declaring:
        first = declaring[0]
        email = Business.objects.get(pk=first[0]).representations.get().person.email
        ctx.fixtures["tax"] = {"email": email, "afm": first[1]}
    ctx.say(f"business tax: {len(declaring)} businesses, {len(declarations)} declarations")


DECLARATION_COLUMNS = [
    "id", "year", "number", "business_id", "fee_type_id", "period_start", "period_end",
    "base_cents", "rate_bp", "fee_cents", "deadline", "declared_by_id", "declared_at",
]  # fmt: skip
DEBT_COLUMNS = [
    "id", "business_id", "fee_type_id", "origin", "declaration_id", "period_start",
    "period_end", "description", "fee_cents", "due_date", "surcharge_bp_per_month",
    "surcharge_cap_bp", "status", "paid_cents", "paid_at", "created_at",
]  # fmt: skip

scale.register("business_tax", generate, after=["businesses", "payments"])
