"""The rules of municipal fees on businesses, as plain functions: no ORM, no request.

Money is integer cents; rates are integer hundredths of a percent ("basis points": 50 = 0.5 %).
The worked examples of every rule are in tests/test_rules.py.
"""

import calendar
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import holidays as holidays_lib
from django.conf import settings

Cents = int

BASIS_RECEIPTS = "receipts"
BASIS_AREA = "area"
DEADLINE_VAT = "vat"
DEADLINE_NOTICE = "notice"
MONTHLY = "monthly"
QUARTERLY = "quarterly"

FULL = 10000  # 100 % in basis points
# ΚΦΔ art. 53 (ν.4174/2013), applied by art. 6 ΚΕΔΕ: 0.73 % per month on certified debts.
CERTIFIED_INTEREST_BP_PER_MONTH = 73
OPEN_PERIODS_SHOWN = 24  # undeclared periods listed, newest first: two years of months


def round_cents(amount: Decimal) -> Cents:
    """Half a cent and more rounds up, as a cashier does."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(bp: int) -> str:
    """50 → «0,5», 500 → «5», 73 → «0,73»: a rate as people write it."""
    text = f"{Decimal(bp) / 100:f}".rstrip("0").rstrip(".") if bp % 100 else str(bp // 100)
    return text.replace(".", ",")


def base_includes_fee() -> bool:
    """Whether the declared amount already includes the fee (VAT-return outputs) — [ASK] the
    municipality; default: not included."""
    return bool(getattr(settings, "DIMOS_TAX_BASE_INCLUDES_FEE", False))


# --- Amounts -------------------------------------------------------------------------------


def fee_on_receipts(base: Cents, rate_bp: int, *, includes_fee: bool) -> Cents:
    """The fee on gross receipts: base × r, or total × r/(1+r) when the total includes it."""
    # art. 20 ν.2539/1997 as replaced by art. 23 §2 ν.3756/2009 (0.5 % / 5 %)
    if includes_fee:
        return round_cents(Decimal(base) * rate_bp / (FULL + rate_bp))
    return round_cents(Decimal(base) * rate_bp / FULL)


def fee_on_area(area_m2: Decimal, cents_per_unit: Cents, units: int) -> Cents:
    """m² × rate × months (weeks, years) of use, the rate set by council decision."""
    # art. 13 Β.Δ. 24.9/20.10.1958 (public space); art. 15 ν.2880/2001 (advertising)
    return round_cents(Decimal(area_m2) * cents_per_unit * units)


def unauthorised_fine(fee: Cents, multiplier: int) -> Cents:
    """Unauthorised use of public space: a fine of three times the fee, on top of the fee."""
    # art. 13 §8 Β.Δ. 24.9/20.10.1958 as amended by art. 31 ν.5143/2024
    return fee * multiplier


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_started(deadline: date, today: date) -> int:
    """Months or parts of a month from the day after `deadline` to `today`: one day late is
    one month, a month and a day is two."""
    if today <= deadline:
        return 0
    months = (today.year - deadline.year) * 12 + today.month - deadline.month
    months = max(months - 1, 0)
    while add_months(deadline, months) < today:
        months += 1
    return months


def late_surcharge(fee: Cents, months: int, bp_per_month: int, cap_bp: int = FULL) -> Cents:
    """2 % of the fee per month or part of a month late, at most 100 % of the fee."""
    # art. 6 ν.1080/1980 as applied to the fees of art. 20 ν.2539/1997: 2 %/month, cap 100 %
    return min(
        round_cents(Decimal(fee) * bp_per_month * months / FULL),
        round_cents(Decimal(fee) * cap_bp / FULL),
    )


def certified_interest(amount: Cents, months: int) -> Cents:
    """Interest on a certified debt: 0.73 % per month or part of a month, no cap."""
    # art. 53 ΚΦΔ (ν.4174/2013) through art. 6 ΚΕΔΕ; ΠΟΛ 1252/2015
    return round_cents(Decimal(amount) * CERTIFIED_INTEREST_BP_PER_MONTH * months / FULL)


@dataclass(frozen=True)
class AmountDue:
    fee: Cents
    fine: Cents
    surcharge: Cents
    surcharge_months: int
    interest: Cents
    interest_months: int
    paid: Cents
    stable_until: date | None  # the last day this amount holds; None: it does not grow

    @property
    def total(self) -> Cents:
        return self.fee + self.fine + self.surcharge + self.interest

    @property
    def due(self) -> Cents:
        return max(self.total - self.paid, 0)


def amount_due(
    *,
    fee: Cents,
    fine: Cents,
    due_date: date,
    today: date,
    surcharge_bp_per_month: int,
    surcharge_cap_bp: int = FULL,
    certified_on: date | None = None,
    paid: Cents = 0,
) -> AmountDue:
    """What a debt comes to on `today`. Until it is certified the late surcharge grows each
    month; certification freezes it and interest runs on the certified amount instead."""
    until = today if certified_on is None else min(today, certified_on)
    months = months_started(due_date, until)
    surcharge = late_surcharge(fee, months, surcharge_bp_per_month, surcharge_cap_bp)
    if certified_on is not None:
        # [ASK] whether interest counts in whole months (ΚΦΔ art. 72 §15) or days: months here.
        interest_months = months_started(certified_on, today)
        interest = certified_interest(fee + fine + surcharge, interest_months)
        return AmountDue(
            fee=fee,
            fine=fine,
            surcharge=surcharge,
            surcharge_months=months,
            interest=interest,
            interest_months=interest_months,
            paid=paid,
            stable_until=add_months(certified_on, interest_months),
        )
    capped = surcharge >= late_surcharge(fee, 10**6, surcharge_bp_per_month, surcharge_cap_bp)
    grows = surcharge_bp_per_month > 0 and not capped
    return AmountDue(
        fee=fee,
        fine=fine,
        surcharge=surcharge,
        surcharge_months=months,
        interest=0,
        interest_months=0,
        paid=paid,
        stable_until=add_months(due_date, months) if grows else None,
    )


# --- Periods and deadlines -----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}:{self.end:%Y-%m}"

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_of(day: date, frequency: str) -> Period:
    """The month or the calendar quarter that contains `day`."""
    if frequency == QUARTERLY:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(start, month_end(add_months(start, 2)))
    start = day.replace(day=1)
    return Period(start, month_end(start))


def months_period(start: date, months: int) -> Period:
    """`months` months of use from the month of `start` (public space, advertising)."""
    first = start.replace(day=1)
    return Period(first, month_end(add_months(first, max(months, 1) - 1)))


def parse_period(key: str) -> Period | None:
    """«2026-01:2026-03» → the first quarter of 2026; None for anything else."""
    try:
        first, last = key.split(":")
        start = date(int(first[:4]), int(first[5:7]), 1)
        end = month_end(date(int(last[:4]), int(last[5:7]), 1))
    except (ValueError, IndexError):
        return None
    return Period(start, end) if start <= end and first[4] == "-" and last[4] == "-" else None


def ended_periods(since: date, today: date, frequency: str) -> list[Period]:
    """The periods from the one containing `since` that have ended before `today`, newest
    first, at most OPEN_PERIODS_SHOWN."""
    periods: list[Period] = []
    period = period_of(today, frequency)
    while len(periods) < OPEN_PERIODS_SHOWN:
        period = period_of(period.start - timedelta(days=1), frequency)
        if period.end < since.replace(day=1):
            break
        periods.append(period)
    return periods


def public_holidays(years: Iterable[int], local: Iterable[str] = ()) -> set[date]:
    """Greek public holidays (Orthodox Easter included) and the municipality's own, given as
    «MM-DD» (e.g. the town's patron saint)."""
    days = set(holidays_lib.country_holidays("GR", years=list(years)).keys())
    for year in years:
        for text in local:
            month, day = (int(part) for part in text.split("-"))
            days.add(date(year, month, day))
    return days


def holidays_around(day: date) -> set[date]:
    """The holidays of the year of `day` and its neighbours, local ones from the settings."""
    local = getattr(settings, "DIMOS_LOCAL_HOLIDAYS", [])
    return public_holidays(range(day.year - 1, day.year + 2), local)


def is_working_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: Container[date]) -> date:
    """A deadline that falls on a weekend or a holiday moves to the next working day."""
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def last_working_day_of_month(day: date, holidays: Container[date]) -> date:
    last = month_end(day)
    while not is_working_day(last, holidays):
        last -= timedelta(days=1)
    return last


def declaration_deadline(period: Period, *, vat_payer: bool, holidays: Container[date]) -> date:
    """When the fee of a period is due."""
    following_month = add_months(period.end.replace(day=1), 1)
    if vat_payer:
        # art. 17 §6-7 ν.2130/1993, art. 6 §4 ν.1080/1980: with the VAT return of the period,
        # normally the last working day of the month after it
        return last_working_day_of_month(following_month, holidays)
    # idem, for businesses outside VAT: within the first 10 days of the next month
    return next_working_day(following_month.replace(day=10), holidays)


def notice_deadline(issued: date, days: int, holidays: Container[date]) -> date:
    """Assessed fees (public space, advertising): `days` after issue, per council decision."""
    return next_working_day(issued + timedelta(days=days), holidays)


def may_amend(today: date, period: Period) -> bool:
    """A declared period may be amended; a future one cannot be declared at all."""
    return period.end < today
