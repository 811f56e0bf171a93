"""Reading wrk's result line (printed by bench/load.lua) and building its command."""

import pytest

from bench import wrk

SAMPLE = """Running 8s test @ http://127.0.0.1:40123/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    17.52ms    6.10ms  61.33ms   71.42%
  3644 requests in 8.00s, 1.27MB read
  Non-2xx or 3xx responses: 4
Requests/sec:    455.31
BENCH_RESULT {"requests": 3644, "duration_us": 8000000, "bytes": 1331012, "p50_us": 14100, \
"p95_us": 46910, "p99_us": 63000, "max_us": 61330, "errors": {"connect": 1, "read": 0, \
"write": 0, "status": 4, "timeout": 2}}
"""


def test_the_result_line_gives_throughput_latency_and_errors() -> None:
    result = wrk.parse_output(SAMPLE)

    assert result.requests == 3644
    assert result.rps == 455.5
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (14.1, 46.91, 63.0)
    assert result.errors == 7
    assert result.error_kinds == {"connect": 1, "read": 0, "write": 0, "status": 4, "timeout": 2}


def test_output_without_a_result_line_is_an_error_that_shows_the_output() -> None:
    with pytest.raises(ValueError, match="unable to connect"):
        wrk.parse_output("unable to connect to 127.0.0.1:1 Connection refused")


def test_the_command_is_bounded_in_time_and_passes_headers_to_the_script() -> None:
    load = wrk.LoadSettings(duration_s=3, connections=4, threads=1, timeout_s=2)

    command = wrk.command(
        "/usr/bin/wrk", "http://127.0.0.1:8000/", {"X-Forwarded-Proto": "https"}, load, True
    )

    assert command[:5] == ["/usr/bin/wrk", "-t1", "-c4", "-d3s", "--timeout=2s"]
    assert command[command.index("--") + 1 :] == ["X-Forwarded-Proto: https", "many-clients"]
    assert str(wrk.LUA_SCRIPT) in command
