"""Scale data for benchmarks: each app generates its own tables, fast, from one seed.

Apps register generators in their `scale.py` (discovered by `manage.py scale_data`); core never
imports a service app. A generator receives a ScaleContext: the options, a seeded random, the
ids other generators produced (`ctx.shared`), what the benchmark needs to know (`ctx.fixtures`,
written to var/bench/fixtures.json) and `ctx.bulk()` for batched inserts.
"""

import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models

SCALE_PASSWORD = "Scale-Data-Password-2026"  # noqa: S105 (benchmark accounts only)
M = TypeVar("M", bound=models.Model)


@dataclass
class ScaleContext:
    residents: int
    decisions: int
    seed: int
    random: random.Random
    vendor: str = field(default_factory=lambda: connection.vendor)
    shared: dict[str, Any] = field(default_factory=dict)
    fixtures: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 5000
    _password_hash: str = ""
    _started: float = field(default_factory=time.monotonic)

    @property
    def password_hash(self) -> str:
        """One hash for every scale account: hashing per row would take hours."""
        if not self._password_hash:
            self._password_hash = make_password(SCALE_PASSWORD)
        return self._password_hash

    def bulk(self, model: type[M], rows: Iterable[M], batch_size: int | None = None) -> int:
        """Insert `rows` in batches (no save(), no signals); returns how many."""
        size = batch_size or self.batch_size
        count = 0
        iterator: Iterator[M] = iter(rows)
        while batch := list(islice(iterator, size)):
            model.objects.bulk_create(batch, batch_size=size)  # type: ignore[attr-defined]
            count += len(batch)
        return count

    def say(self, message: str) -> None:
        elapsed = time.monotonic() - self._started
        print(f"[{elapsed:7.1f} s] {message}", file=sys.stderr, flush=True)


Generator = Callable[[ScaleContext], None]


@dataclass(frozen=True)
class _Registered:
    name: str
    generate: Generator
    after: tuple[str, ...]


_GENERATORS: dict[str, _Registered] = {}


def register(name: str, generate: Generator, after: Iterable[str] = ()) -> None:
    _GENERATORS[name] = _Registered(name, generate, tuple(after))


def ordered(only: set[str] | None = None) -> list[_Registered]:
    """Generators in dependency order (a generator runs after those it names)."""
    done: list[_Registered] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen:
            return
        if name in path:
            raise ValueError(f"scale generators depend on each other in a circle: {path}")
        if name not in _GENERATORS:
            raise ValueError(f"unknown scale generator {name!r}")
        for before in _GENERATORS[name].after:
            visit(before, (*path, name))
        seen.add(name)
        done.append(_GENERATORS[name])

    for name in sorted(_GENERATORS):
        visit(name, ())
    return [g for g in done if only is None or g.name in only]


def names() -> list[str]:
    return sorted(_GENERATORS)


def fixtures_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "bench" / "fixtures.json"


def write_fixtures(ctx: ScaleContext) -> Path:
    path = fixtures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(
        json.dumps({**existing, **ctx.fixtures, "password": SCALE_PASSWORD}, indent=1, default=str)
    )
    return path
