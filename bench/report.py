"""The report: var/bench/report.json (one object per measurement) and report.md (tables).

A measurement is a dict with at least name, database, value and unit; pages (kind "page") add
p50/p95/p99 latency, errors and the ratio to the bare view; the issue's goals are judged here.
"""

import json
import os
import platform
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Record = dict[str, Any]
Goal = tuple[str, bool | None]  # what the issue asks, and whether it is met (None: no figure)

# The goals of issue 10 ("Goals to report against").
CITIZEN_RATIO = 0.25
SEARCH_P95_MS = 50
SEARCH_MAX_MS = 300
SEARCH_P95_HITS = 10_000  # the p95 goal is for searches with up to this many hits
VOTES_PER_S = 500
CARD_CONFIRMATIONS_PER_S = 300
STATEMENT_SECONDS = 30
RECEIPT_PDF_SECONDS = 0.5


def _at_least(value: Any, goal: float, label: str) -> Goal:
    return label, None if value is None else value >= goal


def _at_most(value: Any, goal: float, label: str) -> Goal:
    return label, None if value is None else value <= goal


def _no_doubles(record: Record, goal: Goal) -> Goal:
    label, met = goal
    doubles = record.get("doubles")
    if doubles is None or met is None:
        return f"{label}, 0 doubles", met
    return f"{label}, 0 doubles", met and doubles == 0


def _search_goal(record: Record) -> Goal:
    """p95 ≤ 50 ms for searches with up to 10 k hits; every search under 300 ms."""
    p95, worst, hits = record.get("p95_ms"), record.get("max_ms"), record.get("hits")
    if hits is not None and hits > SEARCH_P95_HITS:
        label = f"all < {SEARCH_MAX_MS} ms ({hits:,} hits)"
        return label, None if worst is None else worst < SEARCH_MAX_MS
    label = f"p95 ≤ {SEARCH_P95_MS} ms, all < {SEARCH_MAX_MS} ms"
    if p95 is None or worst is None:
        return label, None
    return label, p95 <= SEARCH_P95_MS and worst < SEARCH_MAX_MS


MEASURE_GOALS: dict[str, Callable[[Record], Goal]] = {
    "votes": lambda r: _no_doubles(r, _at_least(r["value"], VOTES_PER_S, f"≥ {VOTES_PER_S}/s")),
    "card_confirmations": lambda r: _no_doubles(
        r, _at_least(r["value"], CARD_CONFIRMATIONS_PER_S, f"≥ {CARD_CONFIRMATIONS_PER_S}/s")
    ),
    "statement_import": lambda r: _at_most(
        r["value"], STATEMENT_SECONDS, f"≤ {STATEMENT_SECONDS} s"
    ),
    "receipt_pdf": lambda r: _at_most(
        r["value"], RECEIPT_PDF_SECONDS, f"≤ {RECEIPT_PDF_SECONDS} s"
    ),
}


def goal_of(record: Record) -> Goal | None:
    """The issue's goal for this measurement and whether it is met; None when it has none."""
    if record.get("skipped"):
        return None
    if record.get("kind") == "page":
        if record["name"].startswith("decision_search") and record.get("connections") == 1:
            return _search_goal(record)  # a latency goal: one client, no queueing
        if record.get("citizen"):
            return _at_least(record.get("ratio"), CITIZEN_RATIO, f"ratio ≥ {CITIZEN_RATIO}")
        return None
    judge = MEASURE_GOALS.get(record["name"])
    return judge(record) if judge else None


def mark(goal: Goal | None) -> str:
    if goal is None:
        return ""
    label, met = goal
    return f"{label} {'✓' if met else '✗' if met is False else '?'}"


def with_ratios(pages: list[Record], bare_name: str = "bare") -> list[Record]:
    """Each page's req/s ÷ the bare view's req/s of the same run and database (pages loaded
    by one client only, for their latency, have no ratio)."""
    bare = {r["database"]: r["value"] for r in pages if r["name"] == bare_name and r["value"]}
    for record in pages:
        base = bare.get(record["database"])
        if base and record.get("value") is not None and record.get("connections") != 1:
            record["ratio"] = round(record["value"] / base, 3)
    return pages


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if value < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def page_table(records: Iterable[Record]) -> list[str]:
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | errors | ratio | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in records:
        if r.get("skipped"):
            lines.append(f"| {r['name']} | skipped: {r['skipped']} | | | | | | |")
            continue
        cells = [r.get(k) for k in ("value", "p50_ms", "p95_ms", "p99_ms", "errors", "ratio")]
        lines.append(f"| {r['name']} | {' | '.join(_fmt(c) for c in cells)} | {mark(goal_of(r))} |")
    return lines


def measure_table(records: Iterable[Record]) -> list[str]:
    lines = ["| measurement | value | unit | goal | note |", "|---|---:|---|---|---|"]
    for r in records:
        if r.get("skipped"):
            lines.append(f"| {r['name']} | — | | | skipped: {r['skipped']} |")
            continue
        note = r.get("note", "")
        if "doubles" in r:
            note = f"doubles: {r['doubles']}. {note}".strip()
        lines.append(
            f"| {r['name']} | {_fmt(r['value'])} | {r['unit']} | {mark(goal_of(r))} | {note} |"
        )
    return lines


def markdown(records: list[Record], machine: dict[str, Any]) -> str:
    out = ["# Dimos benchmark", ""]
    for database in dict.fromkeys(r["database"] for r in records):
        mine = [r for r in records if r["database"] == database]
        out += [f"## {database}", ""]
        out += page_table(r for r in mine if r.get("kind") == "page")
        out += [""]
        others = [r for r in mine if r.get("kind") != "page"]
        if others:
            out += measure_table(others)
            out += [""]
    out += ["## Machine", ""]
    out += [f"- {key}: {value}" for key, value in machine.items()]
    return "\n".join(out) + "\n"


def write(records: list[Record], machine: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    as_json = directory / "report.json"
    as_md = directory / "report.md"
    as_json.write_text(json.dumps(records, indent=1, ensure_ascii=False, default=str) + "\n")
    as_md.write_text(markdown(records, machine))
    return as_json, as_md


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine(extra: dict[str, Any]) -> dict[str, Any]:
    import django

    return {
        "CPU": f"{_cpu_model()}, {os.cpu_count()} cores",
        "RAM": _ram(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "OS": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **extra,
    }
