import pytest

from dimos.core.templatetags.dimos_money import euros, format_euros


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0,00 €"),
        (1, "0,01 €"),
        (1250, "12,50 €"),
        (123456789, "1.234.567,89 €"),
        (-500, "-5,00 €"),
    ],
)
def test_greek_money_format(cents: int, text: str) -> None:
    assert format_euros(cents) == text


def test_empty_amount_shows_nothing() -> None:
    assert euros(None) == ""
