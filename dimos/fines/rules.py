"""The rules of traffic-code (ΚΟΚ) fines, as plain functions: no ORM, no request.

Amounts are integer cents. The values that a municipality may have to confirm (discount of
legacy tickets, whole months or days of interest) come in as arguments from the rule table
(PaymentPolicy), copied onto each ticket when it is registered.
"""

import calendar
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

PAYMENT_MONTHS = 2  # ν.5209/2025 art. 107 §3: paid to the municipality within 2 months
INTEREST_BP_PER_MONTH = 73  # ΚΦΔ art. 53 via ΚΕΔΕ art. 6: 0.73 % per month, no cap
OBJECTION_DAYS = 3  # ν.5209/2025 art. 107 §2: objection within 3 days from service
PARKING_ARTICLE = "38"  # ν.5209/2025 art. 38: stopping and parking
# ν.5209/2025 art. 108 §5 and art. 38 §11 (halved for motorcycles): the single-violation
# amounts; anything else is possible only with concurrent violations (107 §9), so a
# self-entered amount outside this set gets a warning, not a refusal.
USUAL_AMOUNTS_CENTS = frozenset({1500, 3000, 7500, 15000, 17500, 35000, 60000, 120000})


class Counting(StrEnum):
    """How interest after the deadline is counted ([ASK] Kozani's treasury)."""

    STARTED_MONTH = "month"  # every started month counts whole (ΚΦΔ art. 72 §15 practice)
    DAY = "day"  # pro rata per day: 0.73 % × 12 / 365 per day


class Vehicle(StrEnum):
    CAR = "car"
    MOTORCYCLE = "motorcycle"
    MOPED = "moped"
    OTHER = "other"


TWO_WHEELERS = frozenset({Vehicle.MOTORCYCLE, Vehicle.MOPED})

# Greek capitals that look like Latin ones: a plate or ticket number typed on either keyboard
# is the same plate (Greek plates use only these 14 letters).
_LOOKALIKES = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")


def normalise_code(text: str) -> str:
    """«ΚΖΝ-1234», «kzn 1234», «KZN1234» → «KZN1234»: accents, case, spaces, dashes, dots and
    Greek/Latin look-alike letters do not matter."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    upper = unicodedata.normalize("NFC", bare).upper().translate(_LOOKALIKES)
    return "".join(ch for ch in upper if ch.isalnum())


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31/12 → 28/2)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def payment_deadline(violation_day: date, months: int = PAYMENT_MONTHS) -> date:
    """Last day to pay without interest: 2 months from the ticket (ν.5209/2025 art. 107 §3)."""
    return add_months(violation_day, months)


def is_parking(article: str) -> bool:
    article = article.strip().lower().removeprefix("άρθ.").removeprefix("αρθ.").strip()
    digits = article.split("§")[0].strip()
    return digits == PARKING_ARTICLE


def half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding half up: cents never go through floats."""
    return (2 * numerator + denominator) // (2 * denominator)


def fine_for_vehicle(amount_cents: int, vehicle: str, article: str) -> int:
    """Mopeds and motorcycles pay half of the parking fines (ν.5209/2025 art. 38 §11)."""
    if vehicle in TWO_WHEELERS and is_parking(article):
        return half_up(amount_cents, 2)
    return amount_cents


def concurrent_total(amounts_cents: Iterable[int]) -> int:
    """Concurrent violations: the heaviest fine plus half of each other one (art. 107 §9)."""
    amounts = sorted(amounts_cents, reverse=True)
    if not amounts:
        return 0
    return amounts[0] + half_up(sum(amounts[1:]), 2)


def is_usual_amount(amount_cents: int) -> bool:
    return amount_cents in USUAL_AMOUNTS_CENTS


def months_started(deadline: date, today: date) -> int:
    """Months started since the day after `deadline`: the day after is month 1, the same day
    one month later month 2 (interest runs from the day after the deadline, ΚΦΔ art. 53 §1)."""
    if today <= deadline:
        return 0
    months = 0
    while add_months(deadline, months) < today:
        months += 1
    return months


def interest_cents(
    amount_cents: int,
    deadline: date,
    today: date,
    *,
    bp_per_month: int = INTEREST_BP_PER_MONTH,
    counting: str = Counting.STARTED_MONTH,
) -> int:
    """Late-payment interest of a certified debt on `today` (ν.5209/2025 art. 107 §7 → ΚΕΔΕ)."""
    if today <= deadline:
        return 0
    if counting == Counting.DAY:
        days = (today - deadline).days
        return half_up(amount_cents * bp_per_month * 12 * days, 10_000 * 365)
    return half_up(amount_cents * bp_per_month * months_started(deadline, today), 10_000)


@dataclass(frozen=True)
class Terms:
    """What a ticket owes over time: copied from the rule table when it is registered."""

    amount_cents: int
    deadline: date
    discount_percent: int = 0
    discount_until: date | None = None
    bp_per_month: int = INTEREST_BP_PER_MONTH
    counting: str = Counting.STARTED_MONTH


def amount_due(terms: Terms, today: date) -> int:
    """The whole amount owed on `today`, before anything paid: the fine, less an early-payment
    discount where the rule table grants one (none under ν.5209/2025; ν.4530/2018 art. 28 §7
    abolished the old half-in-10-days), plus interest after the deadline."""
    if terms.discount_percent and terms.discount_until and today <= terms.discount_until:
        return terms.amount_cents - half_up(terms.amount_cents * terms.discount_percent, 100)
    return terms.amount_cents + interest_cents(
        terms.amount_cents,
        terms.deadline,
        today,
        bp_per_month=terms.bp_per_month,
        counting=terms.counting,
    )


def amount_valid_until(terms: Terms, today: date) -> date:
    """The last day on which `amount_due` stays what it is today: a payment order for it is
    good until then (then a new one with the new amount is issued)."""
    if terms.discount_percent and terms.discount_until and today <= terms.discount_until:
        return terms.discount_until
    if today <= terms.deadline:
        return terms.deadline
    if terms.counting == Counting.DAY:
        return today
    return add_months(terms.deadline, months_started(terms.deadline, today))


def is_certified_debt(deadline: date, today: date, fully_paid: bool) -> bool:
    """Unpaid after the 2 months the fine is certified as a municipal debt (art. 107 §7)."""
    return not fully_paid and today > deadline


class Outcome(StrEnum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERPAID = "overpaid"


@dataclass(frozen=True)
class Balance:
    outcome: Outcome
    owed_cents: int  # still to pay
    refund_cents: int  # paid too much


def balance(owed_total_cents: int, paid_cents: int) -> Balance:
    """Compare what was owed with what arrived: the three outcomes of a reconciliation."""
    if paid_cents == 0 and owed_total_cents > 0:
        return Balance(Outcome.UNPAID, owed_total_cents, 0)
    if paid_cents < owed_total_cents:
        return Balance(Outcome.PARTLY_PAID, owed_total_cents - paid_cents, 0)
    if paid_cents > owed_total_cents:
        return Balance(Outcome.OVERPAID, 0, paid_cents - owed_total_cents)
    return Balance(Outcome.PAID, 0, 0)


def self_entered_date_problem(violation_day: date, today: date) -> str:
    """Why a self-entered ticket date cannot be right: "" when it can."""
    if violation_day > today:
        return "future"
    if violation_day < today - timedelta(days=366 * 5):
        return "too_old"  # ν.4978/2022 (ΚΕΔΕ): older municipal debts are a matter for the cashier
    return ""
