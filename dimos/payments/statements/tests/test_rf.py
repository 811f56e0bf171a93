import random
import string

import pytest
from django.core.exceptions import ImproperlyConfigured
from stdnum import iso11649

from dimos.payments.statements.rf import (
    RfLayout,
    compact_rf,
    find_rf,
    format_rf,
    is_rf,
    make_rf,
)


def test_iso_annex_b_example() -> None:
    # ISO 11649 Annex B: 2348231 + "RF00" -> 2348231271500 mod 97 = 27 -> 98 - 27 = 71
    assert make_rf("2348231") == "RF712348231"


def test_python_stdnum_documentation_example() -> None:
    assert make_rf("539007547034") == "RF18539007547034"
    assert format_rf("RF18539007547034") == "RF18 5390 0754 7034"


def test_check_digits_are_zero_padded() -> None:
    rf = next(make_rf(str(n)) for n in range(1000) if make_rf(str(n))[2] == "0")
    assert len(rf) == 4 + len(rf[4:])
    assert iso11649.is_valid(rf)


def test_made_references_validate_with_stdnum() -> None:
    rng = random.Random(11649)
    alphabet = string.digits + string.ascii_uppercase
    for _ in range(500):
        body = "".join(rng.choices(alphabet, k=rng.randint(1, 21)))
        rf = make_rf(body)
        assert iso11649.validate(rf) == rf
        assert is_rf(rf)
        assert len(rf) <= 25


def test_body_is_compacted_like_the_reference_snippet() -> None:
    assert make_rf("234 8231") == "RF712348231"
    assert make_rf("abc") == make_rf("ABC")


@pytest.mark.parametrize(
    "body", ["", " ", "1234567890123456789012", "12-34", "ΑΒΓ", "Ä1", "12.3", "RF_1"]
)
def test_bad_bodies_are_refused(body: str) -> None:
    with pytest.raises(ValueError, match="RF body"):
        make_rf(body)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("RF712348231", True),
        ("RF71 2348 231", True),
        ("rf712348231", True),
        ("RF18539007547034", True),
        ("RF722348231", False),  # wrong check digits
        ("RF71", False),
        ("XX712348231", False),
        ("RF71234823Ä", False),
        ("RF" + "1" * 24, False),  # too long
        (None, False),
        (712348231, False),
    ],
)
def test_is_rf(value: object, valid: bool) -> None:
    assert is_rf(value) is valid


def test_compact_removes_separators_and_upper_cases() -> None:
    assert compact_rf(" rf71-2348.231 ") == "RF712348231"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("RF712348231", "RF712348231"),
        ("ΠΛΗΡΩΜΗ RF712348231 ΠΑΠΑΔΟΠΟΥΛΟΣ", "RF712348231"),
        ("RF712348231 DOKIMASTIKOS OFEILETIS", "RF712348231"),  # the MT940 sample's :86:
        ("πληρωμή RF71 2348 231 ευχαριστώ", "RF712348231"),
        ("RF71-2348-231", "RF712348231"),
        ("rf71 2348 231", "RF712348231"),
        ("RF 71 2348231", "RF712348231"),
        ("Τέλος RF18 5390 0754 7034 JOHN SMITH", "RF18539007547034"),
        ("κωδικός:RF18539007547034.", "RF18539007547034"),
        ("RF722348231 και μετά RF18539007547034", "RF18539007547034"),  # first VALID one
        ("ΧΩΡΙΣ ΚΩΔΙΚΟ", None),
        ("RF722348231", None),
        ("XRF712348231", None),  # glued to a word: not a reference
        ("", None),
    ],
)
def test_find_rf_in_free_text(text: str, found: str | None) -> None:
    assert find_rf(text) == found


def test_layout_defaults_to_a_21_digit_body(settings: object) -> None:
    layout = RfLayout.from_settings()
    rf = layout.make(42)
    assert rf[4:] == "0" * 19 + "42"
    assert is_rf(rf)
    assert layout.number(rf) == 42


def test_layout_follows_the_bank_settings(settings: object) -> None:
    settings.DIMOS_RF_PREFIX = "K01"  # type: ignore[attr-defined]
    settings.DIMOS_RF_BODY_LENGTH = 12  # type: ignore[attr-defined]
    layout = RfLayout.from_settings()
    rf = layout.make(1234)
    assert rf == make_rf("K01000001234")
    assert layout.number(format_rf(rf)) == 1234
    assert layout.number(make_rf("K02000001234")) is None  # someone else's prefix
    assert layout.number(make_rf("K0100001234")) is None  # wrong length
    with pytest.raises(ValueError, match="does not fit"):
        layout.make(10**9)
    with pytest.raises(ValueError, match="does not fit"):
        layout.make(-1)


@pytest.mark.parametrize(("prefix", "length"), [("k-1", 21), ("", 22), ("", 0), ("ABC", 3)])
def test_bad_layout_settings_fail_loudly(settings: object, prefix: str, length: int) -> None:
    settings.DIMOS_RF_PREFIX = prefix  # type: ignore[attr-defined]
    settings.DIMOS_RF_BODY_LENGTH = length  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured):
        RfLayout.from_settings()
