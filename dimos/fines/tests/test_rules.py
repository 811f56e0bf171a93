"""Worked examples of the law: amounts, deadlines, interest."""

from datetime import date

import pytest

from dimos.fines import rules
from dimos.fines.rules import Counting, Terms


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ΚΖΝ-1234", "KZN1234"),
        ("kzn 1234", "KZN1234"),
        ("KZN1234", "KZN1234"),
        ("κζν-1234", "KZN1234"),
        ("ΚΟΖ-2026-000101", "KOZ2026000101"),
        (" koz 2026 000101 ", "KOZ2026000101"),
        ("ΚΌΖ.2026/000101", "KOZ2026000101"),
    ],
)
def test_plates_and_numbers_match_whatever_the_keyboard(typed: str, key: str) -> None:
    assert rules.normalise_code(typed) == key


def test_deadline_is_two_months_from_the_ticket() -> None:  # art. 107 §3
    assert rules.payment_deadline(date(2026, 1, 15)) == date(2026, 3, 15)
    assert rules.payment_deadline(date(2025, 12, 31)) == date(2026, 2, 28)
    assert rules.payment_deadline(date(2027, 12, 31)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("vehicle", "article", "cents", "expected"),
    [
        ("car", "38§2ε", 15000, 15000),
        ("motorcycle", "38§2ε", 15000, 7500),  # art. 38 §11: parking halved for two-wheelers
        ("moped", "38 §2α", 3000, 1500),
        ("motorcycle", "12§1", 35000, 35000),  # not a parking violation: not halved
        ("motorcycle", "38§2δ", 120000, 60000),
    ],
)
def test_two_wheelers_pay_half_the_parking_fines(
    vehicle: str, article: str, cents: int, expected: int
) -> None:
    assert rules.fine_for_vehicle(cents, vehicle, article) == expected


def test_concurrent_violations_heaviest_plus_half_of_the_others() -> None:  # art. 107 §9
    assert rules.concurrent_total([15000]) == 15000
    assert rules.concurrent_total([3000, 15000]) == 15000 + 1500
    assert rules.concurrent_total([3000, 35000, 15000]) == 35000 + 9000
    assert rules.concurrent_total([]) == 0


def test_usual_amounts_are_the_single_violation_ones() -> None:
    assert all(rules.is_usual_amount(c) for c in (1500, 3000, 7500, 15000, 35000, 120000))
    assert not rules.is_usual_amount(4500)


FINE = Terms(amount_cents=15000, deadline=date(2026, 3, 15))


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 1, 15), 15000),  # the day of the ticket
        (date(2026, 3, 15), 15000),  # the last day: no interest
        (
            date(2026, 3, 16),
            15110,
        ),  # the day after: 1 month started, 0.73 % of 150 € = 1,095 → 1,10
        (date(2026, 4, 15), 15110),  # still the first month
        (date(2026, 4, 16), 15219),  # second month: 2 × 1,095 = 2,19
        (date(2027, 3, 16), 15000 + 1424),  # 13 months: 13 × 1,095 = 14,235 → 14,24
    ],
)
def test_interest_is_073_percent_per_started_month_after_the_deadline(
    today: date, due: int
) -> None:
    assert rules.amount_due(FINE, today) == due


def test_interest_per_day_when_the_treasury_counts_days() -> None:
    terms = Terms(15000, date(2026, 3, 15), counting=Counting.DAY)
    # 30 days × 0.73 % × 12 / 365 of 150 € = 1,08
    assert rules.amount_due(terms, date(2026, 4, 14)) == 15108
    assert rules.amount_valid_until(terms, date(2026, 4, 14)) == date(2026, 4, 14)


def test_the_amount_due_stays_the_same_until_the_next_month_starts() -> None:
    assert rules.amount_valid_until(FINE, date(2026, 2, 1)) == date(2026, 3, 15)
    assert rules.amount_valid_until(FINE, date(2026, 3, 20)) == date(2026, 4, 15)
    assert rules.amount_due(FINE, date(2026, 4, 15)) == rules.amount_due(FINE, date(2026, 3, 16))


def test_no_early_payment_discount_by_default_but_a_configured_one_applies() -> None:
    # ν.4530/2018 art. 28 §7 abolished the half-in-10-days; a legacy rule row may keep one.
    legacy = Terms(8000, date(2025, 3, 1), discount_percent=50, discount_until=date(2025, 1, 11))
    assert rules.amount_due(legacy, date(2025, 1, 11)) == 4000
    assert rules.amount_due(legacy, date(2025, 1, 12)) == 8000
    assert rules.amount_valid_until(legacy, date(2025, 1, 5)) == date(2025, 1, 11)
    assert rules.amount_due(FINE, date(2026, 1, 16)) == 15000


def test_unpaid_after_the_deadline_is_a_certified_debt() -> None:  # art. 107 §7
    assert not rules.is_certified_debt(date(2026, 3, 15), date(2026, 3, 15), False)
    assert rules.is_certified_debt(date(2026, 3, 15), date(2026, 3, 16), False)
    assert not rules.is_certified_debt(date(2026, 3, 15), date(2026, 3, 16), True)


@pytest.mark.parametrize(
    ("owed", "paid", "outcome", "owed_left", "refund"),
    [
        (15000, 15000, rules.Outcome.PAID, 0, 0),
        (15000, 3000, rules.Outcome.PARTLY_PAID, 12000, 0),
        (3000, 15000, rules.Outcome.OVERPAID, 0, 12000),
        (3000, 0, rules.Outcome.UNPAID, 3000, 0),
    ],
)
def test_balance_outcomes(owed: int, paid: int, outcome: str, owed_left: int, refund: int) -> None:
    assert rules.balance(owed, paid) == rules.Balance(rules.Outcome(outcome), owed_left, refund)
