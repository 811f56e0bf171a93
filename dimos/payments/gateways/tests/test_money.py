"""Cents ↔ the gateways' decimal euros: exact both ways, never through a float."""

from decimal import Decimal

import pytest

from dimos.payments.gateways import cents_to_euros, euros_to_cents


@pytest.mark.parametrize(
    ("cents", "euros"),
    [
        (1, "0.01"),
        (10, "0.10"),
        (99, "0.99"),
        (100, "1.00"),
        (1250, "12.50"),
        (115, "1.15"),  # float: 1.15 * 100 == 114.99999999999999
        (29, "0.29"),  # float: 0.29 * 100 == 28.999999999999996
        (1234567, "12345.67"),
        (123456789012, "1234567890.12"),
        (0, "0.00"),
    ],
)
def test_cents_and_euros_round_trip(cents: int, euros: str) -> None:
    assert cents_to_euros(cents) == euros
    assert euros_to_cents(euros) == cents


def test_every_amount_up_to_a_thousand_euros_round_trips() -> None:
    assert all(euros_to_cents(cents_to_euros(c)) == c for c in range(100_001))


@pytest.mark.parametrize(("text", "cents"), [("12.5", 1250), ("12", 1200), ("0.1", 10), ("1", 100)])
def test_short_forms_the_gateway_may_send(text: str, cents: int) -> None:
    assert euros_to_cents(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12.505",  # a third decimal is not a cent
        "12.",
        ".50",
        "-1.00",
        "+1.00",
        "1e3",
        "12,50",
        " 12.50",
        "12.50\n",
        "012.50",
        "NaN",
        "Infinity",
        "١٢.٥٠",  # Arabic-Indic digits: int() would take them
        "1_000.00",
        "0x10",
        "1234567890123.00",  # more than a municipality will ever charge at once
    ],
)
def test_anything_else_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        euros_to_cents(text)


@pytest.mark.parametrize("amount", [12.5, Decimal("12.50"), True, "1250"])
def test_only_integer_cents_go_out(amount: object) -> None:
    with pytest.raises(TypeError):
        cents_to_euros(amount)  # type: ignore[arg-type]


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        cents_to_euros(-1)
