import itertools
from datetime import date, timedelta

import pytest

from dimos.core.greek import normalize_greek
from dimos.decisions import rules
from dimos.decisions.highlight import Pattern, highlight, snippet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123/2026", rules.DecisionNumber(123, 2026)),
        (" 123 / 2026 ", rules.DecisionNumber(123, 2026)),
        ("αρ. 45/2025", rules.DecisionNumber(45, 2025)),
        ("Αριθμ. 45/2025", rules.DecisionNumber(45, 2025)),
        ("123", rules.DecisionNumber(123)),
        ("0/2026", None),
        ("123/26", None),
        ("123/1200", None),
        ("προϋπολογισμός", None),
        ("", None),
    ],
)
def test_decision_numbers_as_people_write_them(text: str, expected: object) -> None:
    assert rules.parse_number(text) == expected


def test_number_shows_as_written() -> None:
    assert str(rules.DecisionNumber(123, 2026)) == "123/2026"
    assert str(rules.DecisionNumber(7)) == "7"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ΨΘ82ΩΡΦ-7ΑΙ", "ΨΘ82ΩΡΦ-7ΑΙ"),
        ("ψθ82ωρφ-7αι", "ΨΘ82ΩΡΦ-7ΑΙ"),
        ("6ΛΘΕΩPΦ-ΞΣ1", "6ΛΘΕΩΡΦ-ΞΣ1"),  # a Latin P typed for the Greek Ρ
        ("123/2026", None),
        ("2026-03-15", None),  # a date, not an ΑΔΑ
        ("καθαριότητα", None),
    ],
)
def test_ada_is_recognised_in_any_case_and_keyboard(text: str, expected: str | None) -> None:
    assert rules.parse_ada(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/3/2026", date(2026, 3, 15)),
        ("15-03-2026", date(2026, 3, 15)),
        ("15.3.2026", date(2026, 3, 15)),
        ("2026-03-15", date(2026, 3, 15)),
        ("31/2/2026", None),
        ("15/3", None),
    ],
)
def test_dates_as_greeks_write_them(text: str, expected: date | None) -> None:
    assert rules.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ΑΠΟΦΑΣΗ", "αποφαση"),  # capitals
        ("Απόφαση", "αποφαση"),  # tonos
        ("αποφασης", "αποφασησ"),
        ("απόφασης", "αποφασησ"),  # final sigma is a sigma
        ("ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ", "προυπολογισμοσ"),  # dialytika
        ("προϋπολογισμός", "προυπολογισμοσ"),
        ("Ταΐζω", "ταιζω"),
        ("ΐ ΰ", "ι υ"),  # dialytika with tonos
    ],
)
def test_greek_normalisation_worked_examples(text: str, expected: str) -> None:
    assert normalize_greek(text) == expected


def test_search_terms_are_normalised_unique_and_limited() -> None:
    assert rules.terms("ΑΠΟΦΑΣΗ απόφαση, Δήμου!") == ["αποφαση", "δημου"]
    assert rules.terms("ο") == []  # one letter says nothing
    assert len(rules.terms(" ".join(f"λέξη{i}" for i in range(20)))) == rules.MAX_TERMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Δημοτικό Συμβούλιο", "Dimotiko Symvoulio"),
        ("Δημοτική Επιτροπή", "Dimotiki Epitropi"),
        ("Δήμαρχος", "Dimarchos"),
        ("Κοζάνη", "Kozani"),
        ("Ευρυτανία", "Evrytania"),
    ],
)
def test_transliteration_elot_743(text: str, expected: str) -> None:
    assert rules.to_latin(text) == expected


def test_file_name_is_readable_and_safe() -> None:
    assert rules.file_name("123/2026", "Dimotiko Symvoulio") == (
        "Apofasi-123-2026-Dimotiko-Symvoulio.pdf"
    )
    assert rules.file_name("Α/1522", "Δήμαρχος") == "Apofasi-A-1522-Dimarchos.pdf"


def test_windows_never_exceed_180_days() -> None:
    windows = rules.date_windows(date(2025, 1, 1), date(2026, 3, 31))
    assert windows[0] == (date(2025, 1, 1), date(2025, 6, 29))
    assert windows[-1][1] == date(2026, 3, 31)
    assert all((last - first).days < 180 for first, last in windows)
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in itertools.pairwise(windows))
    days = sum((last - first).days + 1 for first, last in windows)
    assert days == (date(2026, 3, 31) - date(2025, 1, 1)).days + 1


def test_highlight_escapes_then_marks_in_any_accent_or_case() -> None:
    html = highlight("Η ΑΠΟΦΑΣΗ <b>& η απόφαση</b>", [Pattern("αποφαση")])
    assert html == ("Η <mark>ΑΠΟΦΑΣΗ</mark> &lt;b&gt;&amp; η <mark>απόφαση</mark>&lt;/b&gt;")


def test_highlight_of_word_starts_marks_inflected_forms() -> None:
    html = highlight("του Δημοτικού Συμβουλίου", [Pattern("συμβουλ", word_start=True)])
    assert html == "του Δημοτικού <mark>Συμβουλίου</mark>"


def test_snippet_shows_text_around_the_hit() -> None:
    text = "Αρχή. " + "λόγια " * 80 + "η ύδρευση της πόλης " + "τέλος " * 80
    shown = snippet(text, [Pattern("υδρευση")], width=60)
    assert "<mark>ύδρευση</mark>" in shown
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown) < 150
    assert snippet(text, [Pattern("ανύπαρκτο")]) == ""


def test_highlight_marks_final_sigma_and_decomposed_accents() -> None:
    # «Δήμος» with its accent as a separate character, and a final sigma in the pattern's text.
    html = highlight("ο Δη\u0301μος και ΔΗΜΟΣ", [Pattern("δημοσ")])
    assert html == "ο <mark>Δη\u0301μος</mark> και <mark>ΔΗΜΟΣ</mark>"


def test_highlight_maps_back_letters_that_fold_to_two() -> None:
    # «ß» folds to «ss»: the marks still fall on the original characters.
    html = highlight("Große Straße, STRASSE", [Pattern("strasse")])
    assert html == "Große <mark>Straße</mark>, <mark>STRASSE</mark>"


def test_highlight_marks_each_word_once_when_patterns_overlap() -> None:
    patterns = [Pattern("αποφαση"), Pattern("αποφασ", word_start=True), Pattern("φασ")]
    assert highlight("απόφαση, αποφάσεις", patterns) == (
        "<mark>απόφαση</mark>, <mark>αποφάσεις</mark>"
    )


def test_patterns_that_are_not_words_mark_nothing() -> None:
    text = "η απόφαση 12/2025 <b>"
    assert highlight(text, [Pattern(""), Pattern("12/2025"), Pattern("<b>")]) == (
        "η απόφαση 12/2025 &lt;b&gt;"
    )


def test_snippet_finds_a_hit_far_into_a_long_text_and_across_a_piece_boundary() -> None:
    # The first match is looked for piece by piece (about 2 000 characters each).
    far = "λόγια " * 2000 + "η ύδρευση"
    assert "<mark>ύδρευση</mark>" in snippet(far, [Pattern("υδρευση")])
    across = "χ" * 1995 + " ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ " + "λόγια " * 10
    assert "<mark>ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ</mark>" in snippet(across, [Pattern("προυπολογισμοσ")])
    assert snippet(across, [Pattern("προυπολογισμοσ", word_start=True)]) == snippet(
        across, [Pattern("προυπολογισμοσ")]
    )


def test_snippet_is_around_the_first_hit_of_any_pattern() -> None:
    text = "λόγια " * 60 + "το συμβούλιο " + "λόγια " * 60 + "η απόφαση " + "τέλος " * 60
    shown = snippet(text, [Pattern("αποφαση"), Pattern("συμβουλ", word_start=True)], width=40)
    assert "<mark>συμβούλιο</mark>" in shown
    assert "απόφαση" not in shown


@pytest.mark.parametrize(
    ("term", "stem"),
    [
        ("προυπολογισμοσ", "προυπολογισμ"),
        ("αποφαση", "αποφασ"),
        ("συμβουλιο", "συμβουλ"),
        ("συμβουλιου", "συμβουλ"),
        ("πλατεια", "πλατε"),
        ("δημοσ", "δημοσ"),  # at least four letters stay
        ("2026", "2026"),
    ],
)
def test_light_stem_cuts_greek_endings(term: str, stem: str) -> None:
    assert rules.light_stem(term) == stem
