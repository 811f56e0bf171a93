import pytest

from dimos.payments.statements.csvfile import parse_amount
from dimos.payments.statements.model import AmountError, cents_from_decimal


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0.01", 1),
        ("40.00", 4000),
        ("40", 4000),
        ("12.5", 1250),
        ("12.500", 1250),  # the same value exactly: nothing is rounded
        ("1234567.89", 123456789),
        ("+3.10", 310),
        ("-3.10", -310),
        (" 7.05 ", 705),
    ],
)
def test_plain_decimals_become_exact_cents(text: str, cents: int) -> None:
    assert cents_from_decimal(text) == cents


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12.345", AmountError.TOO_PRECISE),
        ("0.001", AmountError.TOO_PRECISE),
        ("1e3", AmountError.NOT_A_NUMBER),
        ("NaN", AmountError.NOT_A_NUMBER),
        ("12,50", AmountError.NOT_A_NUMBER),
        ("", AmountError.NOT_A_NUMBER),
        ("4O.00", AmountError.NOT_A_NUMBER),
        (".5", AmountError.NOT_A_NUMBER),
        ("10000000000", AmountError.TOO_LARGE),
    ],
)
def test_what_is_not_an_amount_is_refused(text: str, reason: str) -> None:
    with pytest.raises(AmountError) as caught:
        cents_from_decimal(text)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0,01", 1),
        ("12,5", 1250),
        ("1.234,56", 123456),
        ("1234,56", 123456),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("1.234.567,89", 123456789),
        ("1234567.89", 123456789),
        ("1.234.567", 123456700),
        ("-12,50", -1250),
        ("\u221212,50", -1250),  # the typographic minus sign
        ("40,00 €", 4000),
        ("1 234,56", 123456),
        ("40.00 EUR", 4000),
    ],
)
def test_csv_amounts_in_greek_or_plain_form(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.234", AmountError.TOO_PRECISE),  # Greek thousands or decimals? refused, not guessed
        ("1,234", AmountError.TOO_PRECISE),
        ("12,345", AmountError.TOO_PRECISE),
        ("0,001", AmountError.TOO_PRECISE),
        ("12.34,56", AmountError.NOT_A_NUMBER),
        ("1,234,56", AmountError.NOT_A_NUMBER),
        ("12,", AmountError.NOT_A_NUMBER),
        ("δώδεκα", AmountError.NOT_A_NUMBER),
        ("-", AmountError.NOT_A_NUMBER),
        ("1.234,5.6", AmountError.NOT_A_NUMBER),
    ],
)
def test_ambiguous_or_broken_csv_amounts_are_refused(text: str, reason: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.reason == reason
