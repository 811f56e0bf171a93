"""`make bench`: for each database, a fresh schema, scale data, gunicorn with the production
settings, wrk against every page, then the measurements HTTP cannot show; one report."""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import pages as bench_pages
from bench import report, wrk

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DB = "dimos_bench"
Record = dict[str, Any]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def production_env(database_url: str, media: Path, bare_view: bool = True) -> dict[str, str]:
    """The production settings (DIMOS_PRODUCTION) with the benchmark's own values."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIMOS_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "dimos.settings",
            "DIMOS_PRODUCTION": "true",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DIMOS_PUBLIC_URL": "https://bench.example.gr",
            "DIMOS_IBAN": "GR8300000000000000012345678",
            "SECURE_SSL_REDIRECT": "false",
            "DIMOS_CARDLINK_MID": "bench-mid",
            "DIMOS_CARDLINK_SECRET": "bench-cardlink-secret",
            "DIMOS_CARDLINK_URL": "https://bench.example.gr/vpos/shophandlermpi",
            "DIMOS_BREACHED_PASSWORD_CHECK": "false",
            "DIMOS_BENCH_BARE_VIEW": "true" if bare_view else "false",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummymail://",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    log(f"manage.py {' '.join(args)}: {time.monotonic() - started:.1f} s")


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


def fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DB}")
        version = connection.execute("SHOW server_version").fetchone()
    return str(version[0]) if version else "?"


def fresh_sqlite() -> str:
    path = OUT / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int) -> Iterator[None]:
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "dimos.wsgi",
            "-w",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_healthy(port, process)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_healthy(port: int, process: subprocess.Popen[bytes], seconds: int = 60) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def settle(port: int, seconds: int = 90) -> float:
    """Wait until the server answers /healthz quickly again: requests still running from the
    previous page (wrk stops waiting, the server does not) must not slow down the next one.
    Returns the seconds waited."""
    started = time.monotonic()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    while time.monotonic() - started < seconds:
        asked = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=seconds):  # noqa: S310 (loopback)
                pass
        except OSError:
            pass
        if time.monotonic() - asked < 0.5:
            break
    return round(time.monotonic() - started, 1)


def load_pages(
    fixtures: dict[str, Any],
    port: int,
    load: wrk.LoadSettings,
    database: str,
    wanted: list[str] | None = None,
) -> list[Record]:
    """Every page (or those whose names start with one of `wanted`) under `load`; pages with a
    latency goal once more with a single client."""
    wrk_path = wrk.ensure_wrk()
    sessions = bench_pages.Sessions("127.0.0.1", port, fixtures.get("password", ""))
    one_client = wrk.LoadSettings(load.duration_s, 1, 1, load.timeout_s)
    records: list[Record] = []
    for page in bench_pages.pages(fixtures, sessions):
        if wanted and not page.name.startswith(tuple(wanted)):
            continue
        base: Record = {"name": page.name, "database": database, "kind": "page", "unit": "req/s"}
        if page.skipped:
            records.append({**base, "value": None, "skipped": page.skipped})
            log(f"{page.name}: skipped ({page.skipped})")
            continue
        runs = [(page.name, load)]
        if page.latency:
            runs.append((f"{page.name}_1client", one_client))
        for name, settings in runs:
            result = wrk.run(
                wrk_path,
                f"http://127.0.0.1:{port}{page.path}",
                page.headers,
                settings,
                page.many_clients,
            )
            record = _page_record({**base, "name": name}, page, result, settings, settle(port))
            if page.name == "open311_requests":
                record["results"] = open311_results(sessions, page.path)
                record["note"] = (
                    f"GET {page.path} without parameters (the last 90 days, at most 1,000): "
                    f"{record['results']} results"
                )
            records.append(record)
            log(f"{name}: {result.rps} req/s, p95 {result.p95_ms} ms, errors {result.errors}")
    return report.with_ratios(records)


def _page_record(
    base: Record,
    page: bench_pages.Page,
    result: wrk.LoadResult,
    settings: wrk.LoadSettings,
    waited: float,
) -> Record:
    record = {
        **base,
        "value": result.rps,
        "path": page.path,
        "citizen": page.citizen,
        "connections": settings.connections,
        "requests": result.requests,
        "p50_ms": result.p50_ms,
        "p95_ms": result.p95_ms,
        "p99_ms": result.p99_ms,
        "max_ms": result.max_ms,
        "errors": result.errors,
        "error_kinds": result.error_kinds,
    }
    if page.hits is not None:
        record["hits"] = page.hits
    if page.note:
        record["note"] = page.note
    if settings.connections == 1:
        record["note"] = (
            f"{record.get('note', '')} One client at a time: latency without queueing.".strip()
        )
    if waited >= 1:
        record["drain_s"] = waited
        record["note"] = (
            f"{record.get('note', '')} The server needed {waited} s after the load to "
            "finish the requests still running.".strip()
        )
    return record


def open311_results(sessions: bench_pages.Sessions, path: str) -> int | None:
    status, _headers, body = sessions.anonymous().get(path)
    try:
        return len(json.loads(body)) if status == 200 else None
    except ValueError:
        return None


def measure(env: dict[str, str], name: str, fixtures_file: Path, *extra: str) -> Record:
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench.measure", name, "--fixtures", str(fixtures_file), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    log(f"{name}: {time.monotonic() - started:.1f} s")
    if done.returncode != 0:
        return {"name": name, "value": None, "unit": "", "skipped": done.stderr.strip()[-300:]}
    record: Record = json.loads(done.stdout.strip().splitlines()[-1])
    return record


SQLITE_NOTE = "SQLite writes one at a time: a single-server yardstick, not a concurrency figure."


@dataclass
class Prepared:
    database: str
    env: dict[str, str]
    fixtures: Path


def prepare_database(database: str, args: argparse.Namespace, machine: dict[str, Any]) -> Prepared:
    """A fresh schema with its data; SQLite and PostgreSQL are prepared side by side (the
    SQLite generator is Python on one core, PostgreSQL's is mostly the server's search-vector
    trigger on the other), before any load is measured."""
    if database == "postgresql":
        machine["PostgreSQL"] = fresh_postgres()
        url = f"{POSTGRES_SERVER}/{POSTGRES_DB}"
    else:
        url = fresh_sqlite()
    media = OUT / f"media-{database}"
    shutil.rmtree(media, ignore_errors=True)
    env = production_env(url, media)
    log(f"{database}: migrate and data")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    return Prepared(database, env, prepare_data(env, args, OUT / f"fixtures-{database}.json"))


def run_database(
    prepared: Prepared, args: argparse.Namespace, machine: dict[str, Any]
) -> list[Record]:
    database, env, fixtures_file = prepared.database, prepared.env, prepared.fixtures
    fixtures = json.loads(fixtures_file.read_text())
    load = wrk.LoadSettings(args.duration, args.connections, args.threads)
    port = free_port()
    workers = args.workers or 2 * (os.cpu_count() or 1)
    machine[f"gunicorn workers ({database})"] = workers
    wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
    with gunicorn(env, port, workers):
        records = load_pages(fixtures, port, load, database, wanted)
        if wanted:  # only some pages were asked for: no measurements
            return _for_database(records, database)
        records.append(measure(env, "card", fixtures_file, "--port", str(port)))
    records.append(measure(env, "votes", fixtures_file))
    records.append(
        measure(
            env,
            "statement",
            fixtures_file,
            "--entries",
            str(args.entries),
            "--budget",
            str(args.statement_budget),
        )
    )
    records.append(measure(env, "receipt_pdf", fixtures_file))
    return _for_database(records, database)


def _for_database(records: list[Record], database: str) -> list[Record]:
    for record in records:
        record["database"] = database
        if database == "sqlite" and record["name"] in {"votes", "card_confirmations"}:
            record["note"] = f"{record.get('note', '')} {SQLITE_NOTE}".strip()
    return records


def prepare_data(env: dict[str, str], args: argparse.Namespace, target: Path) -> Path:
    """Scale data (the default), or the demo data with fixtures derived from it (--demo),
    or nothing (--skip-scale with --fixtures)."""
    if args.demo:
        development = {**env, "DIMOS_PRODUCTION": "false", "DEBUG": "false"}
        manage(development, "demo_data")
        subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench.demo_fixtures", str(target)],
            cwd=ROOT,
            env=development,
            check=True,
        )
        return target
    if args.skip_scale:
        return args.fixtures
    options = ["--residents", str(args.residents), "--fixtures", str(target)]
    if args.decisions is not None:
        options += ["--decisions", str(args.decisions)]
    target.unlink(missing_ok=True)
    manage(env, "scale_data", *options)
    return target


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--residents", type=int, default=70_000)
    parser.add_argument("--decisions", type=int, default=None)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (2 × cores)")
    parser.add_argument("--entries", type=int, default=100_000, help="bank statement entries")
    parser.add_argument(
        "--statement-budget",
        type=float,
        default=60,
        help="seconds of statement import; the rest of the entries is extrapolated",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="only the pages whose names start so (comma-separated, e.g. bare,decision_search);"
        " no measurements then",
    )
    parser.add_argument("--fixtures", type=Path, default=OUT / "fixtures.json")
    parser.add_argument("--skip-scale", action="store_true", help="no scale_data (use --fixtures)")
    parser.add_argument(
        "--demo", action="store_true", help="demo data and fixtures derived from it, no scale data"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    machine: dict[str, Any] = {}
    records: list[Record] = []
    if "postgresql" in wanted and not postgres_reachable():
        log("PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
        wanted.remove("postgresql")
    static_env = production_env(f"sqlite:///{OUT / 'bench.sqlite3'}", OUT / "media-static")
    manage(static_env, "collectstatic", "--noinput", "--verbosity", "0")
    with ThreadPoolExecutor(max_workers=len(wanted) or 1) as pool:
        prepared = list(pool.map(lambda d: prepare_database(d, args, machine), wanted))
    for ready in prepared:
        records += run_database(ready, args, machine)
        report.write(records, report.machine(machine), OUT)  # what is done so far, kept
    machine["data"] = "demo data" if args.demo else f"scale_data --residents {args.residents}"
    machine["load"] = (
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s per page, on loopback"
    )
    machine["run time"] = f"{(time.monotonic() - started) / 60:.1f} min"
    as_json, as_md = report.write(records, report.machine(machine), OUT)
    print(as_md.read_text())
    log(f"written {as_json} and {as_md}")
    return 0
