import pytest

from dimos.core.greek import normalize_greek


@pytest.mark.parametrize("text", ["ΑΠΟΦΑΣΗ", "απόφαση", "αποφαση", "Απόφαση", "ΑΠΌΦΑΣΗ"])
def test_accents_case_and_sigma_do_not_matter(text: str) -> None:
    assert normalize_greek(text) == "αποφαση"


def test_final_sigma_equals_medial_sigma() -> None:
    assert normalize_greek("ΔΗΜΟΣ") == normalize_greek("δήμος") == "δημοσ"


def test_dialytika_is_ignored() -> None:
    assert normalize_greek("Προϋπολογισμός") == normalize_greek("ΠΡΟΥΠΟΛΟΓΙΣΜΟΣ")
