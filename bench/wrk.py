"""Running wrk against one page and reading what bench/load.lua prints when it is done."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).with_name("load.lua")
MARKER = "BENCH_RESULT "


@dataclass(frozen=True)
class LoadSettings:
    duration_s: int = 8
    connections: int = 8
    threads: int = 2
    timeout_s: int = 5


@dataclass(frozen=True)
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_kinds: dict[str, int]


def parse_output(output: str) -> LoadResult:
    """The result line of load.lua's done(); ValueError when wrk printed none."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            raw = json.loads(line[len(MARKER) :])
            break
    else:
        raise ValueError(f"wrk printed no result line:\n{output[-2000:]}")
    seconds = raw["duration_us"] / 1_000_000
    kinds = {name: int(count) for name, count in raw["errors"].items()}
    return LoadResult(
        requests=raw["requests"],
        rps=round(raw["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p95_ms=round(raw["p95_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        max_ms=round(raw["max_us"] / 1000, 2),
        errors=sum(kinds.values()),
        error_kinds=kinds,
    )


def ensure_wrk() -> str:
    """wrk's path; installed with apt-get (Debian package `wrk`) when missing, as .ci/run does
    for chromium."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing the Debian package", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)  # noqa: S607
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed; install the Debian package wrk")
    return found


def command(
    wrk: str, url: str, headers: dict[str, str], load: LoadSettings, many_clients: bool
) -> list[str]:
    args = [f"{name}: {value}" for name, value in headers.items()]
    if many_clients:
        args.append("many-clients")
    return [
        wrk,
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.duration_s}s",
        f"--timeout={load.timeout_s}s",
        "-s",
        str(LUA_SCRIPT),
        url,
        "--",
        *args,
    ]


def run(
    wrk: str, url: str, headers: dict[str, str], load: LoadSettings, many_clients: bool = False
) -> LoadResult:
    done = subprocess.run(  # noqa: S603 (our own arguments)
        command(wrk, url, headers, load, many_clients),
        capture_output=True,
        text=True,
        timeout=load.duration_s + load.timeout_s + 30,
        check=False,
    )
    return parse_output(done.stdout + done.stderr)
