"""The same Greek queries find the same decisions on SQLite and on PostgreSQL."""

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.decisions import queries
from dimos.decisions.models import Decision
from dimos.decisions.tests.conftest import FIXTURE, numbers


def found(**criteria: object) -> list[str]:
    qs, _patterns = queries.search(queries.Criteria(**criteria))  # type: ignore[arg-type]
    return sorted(numbers(qs))


@pytest.mark.parametrize("query", ["ΑΠΟΦΑΣΗ", "απόφαση", "αποφαση", "Απόφαση", "ΑΠΌΦΑΣΗ"])
def test_accents_case_and_capitals_do_not_matter(
    fixture_decisions: list[Decision], query: str
) -> None:
    # Every PDF says «Αριθμός απόφασης»; the subject «ΑΠΟΦΑΣΗ για …» ranks first.
    ranked, _ = queries.search(queries.Criteria(text=query))
    assert numbers(ranked)[0] == "45/2025"
    assert sorted(numbers(ranked)) == sorted(n for n, *_ in FIXTURE)


@pytest.mark.parametrize("query", ["ανακατασκευή", "ΑΝΑΚΑΤΑΣΚΕΥΗ", "ανακατασκευη", "Ανακατασκευή"])
def test_one_word_in_any_spelling_finds_one_decision(
    fixture_decisions: list[Decision], query: str
) -> None:
    assert found(text=query) == ["45/2025"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("προϋπολογισμού", ["12/2025"]),
        ("ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ", ["12/2025"]),
        ("κανονισμού καθαριότητας", ["88/2025"]),
        ("ΚΑΝΟΝΙΣΜΟΥ καθαριοτητας", ["88/2025"]),
        ("κεντρικής πλατείας", ["45/2025"]),
        ("πλατείας προϋπολογισμού", []),  # every word must match
        ("ύδρευση", ["88/2025"]),  # inside the PDF only
        ("ΥΔΡΕΥΣΗ", ["88/2025"]),
        ("ανύπαρκτο", []),
    ],
)
def test_same_queries_same_decisions_on_both_databases(
    fixture_decisions: list[Decision], query: str, expected: list[str]
) -> None:
    assert found(text=query) == expected


def test_subject_words_search_only_the_subject(fixture_decisions: list[Decision]) -> None:
    assert found(subject="υδρευση") == []
    assert found(subject="Καθαριότητας") == ["88/2025"]


def test_number_date_body_and_type_combine(fixture_decisions: list[Decision]) -> None:
    from dimos.decisions.rules import DecisionNumber

    assert found(number=DecisionNumber(45, 2025)) == ["45/2025"]
    assert found(number=DecisionNumber(3)) == ["3/2026"]
    assert found(date_from=date(2025, 6, 1), date_to=date(2025, 12, 31)) == ["45/2025", "88/2025"]
    assert found(text="έγκριση", date_from=date(2026, 1, 1)) == ["3/2026"]
    assert found(body=fixture_decisions[0].body, number=DecisionNumber(12, 2025)) == ["12/2025"]


def test_newest_and_oldest_first(fixture_decisions: list[Decision]) -> None:
    newest, _ = queries.search(queries.Criteria(sort="newest"))
    oldest, _ = queries.search(queries.Criteria(sort="oldest"))
    assert numbers(newest) == ["9/2026", "3/2026", "88/2025", "45/2025", "12/2025"]
    assert numbers(oldest) == list(reversed(numbers(newest)))


def test_relevance_puts_subject_hits_before_pdf_hits(
    make_decision: Callable[..., Decision],
) -> None:
    make_decision("1/2026", "Ορισμός μελών επιτροπής", date(2026, 2, 1), text="Θέμα ύδρευσης.")
    make_decision("2/2026", "Έργα ύδρευσης στα χωριά", date(2026, 1, 1))
    ranked, _ = queries.search(queries.Criteria(text="ύδρευσης", sort="relevance"))
    assert numbers(ranked) == ["2/2026", "1/2026"]
    by_date, _ = queries.search(queries.Criteria(text="ύδρευσης", sort="newest"))
    assert numbers(by_date) == ["1/2026", "2/2026"]


def test_pages_of_twenty(make_decision: Callable[..., Decision]) -> None:
    for serial in range(1, 23):
        make_decision(f"{serial}/2026", f"Απόφαση αριθμός {serial}", date(2026, 1, serial))
    first = queries.search_page(queries.Criteria(text="απόφαση", sort="newest"), 1).page
    second = queries.search_page(queries.Criteria(text="απόφαση", sort="newest"), 2).page
    assert first.paginator.count == 22
    assert numbers(first.object_list)[0] == "22/2026"
    assert numbers(second.object_list) == ["2/2026", "1/2026"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("δημοτικό συμβούλιο", ["3/2026"]),  # finds «Δημοτικού Συμβουλίου»
        ("ΔΗΜΟΤΙΚΟ ΣΥΜΒΟΥΛΙΟ", ["3/2026"]),
        ("προϋπολογισμός", ["12/2025"]),  # finds «προϋπολογισμού»
        ("πλατεία", ["45/2025"]),  # finds «πλατείας»
        ("κανονισμός", ["88/2025"]),
    ],
)
def test_inflected_forms_on_postgresql(
    fixture_decisions: list[Decision], query: str, expected: list[str]
) -> None:
    assert found(text=query) == expected


@pytest.mark.postgres
def test_postgresql_keeps_the_vector_current(make_decision: Callable[..., Decision]) -> None:
    decision = make_decision("5/2026", "Αρχικό θέμα")
    Decision.objects.filter(pk=decision.pk).update(subject="Ανακύκλωση χαρτιού")
    assert found(text="ανακύκλωση") == ["5/2026"]
    assert found(subject="αρχικό") == []  # still in the PDF text, no longer the subject


def test_query_count_does_not_grow_with_results(make_decision: Callable[..., Decision]) -> None:
    make_decision("1/2026", "Απόφαση πρώτη", date(2026, 1, 1))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            queries.search_page(queries.Criteria(text="απόφαση"), 1)
        return len(ctx.captured_queries)

    one = count()
    for serial in range(2, 31):
        make_decision(f"{serial}/2026", f"Απόφαση {serial}", date(2026, 1, 1), read_text=False)
    assert count() == one


def test_pages_by_relevance_follow_the_whole_ranking(
    make_decision: Callable[..., Decision],
) -> None:
    # 24 decisions: every third says «ύδρευση» in its subject (ranks higher), the rest in the
    # text only; equals are listed newer first, across the page break.
    for serial in range(1, 25):
        in_subject = serial % 3 == 0
        make_decision(
            f"{serial}/2026",
            f"Έργα ύδρευσης {serial}" if in_subject else f"Έργα οδοποιίας {serial}",
            date(2026, 1, serial),
            text="" if in_subject else "Αφορά και την ύδρευση.",
        )
    criteria = queries.Criteria(text="ύδρευση")
    whole, _ = queries.search(criteria)
    first = queries.search_page(criteria, 1).page
    second = queries.search_page(criteria, 2).page
    listed = numbers(first.object_list) + numbers(second.object_list)
    assert listed == numbers(whole)
    assert listed[:8] == [f"{n}/2026" for n in (24, 21, 18, 15, 12, 9, 6, 3)]
    assert (len(first.object_list), len(second.object_list)) == (20, 4)
