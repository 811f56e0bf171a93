"""Worked examples of every rule (payments.md §5–§6)."""

from datetime import date
from decimal import Decimal

import pytest

from dimos.business_tax import rules

GR_2025_2026 = rules.public_holidays([2025, 2026])


# --- Fees ----------------------------------------------------------------------------------


def test_food_and_drink_fee_is_half_a_percent_of_the_receipts() -> None:
    assert rules.fee_on_receipts(2_000_000, 50, includes_fee=False) == 10_000  # 20.000 € → 100 €


def test_night_club_fee_is_five_percent_of_the_receipts() -> None:
    assert rules.fee_on_receipts(2_000_000, 500, includes_fee=False) == 100_000  # → 1.000 €


def test_hotel_stay_fee_is_half_a_percent_of_the_turnover() -> None:
    assert rules.fee_on_receipts(12_345_678, 50, includes_fee=False) == 61_728  # 617,28 €


def test_base_including_the_fee_takes_it_out_first() -> None:
    # Trifylia: «Σύνολο εκροών ΦΠΑ × 5/105»: 10.500 € including 5 % → 500 €
    assert rules.fee_on_receipts(1_050_000, 500, includes_fee=True) == 50_000
    # 10.050 € including 0.5 % → 50 €
    assert rules.fee_on_receipts(1_005_000, 50, includes_fee=True) == 5_000


def test_fee_rounds_half_a_cent_up() -> None:
    assert rules.fee_on_receipts(101, 50, includes_fee=False) == 1  # 0,505 cents → 1 cent
    assert rules.fee_on_receipts(99, 50, includes_fee=False) == 0  # 0,495 → 0


def test_public_space_fee_is_square_metres_times_zone_rate_times_months() -> None:
    # 12,5 m² × 5,08 €/m²/month × 3 months = 190,50 €
    assert rules.fee_on_area(Decimal("12.5"), 508, 3) == 19_050


def test_unauthorised_use_adds_three_times_the_fee() -> None:
    fee = rules.fee_on_area(Decimal("10"), 508, 1)  # 50,80 €
    assert rules.unauthorised_fine(fee, 3) == 15_240  # + 152,40 € = 203,20 € in all


def test_advertising_fee_is_square_metres_times_rate() -> None:
    assert rules.fee_on_area(Decimal("2"), 5180, 1) == 10_360  # fixed sign, 2 m², 1 year


def test_percent_reads_as_people_write_it() -> None:
    assert [rules.percent(bp) for bp in (50, 500, 73, 200, 10000)] == [
        "0,5",
        "5",
        "0,73",
        "2",
        "100",
    ]


# --- Late surcharge ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "months", "surcharge"),
    [
        (date(2025, 5, 30), 0, 0),  # on the deadline: on time
        (date(2025, 5, 31), 1, 200),  # one day late: a month started, 2 %
        (date(2025, 6, 30), 1, 200),  # a whole month late: still one
        (date(2025, 7, 1), 2, 400),  # a month and a day: two
        (date(2025, 8, 30), 3, 600),  # three months exactly
        (date(2025, 8, 31), 4, 800),  # three months and a day
        (date(2027, 9, 30), 28, 5600),
        (date(2029, 6, 1), 49, 9800),  # 98 %, not yet capped
        (date(2029, 7, 30), 50, 10000),  # 100 %: the cap
        (date(2030, 1, 1), 56, 10000),  # capped at 100 % of the fee
    ],
)
def test_late_declaration_adds_two_percent_per_month_capped(
    today: date, months: int, surcharge: int
) -> None:
    deadline = date(2025, 5, 30)
    assert rules.months_started(deadline, today) == months
    assert rules.late_surcharge(10_000, months, 200) == min(surcharge, 10_000)


def test_months_started_handles_month_ends() -> None:
    deadline = date(2025, 1, 31)
    assert rules.months_started(deadline, date(2025, 2, 28)) == 1
    assert rules.months_started(deadline, date(2025, 3, 1)) == 2
    assert rules.months_started(deadline, date(2025, 3, 31)) == 2


def test_amount_due_adds_the_surcharge_and_says_until_when_it_holds() -> None:
    due = rules.amount_due(
        fee=10_000, fine=0, due_date=date(2025, 5, 30), today=date(2025, 8, 30),
        surcharge_bp_per_month=200,
    )  # fmt: skip
    assert (due.surcharge, due.surcharge_months, due.total, due.due) == (600, 3, 10_600, 10_600)
    assert due.stable_until == date(2025, 8, 30)


def test_capped_surcharge_stops_growing() -> None:
    due = rules.amount_due(
        fee=10_000, fine=0, due_date=date(2020, 1, 31), today=date(2025, 1, 1),
        surcharge_bp_per_month=200,
    )  # fmt: skip
    assert due.total == 20_000
    assert due.stable_until is None


def test_fee_without_surcharge_only_counts_what_was_paid() -> None:
    due = rules.amount_due(
        fee=19_050, fine=57_150, due_date=date(2025, 1, 31), today=date(2025, 6, 1),
        surcharge_bp_per_month=0, paid=10_000,
    )  # fmt: skip
    assert (due.total, due.due, due.stable_until) == (76_200, 66_200, None)


# --- Certified debts -----------------------------------------------------------------------


def test_certified_debt_bears_interest_of_0_73_percent_per_month() -> None:
    assert rules.certified_interest(100_000, 2) == 1_460  # 1.000 € × 0,73 % × 2 = 14,60 €
    assert rules.certified_interest(100_000, 24) == 17_520  # no cap


def test_certification_freezes_the_surcharge_and_interest_runs_from_then() -> None:
    # Fee 100 €, due 30/05/2025, certified 01/07/2025 (2 months late: +4 €), paid 15/09/2025.
    due = rules.amount_due(
        fee=10_000, fine=0, due_date=date(2025, 5, 30), today=date(2025, 9, 15),
        surcharge_bp_per_month=200, certified_on=date(2025, 7, 1),
    )  # fmt: skip
    assert (due.surcharge, due.surcharge_months) == (400, 2)
    assert due.interest_months == 3  # 02/07–01/08, –01/09, and part of the third
    assert due.interest == 228  # 104 € × 0,73 % × 3 = 2,2776 € → 2,28 €
    assert due.total == 10_628
    assert due.stable_until == date(2025, 10, 1)


# --- Periods and deadlines -----------------------------------------------------------------


def test_vat_payer_deadline_is_the_last_working_day_of_the_next_month() -> None:
    march = rules.period_of(date(2025, 3, 15), rules.MONTHLY)
    assert rules.declaration_deadline(march, vat_payer=True, holidays=GR_2025_2026) == date(
        2025, 4, 30
    )


def test_deadline_on_a_weekend_moves_back_to_the_friday() -> None:
    april = rules.period_of(date(2025, 4, 1), rules.MONTHLY)  # 31/05/2025 is a Saturday
    assert rules.declaration_deadline(april, vat_payer=True, holidays=GR_2025_2026) == date(
        2025, 5, 30
    )


def test_deadline_on_a_local_holiday_moves_to_the_working_day_before() -> None:
    holidays = rules.public_holidays([2025], local=["05-30"])
    april = rules.period_of(date(2025, 4, 1), rules.MONTHLY)
    assert rules.declaration_deadline(april, vat_payer=True, holidays=holidays) == date(2025, 5, 29)


def test_quarterly_deadline_follows_the_quarter() -> None:
    q1 = rules.period_of(date(2025, 2, 10), rules.QUARTERLY)
    assert (q1.start, q1.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert rules.declaration_deadline(q1, vat_payer=True, holidays=GR_2025_2026) == date(
        2025, 4, 30
    )


def test_non_vat_payer_pays_within_the_first_ten_days() -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    assert rules.declaration_deadline(march, vat_payer=False, holidays=GR_2025_2026) == date(
        2025, 4, 10
    )


def test_non_vat_deadline_on_good_friday_moves_past_easter() -> None:
    # 10/04/2026 is Good Friday; Saturday, Easter Sunday and Easter Monday follow.
    march = rules.period_of(date(2026, 3, 1), rules.MONTHLY)
    assert rules.declaration_deadline(march, vat_payer=False, holidays=GR_2025_2026) == date(
        2026, 4, 14
    )


def test_non_vat_deadline_on_a_saturday_moves_to_monday() -> None:
    december = rules.period_of(date(2025, 12, 1), rules.MONTHLY)  # 10/01/2026 is a Saturday
    assert rules.declaration_deadline(december, vat_payer=False, holidays=GR_2025_2026) == date(
        2026, 1, 12
    )


def test_local_holidays_come_from_the_settings(settings: object) -> None:
    settings.DIMOS_LOCAL_HOLIDAYS = ["05-30"]  # type: ignore[attr-defined]
    assert date(2025, 5, 30) in rules.holidays_around(date(2025, 5, 1))


def test_ended_periods_are_listed_newest_first() -> None:
    periods = rules.ended_periods(date(2025, 10, 15), date(2026, 1, 5), rules.MONTHLY)
    assert [p.start for p in periods] == [date(2025, 12, 1), date(2025, 11, 1), date(2025, 10, 1)]
    quarters = rules.ended_periods(date(2025, 1, 1), date(2025, 10, 1), rules.QUARTERLY)
    assert [p.key for p in quarters] == ["2025-07:2025-09", "2025-04:2025-06", "2025-01:2025-03"]


def test_period_keys_round_trip_and_garbage_is_refused() -> None:
    q = rules.period_of(date(2026, 5, 5), rules.QUARTERLY)
    assert rules.parse_period(q.key) == q
    for bad in ("", "2026-13:2026-13", "2026-05", "x:y", "2026-06:2026-04", "2026/01:2026/02"):
        assert rules.parse_period(bad) is None


def test_base_includes_fee_setting_defaults_to_not_included(settings: object) -> None:
    assert rules.base_includes_fee() is False
    settings.DIMOS_TAX_BASE_INCLUDES_FEE = True  # type: ignore[attr-defined]
    assert rules.base_includes_fee() is True
