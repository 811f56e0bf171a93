from dataclasses import replace
from datetime import date

from dimos.registry.rules import Identity, is_exact_match

REGISTERED = Identity(
    amka="27038500123",
    family_number="1024",
    first_name="Μαρία",
    last_name="Παπαδοπούλου",
    father_name="Γεώργιος",
    mother_name="Ελένη",
    birth_date=date(1985, 3, 27),
)


def test_same_data_match() -> None:
    assert is_exact_match(REGISTERED, REGISTERED)


def test_accents_case_and_spaces_are_not_differences() -> None:
    claimed = replace(
        REGISTERED,
        first_name="ΜΑΡΙΑ ",
        last_name="παπαδοπουλου",
        father_name="γεωργιος",
        mother_name=" ελενη",
    )
    assert is_exact_match(claimed, REGISTERED)


def test_any_other_difference_is_not_a_match() -> None:
    for change in [
        {"amka": "27038500131"},
        {"family_number": "1025"},
        {"birth_date": date(1985, 3, 28)},
        {"first_name": "Μαίρη"},
        {"last_name": "Παπαδοπούλου-Ζήση"},
        {"father_name": "Γιώργος"},
        {"mother_name": "Ελένη Μαρία"},
    ]:
        assert not is_exact_match(replace(REGISTERED, **change), REGISTERED), change
