from datetime import timedelta

import pytest

from dimos.notifications import rules
from dimos.notifications.rules import InvalidPhoneNumberError, normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "6912345678",
        "691 234 5678",
        "6912-345-678",
        "+30 6912345678",
        "0030 691 2345678",
        "306912345678",
    ],
)
def test_greek_mobile_numbers_as_people_write_them_become_e164(raw: str) -> None:
    assert normalise_phone(raw, rules.GREEK_MOBILE) == "+306912345678"


def test_greek_fixed_line_is_accepted_for_calls_and_fax() -> None:
    assert normalise_phone("24610 12345", rules.GREEK_FIXED) == "+302461012345"
    assert normalise_phone("(2461) 012345", rules.GREEK_ANY) == "+302461012345"


def test_a_fixed_line_cannot_receive_sms() -> None:
    with pytest.raises(InvalidPhoneNumberError) as exc:
        normalise_phone("2461012345", rules.GREEK_MOBILE)
    assert exc.value.reason == "invalid"


@pytest.mark.parametrize(
    "raw", ["12345", "691234567", "69123456789", "6912345abc", "+30 12345", "+0123456789", "+12"]
)
def test_invalid_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumberError) as exc:
        normalise_phone(raw, rules.GREEK_ANY)
    assert exc.value.reason == "invalid"


@pytest.mark.parametrize("raw", ["", "  ", " - "])
def test_no_number_is_missing(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumberError) as exc:
        normalise_phone(raw)
    assert exc.value.reason == "missing"


def test_foreign_numbers_keep_their_country_code() -> None:
    assert normalise_phone("+44 7700 900123", rules.GREEK_MOBILE) == "+447700900123"
    assert normalise_phone("0049 151 2345678", rules.GREEK_MOBILE) == "+491512345678"


def test_retries_wait_longer_each_time_up_to_a_cap() -> None:
    delays = [rules.retry_delay(n) for n in range(1, 5)]
    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
    ]
    assert rules.retry_delay(20) == rules.RETRY_CAP
    assert rules.may_retry(rules.MAX_ATTEMPTS - 1)
    assert not rules.may_retry(rules.MAX_ATTEMPTS)


def test_sms_text_is_one_short_line() -> None:
    assert rules.shorten_sms("Το αίτημα\n  ολοκληρώθηκε.\n") == "Το αίτημα ολοκληρώθηκε."
    long = "α" * 500
    short = rules.shorten_sms(long)
    assert len(short) == rules.SMS_MAX_CHARS and short.endswith("…")


def test_message_id_depends_only_on_the_notification() -> None:
    first = rules.message_id_for(42, "Δήμος <noreply@dimos.example.gr>")
    assert first == "<notification-42@dimos.example.gr>"
    assert rules.message_id_for(42, "noreply@dimos.example.gr") == first
    assert rules.message_id_for(43, "noreply@dimos.example.gr") != first


def test_fax_gateway_address() -> None:
    assert rules.fax_address("{number}@fax.example.gr", "+302461012345") == (
        "302461012345@fax.example.gr"
    )
    assert rules.fax_address("fax-{national}@gw.example.gr", "+302461012345") == (
        "fax-2461012345@gw.example.gr"
    )
