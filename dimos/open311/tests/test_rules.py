from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dimos.open311 import rules

ATHENS = ZoneInfo("Europe/Athens")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_our_statuses_are_open_until_the_service_has_answered() -> None:
    assert [rules.status_of(s) for s in ("submitted", "received", "waiting")] == ["open"] * 3
    assert {rules.status_of(s) for s in ("resolved", "rejected", "duplicate", "closed")} == {
        "closed"
    }
    assert rules.statuses_for({"open"}) == {
        "submitted",
        "received",
        "assigned",
        "in_progress",
        "waiting",
    }
    assert "forwarded" in rules.statuses_for({"closed"})
    assert len(rules.statuses_for({"open", "closed"})) == 10


def test_datetimes_carry_the_athens_offset_summer_and_winter() -> None:
    assert rules.w3c(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), ATHENS) == "2026-07-01T12:00:00+03:00"
    assert rules.w3c(datetime(2026, 1, 1, 9, 0, tzinfo=UTC), ATHENS) == "2026-01-01T11:00:00+02:00"


def test_a_deadline_runs_to_the_end_of_its_day() -> None:
    end = rules.end_of_day(date(2027, 1, 15), ATHENS)
    assert end.isoformat() == "2027-01-15T23:59:59+02:00"


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("2026-05-04T09:30:00Z", False, datetime(2026, 5, 4, 9, 30, tzinfo=UTC)),
        ("2026-05-04T12:30:00+03:00", False, datetime(2026, 5, 4, 9, 30, tzinfo=UTC)),
        ("2026-05-04T12:30", False, datetime(2026, 5, 4, 9, 30, tzinfo=UTC)),  # local time
        ("2026-05-04", False, datetime(2026, 5, 3, 21, 0, tzinfo=UTC)),
        ("2026-05-04", True, datetime(2026, 5, 4, 20, 59, 59, tzinfo=UTC)),
    ],
)
def test_w3c_arguments(value: str, end: bool, expected: datetime) -> None:
    assert rules.parse_w3c(value, ATHENS, end=end) == expected


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "04/05/2026", "2026-05-04T25:00"])
def test_bad_w3c_arguments(value: str) -> None:
    assert rules.parse_w3c(value, ATHENS) is None


def test_the_default_range_is_the_last_90_days() -> None:
    assert rules.date_range(None, None, NOW) == (NOW - timedelta(days=90), NOW)


def test_one_bound_gives_90_days_from_it() -> None:
    start = NOW - timedelta(days=200)
    assert rules.date_range(start, None, NOW) == (start, start + timedelta(days=90))
    assert rules.date_range(None, start, NOW) == (start - timedelta(days=90), start)


def test_exactly_90_days_is_allowed_and_more_is_not() -> None:
    start = NOW - timedelta(days=90)
    assert rules.date_range(start, NOW, NOW) == (start, NOW)
    with pytest.raises(rules.RangeError):
        rules.date_range(start - timedelta(seconds=1), NOW, NOW)
    with pytest.raises(rules.RangeError):
        rules.date_range(NOW, start, NOW)


def test_comma_lists_ignore_empty_items() -> None:
    assert rules.split_list("open, closed,,") == ["open", "closed"]
    assert rules.split_list("") == []


def test_the_subject_is_the_first_line_of_the_description() -> None:
    assert rules.subject_from("  Σβηστή λάμπα\nΕδώ και μέρες", "Φωτισμός") == "Σβηστή λάμπα"
    assert rules.subject_from("", "Φωτισμός") == "Φωτισμός"
    assert rules.subject_from("\n\n", "Φωτισμός") == "Φωτισμός"
    assert len(rules.subject_from("α" * 500, "Φωτισμός")) == 200


def test_the_default_channel_is_email_then_sms_to_a_mobile_then_a_call() -> None:
    assert rules.default_channel("a@example.gr", "6900000000") == "email"
    assert rules.default_channel("", "6900000000") == "sms"
    assert rules.default_channel("", "2461012345") == "phone"
    assert rules.default_channel("", "") is None


@pytest.mark.parametrize(
    ("phone", "national", "mobile"),
    [
        ("6971234567", "6971234567", True),
        ("+30 697 123 4567", "6971234567", True),
        ("0030-2461012345", "2461012345", False),
        ("(2461) 012.345", "2461012345", False),
        ("12345", None, False),
        ("1234567890", None, False),
        ("+44 20 7946 0958", None, False),
    ],
)
def test_greek_numbers(phone: str, national: str | None, mobile: bool) -> None:
    assert rules.greek_number(phone) == national
    assert rules.is_greek_mobile(phone) is mobile


def test_coordinates_are_checked_and_kept_to_six_decimals() -> None:
    assert rules.coordinate("40.30058123", 90) == Decimal("40.300581")
    assert rules.coordinate("-180", 180) == Decimal("-180.000000")
    for bad in ("90.1", "north", "NaN", "Infinity", ""):
        assert rules.coordinate(bad, 90) is None


def test_control_characters_are_taken_out_but_line_breaks_stay() -> None:
    assert rules.clean_text("α\x00β\x07γ\nδ\tε\r") == "αβγ\nδ\tε\r"
