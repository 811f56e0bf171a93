"""Reads of decisions, above all the search. The search hides which database it runs on.

PostgreSQL: the weighted `search_vector` (migration 0002: unaccent + Greek stemmer, filled by a
trigger) and a GIN index; each word matches its stem, or the stem less its last letter as a
prefix, because the Greek stemmer is not always consistent (it stems «συμβούλιο» to «συμβουλι»
but «συμβουλίου» to «συμβουλ»). SQLite: LIKE over `search_text`, which holds normalize_greek()
of the same text, so accents, case and final sigma do not matter there either; each word loses
its inflectional ending first (rules.light_stem), so most inflected forms are found there too.
"""

import json
import operator
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from dimos.core.greek import normalize_greek
from dimos.decisions import rules
from dimos.decisions.highlight import Pattern
from dimos.decisions.models import Body, Decision, DecisionType

PAGE_SIZE = 20
# Testing whether a decision matches reads its vector (TOASTed and compressed): about four
# times the work of fetching a match that the GIN index names (measured on 70 k decisions,
# issue 10). PostgreSQL's planner does not count that reading.
_VECTOR_TEST_COST = 4
_LEXEME = re.compile(r"^\w+$", re.UNICODE)


class SearchTooBroadError(Exception):
    """The database gave up within the time limit."""


@dataclass
class Criteria:
    text: str = ""
    number: rules.DecisionNumber | None = None
    subject: str = ""
    date_from: date | None = None
    date_to: date | None = None
    body: Body | None = None
    decision_type: DecisionType | None = None
    sort: str = "relevance"  # or "newest", "oldest"

    @property
    def has_words(self) -> bool:
        return bool(rules.terms(self.text) or rules.terms(self.subject))

    @property
    def is_empty(self) -> bool:
        return not (
            self.has_words
            or self.number
            or self.date_from
            or self.date_to
            or self.body
            or self.decision_type
        )


@dataclass
class Results:
    page: Page
    patterns: list[Pattern] = field(default_factory=list)
    # More decisions match than SEARCH_CANDIDATES: only the newest (oldest) of them are listed.
    capped: bool = False
    limit: int = 0


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _lexemes(words: list[str]) -> dict[str, list[str]]:
    """The stems PostgreSQL's `dimos_greek` makes of each word, in one query."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, tsvector_to_array(to_tsvector('dimos_greek', w)) "
            "FROM unnest(%s::text[]) AS w",
            [words],
        )
        return {word: [x for x in lexemes if _LEXEME.match(x)] for word, lexemes in cursor}


def _tsquery(words: list[str], stems: dict[str, list[str]], weights: str = "") -> str:
    """A raw tsquery: every word must match, by its stem or by a prefix of it."""
    parts = []
    for word in words:
        options = []
        for stem in stems.get(word) or [word]:
            options.append(f"'{stem}'{':' + weights if weights else ''}")
            if len(stem) >= 5:
                options.append(f"'{stem[:-1]}':*{weights}")
        parts.append("(" + " | ".join(options) + ")")
    return " & ".join(parts)


def _patterns_for(words: list[str], stems: dict[str, list[str]]) -> list[Pattern]:
    patterns = [Pattern(w) for w in words]
    for lexemes in stems.values():
        for stem in lexemes:
            patterns.append(Pattern(stem, word_start=True))
            if len(stem) >= 5:
                patterns.append(Pattern(stem[:-1], word_start=True))
    return patterns


def _filtered(criteria: Criteria) -> QuerySet[Decision]:
    qs = Decision.objects.all()
    if criteria.number:
        qs = qs.filter(serial=criteria.number.serial)
        if criteria.number.year:
            qs = qs.filter(year=criteria.number.year)
    if criteria.date_from:
        qs = qs.filter(decision_date__gte=criteria.date_from)
    if criteria.date_to:
        qs = qs.filter(decision_date__lte=criteria.date_to)
    if criteria.body:
        qs = qs.filter(body=criteria.body)
    if criteria.decision_type:
        qs = qs.filter(decision_type=criteria.decision_type)
    return qs


def _by_date(qs: QuerySet[Decision], sort: str) -> QuerySet[Decision]:
    if sort == "oldest":
        return qs.order_by("decision_date", "serial", "pk")
    return qs.order_by("-decision_date", "-serial", "-pk")


@dataclass
class _Match:
    """The decisions that match (unordered), their relevance (None without words), what to
    highlight in them and, on PostgreSQL, the tsquery they match."""

    qs: QuerySet[Decision]
    rank: Any = None
    patterns: list[Pattern] = field(default_factory=list)
    tsquery: str = ""
    # Subject words are weighted (A, B): the GIN index has no weights, so each decision it names
    # is tested (its vector read) as well.
    weighted: bool = False


def _matching(criteria: Criteria) -> _Match:
    qs = _filtered(criteria)
    words = rules.terms(criteria.text)
    subject_words = rules.terms(criteria.subject)
    if not (words or subject_words):
        return _Match(qs)
    if _postgres():
        stems = _lexemes([*words, *subject_words])
        raw = " & ".join(
            q for q in (_tsquery(words, stems), _tsquery(subject_words, stems, weights="AB")) if q
        )
        query = SearchQuery(raw, config="simple", search_type="raw")
        # ts_rank, not ts_rank_cd: as good for one or two words, and 6× faster (issue 10).
        rank = SearchRank(F("search_vector"), query)
        patterns = _patterns_for([*words, *subject_words], stems)
        matching = qs.filter(search_vector=query)
        return _Match(matching, rank, patterns, tsquery=raw, weighted=bool(subject_words))
    words = [rules.light_stem(w) for w in words]
    subject_words = [rules.light_stem(w) for w in subject_words]
    for word in words:
        qs = qs.filter(search_text__contains=word)
    for word in subject_words:
        qs = qs.filter(search_head__contains=word)
    scores = []
    for word in [*words, *subject_words]:
        # A word in the number, ΑΔΑ, body or subject counts more than one in the PDF.
        scores.append(Case(When(search_head__contains=word, then=Value(2)), default=0))
        scores.append(Case(When(search_text__contains=word, then=Value(1)), default=0))
    score = Cast(reduce(operator.add, scores), output_field=FloatField())
    return _Match(qs, score, [Pattern(w) for w in [*words, *subject_words]])


def _listed(qs: QuerySet[Decision]) -> QuerySet[Decision]:
    return qs.select_related("body", "decision_type").defer(
        "search_head", "search_text", "search_vector"
    )


def _by_relevance(qs: QuerySet[Decision], rank: Any) -> QuerySet[Decision]:
    return qs.annotate(rank=rank).order_by(F("rank").desc(), "-decision_date", "-serial", "-pk")


def search(criteria: Criteria) -> tuple[QuerySet[Decision], list[Pattern]]:
    """All the decisions that match, in the order asked for, and what to highlight in them."""
    match = _matching(criteria)
    if match.rank is not None and criteria.sort == "relevance":
        return _by_relevance(_listed(match.qs), match.rank), match.patterns
    return _by_date(_listed(match.qs), criteria.sort), match.patterns


@contextmanager
def _time_limited() -> Iterator[None]:
    """A search on a very common word must not hold a connection for long (PostgreSQL).

    Only PostgreSQL gets a transaction (SET LOCAL needs one): on SQLite, whose transactions
    take the write lock at once (IMMEDIATE), a search would stall every other writer.
    """
    if not _postgres():
        yield
        return
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                timeout = int(settings.DIMOS_SEARCH_TIMEOUT_MS)
                # No JIT either: compiling a large plan took 20 ms of a 250 ms search (1 M).
                cursor.execute(f"SET LOCAL statement_timeout = {timeout:d}; SET LOCAL jit = off")
            yield
    except OperationalError as exc:
        raise SearchTooBroadError from exc


def search_page(criteria: Criteria, page_number: str | int | None) -> Results:
    """One page of results, every query of it within the time limit.

    Only the newest (sorted so: the oldest) DIMOS_SEARCH_CANDIDATES matches are candidates: one
    query takes their ids, in date order, and one more than that to know whether more match
    (then the page says «more than …», not a made-up number). Relevance is ranked among the
    candidates only, so a word found in most decisions cannot rank half the table: by the same
    query. Then the page's twenty decisions are read.
    """
    limit = int(settings.DIMOS_SEARCH_CANDIDATES)
    with _time_limited():
        match = _matching(criteria)
        ranked = match.rank is not None and criteria.sort == "relevance"
        with _cheaper_way_to_the_matches(match, limit):
            if ranked:
                candidates, capped = _ranked_candidates(match, limit)
            else:
                candidates, capped = _candidates(match.qs, criteria.sort, limit)
        paginator: Paginator[Any] = Paginator(candidates, PAGE_SIZE)
        page = paginator.get_page(page_number)
        page_ids = list(page.object_list)
        rows = _listed(Decision.objects.all()).in_bulk(page_ids)
        page.object_list = [rows[pk] for pk in page_ids]
    return Results(page=page, patterns=match.patterns, capped=capped, limit=limit)


def _cheaper_way_to_the_matches(match: _Match, limit: int) -> Any:
    """PostgreSQL, words searched: a context in which the candidates are found the cheaper way.

    Either every match is looked up in the GIN index and the matches are sorted by date, or the
    decisions are walked newest first (the date index), each tested, until `limit` match. The
    planner walks even for a word that one decision in twenty has, because it does not count
    the reading of each vector it tests: then it reads every vector of the table (0.6 s at
    70 k decisions, seconds at a million). So the choice is made here, from its estimates.
    """
    if not match.tsquery or not _through_the_word_index(match, limit):
        return nullcontext()
    return _without_walking()


def _through_the_word_index(match: _Match, limit: int) -> bool:
    """Whether finding all matches in the GIN index costs less than walking to `limit` of them."""
    matches = _estimated_rows(match.qs)
    decisions = max(_estimated_decisions(), matches)
    return _word_index_is_cheaper(matches, decisions, limit, match.weighted)


def _word_index_is_cheaper(
    matches: float, decisions: float, limit: int, weighted: bool = False
) -> bool:
    """Fetching the `matches` the GIN index names (and testing each, when `weighted`), against
    testing each decision walked until `limit` match (all of them when fewer match)."""
    walked = decisions if matches <= limit else limit * decisions / matches
    return matches <= (1 if weighted else _VECTOR_TEST_COST) * walked


def _estimated_rows(qs: QuerySet[Decision]) -> float:
    plan = json.loads(qs.order_by().explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


def _estimated_decisions() -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Decision._meta.db_table]
        )
        row = cursor.fetchone()
    return float(row[0]) if row else 0.0


@contextmanager
def _without_walking() -> Iterator[None]:
    """No index scan (the date index) and no sequential scan: the GIN index's bitmap only."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
    yield
    with connection.cursor() as cursor:  # not after an error: the transaction is rolled back
        cursor.execute("SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT")


def _candidates(qs: QuerySet[Decision], sort: str, limit: int) -> tuple[list[int], bool]:
    """The ids of the first `limit` matches in date order, and whether more match."""
    ids = list(_by_date(qs, sort).values_list("pk", flat=True)[: limit + 1])
    return ids[:limit], len(ids) > limit


def _ranked_candidates(match: _Match, limit: int) -> tuple[list[int], bool]:
    """The newest `limit` matches, the most relevant first (on a tie the newer, as
    _by_relevance orders them), and whether more match.

    One query: the matches are found once, and only the candidates are ranked.
    """
    if match.tsquery:
        newest = _newest_ranked_postgresql(match, limit + 1)
    else:  # SQLite scores only the matches (the walk by date stops at the LIMIT)
        in_order = _by_date(match.qs, "newest").annotate(rank=match.rank)
        newest = list(in_order.values_list("pk", "rank")[: limit + 1])
    by_rank = sorted(newest[:limit], key=lambda row: -row[1])  # stable: the newer first on a tie
    return [pk for pk, _rank in by_rank], len(newest) > limit


def _newest_ranked_postgresql(match: _Match, count: int) -> list[tuple[int, float]]:
    """(id, relevance) of the newest `count` matches, newest first.

    They are chosen in an inner query and ranked in the outer one: ranked in the same SELECT,
    every match would be, before the LIMIT.
    """
    newest = _by_date(match.qs, "newest").values_list(
        "pk", "decision_date", "serial", "search_vector"
    )[:count]
    inner, params = newest.query.sql_with_params()  # values stay parameters
    sql = (
        "SELECT c.pk, ts_rank(c.search_vector, to_tsquery('simple', %s)) "  # noqa: S608
        f"FROM ({inner}) AS c ORDER BY c.decision_date DESC, c.serial DESC, c.pk DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match.tsquery, *params])
        return cursor.fetchall()


def by_ada(ada: str) -> Decision | None:
    return Decision.objects.filter(ada=ada).first()


def decision(pk: int) -> Decision | None:
    return (
        Decision.objects.select_related("body", "decision_type", "corrected_by__body")
        .prefetch_related("categories", "corrects__body")
        .defer("search_head", "search_text", "search_vector")
        .filter(pk=pk)
        .first()
    )


def without_text() -> QuerySet[Decision]:
    return Decision.objects.filter(text_extracted=False)


def staff_list(text: str = "") -> QuerySet[Decision]:
    qs = Decision.objects.select_related("body").defer(
        "text", "search_head", "search_text", "search_vector"
    )
    number = rules.parse_number(text) if text else None
    if number:
        qs = qs.filter(serial=number.serial, **({"year": number.year} if number.year else {}))
    elif text:
        ada = rules.parse_ada(text)
        qs = qs.filter(Q(ada=ada) if ada else Q(search_head__contains=normalize_greek(text)))
    return qs.order_by("-created_at", "-pk")


def find_by_reference(body: Body | None, text: str) -> Decision | None:
    """A decision named by its ΑΔΑ or its number (of `body`, when given)."""
    ada = rules.parse_ada(text)
    if ada:
        return by_ada(ada)
    number = rules.parse_number(text)
    if number is None or number.year is None:
        return None
    qs = Decision.objects.filter(serial=number.serial, year=number.year)
    if body is not None:
        qs = qs.filter(body=body)
    return qs.first() if qs.count() == 1 else None
