"""Reads of decisions, above all the search. The search hides which database it runs on.

PostgreSQL: the weighted `search_vector` (migration 0002: unaccent + Greek stemmer, filled by a
trigger) and a GIN index; each word matches its stem, or the stem less its last letter as a
prefix, because the Greek stemmer is not always consistent (it stems «συμβούλιο» to «συμβουλι»
but «συμβουλίου» to «συμβουλ»). SQLite: LIKE over `search_text`, which holds normalize_greek()
of the same text, so accents, case and final sigma do not matter there either; each word loses
its inflectional ending first (rules.light_stem), so most inflected forms are found there too.
"""

import operator
import re
from collections.abc import Iterator
from contextlib import contextmanager
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


class _CountedPaginator(Paginator):
    """A paginator told its count: counting again would rank the candidates a second time."""

    def __init__(self, object_list: QuerySet[Decision], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


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


def _candidates(qs: QuerySet[Decision], criteria: Criteria, limit: int) -> QuerySet[Decision, Any]:
    """The ids of at most `limit` matches, the newest (or, sorted so, the oldest): relevance is
    ranked only among them, so a word in every other decision cannot rank half the table."""
    return _by_date(qs, criteria.sort).values("pk")[:limit]


def search(
    criteria: Criteria, candidates: int | None = None
) -> tuple[QuerySet[Decision], list[Pattern]]:
    """The decisions that match, in the order asked for, and what to highlight in them.

    With `candidates`, words are matched and ranked among that many matches at most (see
    `_candidates`); the caller asks for one more than it lists to know whether there are more.
    """
    qs = _filtered(criteria)
    words = rules.terms(criteria.text)
    subject_words = rules.terms(criteria.subject)
    patterns: list[Pattern] = []
    rank: SearchRank | Cast | None = None
    if words or subject_words:
        if _postgres():
            stems = _lexemes([*words, *subject_words])
            patterns = _patterns_for([*words, *subject_words], stems)
            raw = " & ".join(
                q
                for q in (_tsquery(words, stems), _tsquery(subject_words, stems, weights="AB"))
                if q
            )
            query = SearchQuery(raw, config="simple", search_type="raw")
            qs = qs.filter(search_vector=query)
            rank = SearchRank(F("search_vector"), query, cover_density=True)
        else:
            words = [rules.light_stem(w) for w in words]
            subject_words = [rules.light_stem(w) for w in subject_words]
            patterns = [Pattern(w) for w in [*words, *subject_words]]
            for word in words:
                qs = qs.filter(search_text__contains=word)
            for word in subject_words:
                qs = qs.filter(search_head__contains=word)
            scores = []
            for word in [*words, *subject_words]:
                # A word in the number, ΑΔΑ, body or subject counts more than one in the PDF.
                scores.append(Case(When(search_head__contains=word, then=Value(2)), default=0))
                scores.append(Case(When(search_text__contains=word, then=Value(1)), default=0))
            rank = Cast(reduce(operator.add, scores), output_field=FloatField())
    if candidates is not None:
        qs = Decision.objects.filter(pk__in=_candidates(qs, criteria, candidates))
    qs = qs.select_related("body", "decision_type").defer(
        "search_head", "search_text", "search_vector"
    )
    if rank is None:
        return _by_date(qs, criteria.sort), patterns
    qs = qs.annotate(rank=rank)
    if criteria.sort == "relevance":
        return qs.order_by(F("rank").desc(), "-decision_date", "-serial", "-pk"), patterns
    return _by_date(qs, criteria.sort), patterns


@contextmanager
def _time_limited() -> Iterator[None]:
    """A search on a very common word must not hold a connection for long (PostgreSQL)."""
    try:
        with transaction.atomic():
            if _postgres():
                with connection.cursor() as cursor:
                    timeout = int(settings.DIMOS_SEARCH_TIMEOUT_MS)
                    cursor.execute(f"SET LOCAL statement_timeout = {timeout:d}")
            yield
    except OperationalError as exc:
        raise SearchTooBroadError from exc


def search_page(criteria: Criteria, page_number: str | int | None) -> Results:
    """One page of results, every query of it within the time limit.

    At most DIMOS_SEARCH_CANDIDATES decisions are counted and listed: one more is fetched to
    know whether more match (then the page says «more than …», not a made-up number).
    """
    limit = int(settings.DIMOS_SEARCH_CANDIDATES)
    with _time_limited():
        qs, patterns = search(criteria, candidates=limit + 1)
        matching = qs.count()
        paginator = _CountedPaginator(qs[:limit], PAGE_SIZE, min(matching, limit))
        page = paginator.get_page(page_number)
        page.object_list = list(page.object_list)
    return Results(page=page, patterns=patterns, capped=matching > limit, limit=limit)


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
