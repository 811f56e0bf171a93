"""A common word cannot take seconds: few candidates are ranked, every query has a time limit."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.accounts.models import User
from dimos.decisions import queries
from dimos.decisions.models import Decision
from dimos.decisions.tests.conftest import numbers


@pytest.fixture
def five_with_a_common_word(make_decision: Callable[..., Decision]) -> list[Decision]:
    """Five decisions that say «ύδρευση»; the oldest says it in its subject (ranks first)."""
    made = [make_decision("1/2025", "Έργα ύδρευσης στα χωριά", date(2025, 1, 10))]
    for serial, month in [(2, 3), (3, 5), (4, 7), (5, 9)]:
        made.append(
            make_decision(
                f"{serial}/2025",
                f"Ορισμός μελών επιτροπής {serial}",
                date(2025, month, 1),
                text="Θέμα ύδρευσης.",
            )
        )
    return made


def test_relevance_is_ranked_among_the_newest_candidates_only(
    five_with_a_common_word: list[Decision], settings: Any
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = 3
    results = queries.search_page(queries.Criteria(text="ύδρευση"), 1)
    # Without the cap the subject hit 1/2025 would rank first; it is not among the newest 3.
    assert numbers(results.page.object_list) == ["5/2025", "4/2025", "3/2025"]
    assert results.capped
    assert results.page.paginator.count == 3


def test_sorted_oldest_first_the_candidates_are_the_oldest(
    five_with_a_common_word: list[Decision], settings: Any
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = 3
    results = queries.search_page(queries.Criteria(text="ύδρευση", sort="oldest"), 1)
    assert numbers(results.page.object_list) == ["1/2025", "2/2025", "3/2025"]
    assert results.capped


def test_within_the_cap_the_count_is_exact_and_relevance_unchanged(
    five_with_a_common_word: list[Decision], settings: Any
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = 5
    results = queries.search_page(queries.Criteria(text="ύδρευση"), 1)
    assert not results.capped
    assert results.page.paginator.count == 5
    assert numbers(results.page.object_list)[0] == "1/2025"


def test_a_word_nothing_has_gives_an_empty_page(
    five_with_a_common_word: list[Decision],
) -> None:
    results = queries.search_page(queries.Criteria(text="ανύπαρκτο"), 1)
    assert (results.page.object_list, results.page.paginator.count, results.capped) == (
        [],
        0,
        False,
    )


def test_searches_without_words_are_capped_too(
    five_with_a_common_word: list[Decision], settings: Any
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = 2
    criteria = queries.Criteria(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    results = queries.search_page(criteria, 1)
    assert numbers(results.page.object_list) == ["5/2025", "4/2025"]
    assert results.capped


def test_the_candidate_limit_is_in_every_query_of_the_page(
    five_with_a_common_word: list[Decision], settings: Any
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = 3
    with CaptureQueriesContext(connection) as captured:
        queries.search_page(queries.Criteria(text="ύδρευση"), 1)
    selects = [
        q["sql"]
        for q in captured.captured_queries
        if "decisions_decision" in q["sql"]
        and not q["sql"].startswith("EXPLAIN")
        and "pg_class" not in q["sql"]  # the estimates that choose the way to the matches
    ]
    assert len(selects) == 2  # the candidates with their ranks, the page's decisions
    assert "LIMIT 4" in selects[0]  # one more than listed: «more than 3»
    among = '"decisions_decision"."id" IN'
    assert all(among in sql for sql in selects[1:])  # only the candidates


def test_the_page_says_more_than_the_cap_in_greek(
    five_with_a_common_word: list[Decision],
    settings: Any,
    client_for: Callable[[User], Client],
    citizen: User,
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = 3
    html = client_for(citizen).get("/decisions/", {"q": "ύδρευση"}).content.decode()
    assert "Βρέθηκαν περισσότερες από 3 αποφάσεις" in html
    assert "Εμφανίζονται οι 3 πιο πρόσφατες." in html
    html = client_for(citizen).get("/decisions/", {"q": "ύδρευση", "sort": "oldest"}).content
    assert "Εμφανίζονται οι 3 παλαιότερες." in html.decode()


def test_the_default_cap_is_written_as_greeks_write_numbers(
    five_with_a_common_word: list[Decision],
    settings: Any,
    client_for: Callable[[User], Client],
    citizen: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 5,000 decisions are too many for a test; the page is told there are more than 5,000.
    real = queries.search_page

    def capped(criteria: queries.Criteria, page: str | int | None) -> queries.Results:
        return queries.Results(page=real(criteria, page).page, capped=True, limit=5000)

    monkeypatch.setattr(queries, "search_page", capped)
    html = client_for(citizen).get("/decisions/", {"q": "ύδρευση"}).content.decode()
    assert "Βρέθηκαν περισσότερες από 5.000 αποφάσεις" in html


@pytest.mark.postgres
def test_every_query_of_a_search_runs_under_the_statement_timeout(
    five_with_a_common_word: list[Decision],
) -> None:
    with CaptureQueriesContext(connection) as captured:
        queries.search_page(queries.Criteria(text="ύδρευση"), 1)
    sqls = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert sqls[0] == "SET LOCAL statement_timeout = 5000; SET LOCAL jit = off"
    # The timeout, the stems, two estimates, the word index chosen, the ranked candidates, the
    # planner set back, the page: one transaction.
    assert len(sqls) == 8


@pytest.mark.postgres
def test_a_search_that_runs_out_of_time_asks_for_more_words_in_greek(
    five_with_a_common_word: list[Decision],
    settings: Any,
    client_for: Callable[[User], Client],
    citizen: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.DIMOS_SEARCH_TIMEOUT_MS = 10
    real = queries._filtered

    def slow(criteria: queries.Criteria) -> QuerySet[Decision]:
        # 50 ms per row: as slow as a common word over a million decisions on a busy server.
        return real(criteria).extra(where=["(SELECT true FROM pg_sleep(0.05))"])

    monkeypatch.setattr(queries, "_filtered", slow)
    response = client_for(citizen).get("/decisions/", {"q": "ύδρευση"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Βρέθηκαν πάρα πολλές αποφάσεις. Προσθέστε λέξεις ή διάστημα ημερομηνιών." in html
    # The connection is usable afterwards: the time limit ended with the search's transaction.
    monkeypatch.setattr(queries, "_filtered", real)
    settings.DIMOS_SEARCH_TIMEOUT_MS = 5000
    assert (
        "Βρέθηκαν 5 αποφάσεις"
        in client_for(citizen).get("/decisions/", {"q": "ύδρευση"}).content.decode()
    )


@pytest.mark.parametrize(
    ("matches", "decisions", "word_index"),
    [
        (70, 70_000, True),  # a rare word
        (3_600, 70_000, True),  # fewer than the candidates: walking would test every decision
        (10_000, 1_000_000, True),  # 1 in 100: walking would test 500 000 to find 5 000
        (58_000, 70_000, False),  # most decisions: the newest 6 000 hold 5 000 matches
        (830_000, 1_000_000, False),
        (0, 0, True),  # an empty table, or one never analysed
    ],
)
def test_the_way_to_the_matches_follows_how_many_there_are(
    matches: int, decisions: int, word_index: bool
) -> None:
    assert queries._word_index_is_cheaper(matches, decisions, 5000) is word_index


def test_subject_words_make_the_word_index_less_attractive() -> None:
    # 1 in 10 of a million: fetching 100 000 costs less than testing the 50 000 walked to find
    # 5 000, unless each fetched decision must be tested too (weights are not in the index).
    assert queries._word_index_is_cheaper(100_000, 1_000_000, 5000)
    assert not queries._word_index_is_cheaper(100_000, 1_000_000, 5000, weighted=True)


@pytest.mark.postgres
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("cap", [3, 5000])
def test_both_ways_to_the_matches_give_the_same_page(
    five_with_a_common_word: list[Decision],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
    cap: int,
) -> None:
    settings.DIMOS_SEARCH_CANDIDATES = cap
    criteria = queries.Criteria(text="ύδρευση", sort=sort)
    pages = []
    for word_index in (True, False):
        monkeypatch.setattr(
            queries, "_through_the_word_index", lambda match, limit, chosen=word_index: chosen
        )
        results = queries.search_page(criteria, 1)
        pages.append((numbers(results.page.object_list), results.capped))
    assert pages[0] == pages[1]


@pytest.mark.postgres
def test_a_word_few_decisions_have_is_looked_up_in_the_word_index_only(
    five_with_a_common_word: list[Decision],
) -> None:
    with CaptureQueriesContext(connection) as captured:
        results = queries.search_page(queries.Criteria(text="ύδρευση"), 1)
    sqls = [q["sql"] for q in captured.captured_queries]
    off = sqls.index("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
    assert "ts_rank" in sqls[off + 1]  # the candidates, ranked
    assert sqls[off + 2].startswith("SET LOCAL enable_indexscan TO DEFAULT")
    assert len(results.page.object_list) == 5
    with connection.cursor() as cursor:  # the planner is as it was for the rest
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
