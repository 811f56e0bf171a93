"""`scale_data --only decisions`: numbered as bodies number them, searchable, deterministic."""

import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from dimos.core import scale as core_scale
from dimos.decisions import queries, rules
from dimos.decisions import scale as decisions_scale
from dimos.decisions.models import Decision

DECISIONS = 500


@pytest.fixture
def generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: None) -> Callable[..., Any]:
    path = tmp_path / "fixtures.json"
    monkeypatch.setattr(core_scale, "fixtures_path", lambda: path)

    def run(seed: int = 1) -> dict[str, Any]:
        call_command("scale_data", residents=200, decisions=DECISIONS, only="decisions", seed=seed)
        return json.loads(path.read_text())["decisions"]  # type: ignore[no-any-return]

    return run


def test_as_many_decisions_as_asked_numbered_per_body_and_year(
    generate: Callable[..., Any],
) -> None:
    generate()
    assert Decision.objects.count() == DECISIONS
    per_body_year = Decision.objects.values("body", "year").annotate(
        n=Count("pk"), first=Min("serial"), last=Max("serial")
    )
    assert len(per_body_year) >= 30  # 10 years × the bodies
    for group in per_body_year:  # 1, 2, 3 … with no gap (and unique: a DB constraint)
        assert (group["first"], group["last"]) == (1, group["n"])
    years = Decision.objects.aggregate(first=Min("year"), last=Max("year"))
    assert (years["first"], years["last"]) == (2016, 2025)
    assert Decision.objects.filter(categories=None).count() == 0
    assert Decision.objects.filter(decision_type=None).count() == 0
    assert len({d.pdf.name for d in Decision.objects.only("pdf")}) == 1  # one PDF, stored once


def test_search_fields_are_what_the_app_makes(generate: Callable[..., Any]) -> None:
    generate()
    for decision in Decision.objects.all()[:100]:
        words = len(decision.text.split())
        assert 150 <= words <= 430
        assert (decision.search_head, decision.search_text) == rules.search_fields(
            decision.protocol_number, decision.ada, decision.subject, decision.text
        )
        assert str(rules.parse_ada(decision.ada)) == decision.ada


def test_the_benchmark_searches_find_what_the_fixtures_say(generate: Callable[..., Any]) -> None:
    fixtures = generate()

    def hits(**criteria: Any) -> int:
        return queries.search(queries.Criteria(**criteria))[0].count()

    planted = decisions_scale.planted_rare(DECISIONS)
    assert 10 <= planted <= 100
    assert fixtures["hits"]["rare"] == hits(text=fixtures["rare"]) == planted
    assert fixtures["hits"]["common"] == hits(text=fixtures["common"]) >= DECISIONS // 5
    number = rules.parse_number(fixtures["number"])
    assert fixtures["hits"]["number"] == hits(number=number) >= 1
    quarter = {
        "date_from": rules.parse_date(fixtures["date_from"]),
        "date_to": rules.parse_date(fixtures["date_to"]),
    }
    assert fixtures["hits"]["date_range"] == hits(**quarter) >= 1


def test_same_seed_same_decisions_another_seed_others(generate: Callable[..., Any]) -> None:
    def corpus() -> list[tuple[str, str, str, str]]:
        return list(
            Decision.objects.order_by("body__position", "year", "serial").values_list(
                "protocol_number", "ada", "subject", "text"
            )
        )

    first_fixtures = generate(seed=7)
    first = corpus()
    assert generate(seed=7) == first_fixtures  # a second run replaces the first one's rows
    assert corpus() == first
    generate(seed=8)
    assert Decision.objects.count() == DECISIONS
    assert corpus() != first


def test_words_follow_zipfs_law_over_thousands_of_forms() -> None:
    corpus = decisions_scale._Corpus.build()
    assert len(set(corpus.words)) >= 3000
    _text, normalised = corpus.sentence(random.Random(1), 200_000)
    counts = Counter(normalised.rstrip(".").split(" "))
    first, tenth = (counts[corpus.normalised[corpus.words[rank]]] for rank in (0, 9))
    assert 8 < first / tenth < 12  # frequency ∝ 1/rank
    assert len(counts) > 2500
