"""The report from sample results: JSON for machines, Markdown tables with the goals."""

import json
from pathlib import Path

from bench import report

MACHINE = {"CPU": "Test CPU, 2 cores", "data": "scale_data --residents 70000"}


def _page(name: str, rps: float, database: str = "postgresql", **extra: object) -> dict:
    return {
        "name": name,
        "database": database,
        "kind": "page",
        "unit": "req/s",
        "value": rps,
        "p50_ms": 10.0,
        "p95_ms": 20.0,
        "p99_ms": 30.0,
        "max_ms": 40.0,
        "errors": 0,
        "citizen": name != "bare",
        **extra,
    }


def _sample() -> list[dict]:
    pages = report.with_ratios(
        [
            _page("bare", 1000.0),
            _page("home", 400.0),
            _page("my_requests", 200.0),
            _page("decision_search_common", 300.0, p95_ms=80.0, connections=8),
            _page("decision_search_common_1client", 30.0, p95_ms=80.0, connections=1, hits=9000),
            _page("decision_search_dates_1client", 30.0, p95_ms=80.0, connections=1, hits=24_421),
            _page("decision_search_rare_1client", 60.0, p95_ms=30.0, connections=1),
            _page("bare", 500.0, database="sqlite"),
            _page("home", 250.0, database="sqlite"),
        ]
    )
    return [
        *pages,
        {
            "name": "votes",
            "database": "postgresql",
            "value": 812.5,
            "unit": "votes/s",
            "doubles": 0,
        },
        {
            "name": "card_confirmations",
            "database": "postgresql",
            "value": 250.0,
            "unit": "callbacks/s",
            "doubles": 0,
        },
        {"name": "statement_import", "database": "postgresql", "value": 21.4, "unit": "s"},
        {
            "name": "receipt_pdf",
            "database": "postgresql",
            "value": None,
            "unit": "s",
            "skipped": "no receipt",
        },
    ]


def test_ratios_are_to_the_bare_view_of_the_same_database() -> None:
    records = {(r["database"], r["name"]): r for r in _sample()}

    assert records["postgresql", "home"]["ratio"] == 0.4
    assert records["postgresql", "my_requests"]["ratio"] == 0.2
    assert records["sqlite", "home"]["ratio"] == 0.5
    assert "ratio" not in records["postgresql", "decision_search_rare_1client"]


def test_goals_are_judged_as_the_issue_states_them() -> None:
    records = {(r["database"], r["name"]): r for r in _sample()}

    assert report.goal_of(records["postgresql", "home"]) == ("ratio ≥ 0.25", True)
    assert report.goal_of(records["postgresql", "my_requests"]) == ("ratio ≥ 0.25", False)
    # Search latency is judged with one client (no queueing); under load it is a citizen page.
    assert report.goal_of(records["postgresql", "decision_search_common_1client"])[1] is False
    assert report.goal_of(records["postgresql", "decision_search_rare_1client"]) == (
        "p95 ≤ 50 ms, all < 300 ms",
        True,
    )
    # More than 10 k hits: only "every query under 300 ms" applies.
    assert report.goal_of(records["postgresql", "decision_search_dates_1client"]) == (
        "all < 300 ms (24,421 hits)",
        True,
    )
    assert report.goal_of(records["postgresql", "decision_search_common"]) == (
        "ratio ≥ 0.25",
        True,
    )
    assert report.goal_of(records["postgresql", "votes"]) == ("≥ 500/s, 0 doubles", True)
    assert report.goal_of(records["postgresql", "card_confirmations"])[1] is False
    assert report.goal_of(records["postgresql", "statement_import"]) == ("≤ 30 s", True)
    assert report.goal_of(records["postgresql", "bare"]) is None
    assert report.goal_of(records["postgresql", "receipt_pdf"]) is None


def test_a_double_fails_the_goal_whatever_the_speed() -> None:
    votes = {
        "name": "votes",
        "database": "postgresql",
        "value": 9000.0,
        "unit": "votes/s",
        "doubles": 1,
    }

    assert report.goal_of(votes) == ("≥ 500/s, 0 doubles", False)


def test_the_report_files_hold_every_measurement_and_a_table_per_database(tmp_path: Path) -> None:
    records = _sample()

    as_json, as_md = report.write(records, MACHINE, tmp_path)

    saved = json.loads(as_json.read_text())
    assert saved == json.loads(json.dumps(records))
    assert all({"name", "database", "value", "unit"} <= set(r) for r in saved)
    text = as_md.read_text()
    assert "## postgresql" in text and "## sqlite" in text
    assert text.index("## postgresql") < text.index("## sqlite") < text.index("## Machine")
    assert "| home | 400.0 | 10.0 | 20.0 | 30.0 | 0 | 0.4 | ratio ≥ 0.25 ✓ |" in text
    assert "| my_requests | 200.0 | 10.0 | 20.0 | 30.0 | 0 | 0.2 | ratio ≥ 0.25 ✗ |" in text
    assert "| votes | 812.5 | votes/s | ≥ 500/s, 0 doubles ✓ | doubles: 0. |" in text
    assert "| receipt_pdf | — | | | skipped: no receipt |" in text
    assert "- CPU: Test CPU, 2 cores" in text


def test_the_machine_section_names_the_software() -> None:
    found = report.machine({"data": "demo data"})

    assert {"CPU", "RAM", "Python", "Django", "date"} <= set(found)
    assert found["data"] == "demo data"
