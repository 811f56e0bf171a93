"""Scale data for benchmarks: each app generates its own tables, fast, from one seed.

Apps register generators in their `scale.py` (discovered by `manage.py scale_data`); core never
imports a service app. A generator receives a ScaleContext: the options, a seeded random, the
ids other generators produced (`ctx.shared`), what the benchmark needs to know (`ctx.fixtures`,
written to var/bench/fixtures.json) and `ctx.bulk()` for batched inserts.
"""

import datetime as dt
import json
import random
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from random import Random
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from dimos.core.models import Counter

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
    timings: dict[str, float] = field(default_factory=dict)
    _password_hash: str = ""
    _started: float = field(default_factory=time.monotonic)
    _inserted: set[type[models.Model]] = field(default_factory=set)
    _reserved: dict[type[models.Model], int] = field(default_factory=dict)

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
        self._inserted.add(model)
        return count

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Insert plain tuples, `columns` in order, with executemany: ten times faster than
        bulk_create for the big tables (no model instances, no per-value compiling). Fields
        not named get their default; give `id` (see `reserve_ids`) when others point at a row.
        """
        fields = [_concrete(model, name) for name in columns]
        missing = [
            f
            for f in model._meta.concrete_fields
            if f not in fields
            and not (f.primary_key and f.auto_created)
            and not (f.primary_key and isinstance(f, models.AutoField))
        ]
        extra = tuple(_adapter(f)(_default(f)) for f in missing)
        adapted = [(i, a) for i, a in enumerate(_adapter(f) for f in fields) if a is not _identity]
        names = ", ".join(connection.ops.quote_name(str(f.column)) for f in [*fields, *missing])
        marks = ", ".join(["%s"] * (len(fields) + len(missing)))
        table = connection.ops.quote_name(model._meta.db_table)
        # Only model metadata goes into the text; every value is a parameter.
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608

        def prepare(row: Sequence[Any]) -> Sequence[Any]:
            if adapted:
                row = list(row)
                for i, adapt in adapted:
                    row[i] = adapt(row[i])
            return (*row, *extra) if extra else row

        count = 0
        iterator = iter(rows)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: PostgreSQL's bulk load, many times faster than INSERTs.
                copy_sql = f"COPY {table} ({names}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in iterator:
                        copy.write_row(prepare(row))
                        count += 1
            else:
                while batch := list(islice(iterator, self.batch_size)):
                    cursor.executemany(sql, [prepare(row) for row in batch])
                    count += len(batch)
        self._inserted.add(model)
        return count

    def rng(self, name: str) -> Random:
        """A random stream of one generator: the same rows for a seed, with or without --only."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 (made-up data, not secrets)

    def reserve_ids(self, model: type[models.Model], count: int) -> int:
        """The first of `count` free primary keys, for rows that must know their id before
        they are inserted (an RF made from it, a foreign key from a table inserted first).
        The database's sequence is moved past them at the end (`reset_sequences`)."""
        last = model._default_manager.aggregate(last=models.Max("pk"))["last"] or 0
        first = max(int(last), self._reserved.get(model, 0)) + 1
        self._reserved[model] = first + count - 1
        self._inserted.add(model)
        return first

    def reset_sequences(self) -> None:
        """After rows with explicit ids, new rows get the next free ones (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._inserted))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def raise_counter(self, series: str, last_by_year: dict[int, int]) -> None:
        """After numbers given in bulk: the series' counter of each year at the last number
        used, so that `core.numbering.take_next_number` goes on with max + 1."""
        existing = dict(
            Counter.objects.filter(series=series, year__in=last_by_year).values_list("year", "last")
        )
        for year, last in last_by_year.items():
            if year in existing:
                Counter.objects.filter(series=series, year=year, last__lt=last).update(last=last)
            else:
                Counter.objects.create(series=series, year=year, last=last)

    def next_numbers(self, series: str, years: Iterable[int]) -> dict[int, int]:
        """The first free number of the series for each year (the counter's last + 1)."""
        wanted = set(years)
        taken = dict(
            Counter.objects.filter(series=series, year__in=wanted).values_list("year", "last")
        )
        return {year: taken.get(year, 0) + 1 for year in wanted}

    def say(self, message: str) -> None:
        elapsed = time.monotonic() - self._started
        print(f"[{elapsed:7.1f} s] {message}", file=sys.stderr, flush=True)


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, f"{name} is no column of {model}"
    return field


def _identity(value: Any) -> Any:
    return value


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django stores on SQLite: UTC without an offset, as text."""
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a Python value of `field` goes to the database driver (as Django would send it)."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else _identity
    if isinstance(field, models.DateField):
        return _sqlite_date if sqlite else _identity
    if isinstance(field, models.CharField | models.TextField | models.IntegerField):
        return _identity
    if isinstance(field, models.ForeignKey):
        return _adapter(field.target_field)
    if isinstance(field, models.BooleanField):
        return _identity
    return lambda value: field.get_db_prep_save(value, connection)


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return timezone.now()
    return field.get_default()


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


def write_fixtures(ctx: ScaleContext, path: Path | None = None) -> Path:
    path = path or fixtures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(
        json.dumps({**existing, **ctx.fixtures, "password": SCALE_PASSWORD}, indent=1, default=str)
    )
    return path


# --- What every generator shares: accounts, dates, Greek words -----------------------------

SCALE_EMAIL_DOMAIN = "scale.example.gr"  # every scale account's e-mail ends so (never mailed)
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")  # settings.TIME_ZONE, without a lookup per row


@dataclass(frozen=True)
class ScaleAccount:
    pk: int
    email: str
    first_name: str
    last_name: str
    joined: dt.datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def scale_accounts(ctx: ScaleContext, *, residents_only: bool = True) -> list[ScaleAccount]:
    """The scale accounts (verified residents by default), from this run or an earlier one
    (`--only requests` after a full run finds the residents in the database)."""
    key = "residents" if residents_only else "accounts"
    if key not in ctx.shared:
        from django.contrib.auth import get_user_model

        people = get_user_model()._default_manager.filter(
            email__endswith="@" + SCALE_EMAIL_DOMAIN, is_staff=False
        )
        if residents_only:
            people = people.filter(resident_since__isnull=False)
        ctx.shared[key] = [
            ScaleAccount(*row)
            for row in people.order_by("pk").values_list(
                "pk", "email", "first_name", "last_name", "date_joined"
            )
        ]
    accounts: list[ScaleAccount] = ctx.shared[key]
    return accounts


FIXTURE_RESIDENTS = 500


def fixture_residents(residents: Sequence[ScaleAccount]) -> list[ScaleAccount]:
    """The residents the benchmark acts as (card payments, voters of the open poll): not the
    first, who has the 20 requests, and the same 500 for every generator."""
    return list(residents[1 : 1 + FIXTURE_RESIDENTS])


def moment_between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A random moment in [start, end), during office-ish hours when it is a whole day range."""
    span = max(int((end - start).total_seconds()), 1)
    return start + dt.timedelta(seconds=rng.randrange(span))


def years_ago(now: dt.datetime, years: float) -> dt.datetime:
    return now - dt.timedelta(days=round(365.25 * years))


def address(rng: random.Random) -> str:
    """A believable address in Kozani: «Πασχίδου 14, 50100 Κοζάνη»."""
    return f"{rng.choice(KOZANI_STREETS)} {rng.randint(1, 120)}, 50100 Κοζάνη"


def greek_plate(rng: random.Random) -> str:
    """«ΚΖΝ-1234»: Greek plates use only the 14 capitals that look like Latin ones."""
    prefix = rng.choice(["ΚΖ", "ΚΟ", "ΚΗ", "ΚΤ"]) + rng.choice(PLATE_LETTERS)
    if rng.random() < 0.25:  # plates of other prefectures pass through
        prefix = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
    return f"{prefix}-{rng.randint(1000, 9999)}"


PLATE_LETTERS = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"

MALE_NAMES = [
    "Γεώργιος", "Ιωάννης", "Κωνσταντίνος", "Δημήτριος", "Νικόλαος", "Παναγιώτης", "Βασίλειος",
    "Χρήστος", "Αθανάσιος", "Μιχαήλ", "Ευάγγελος", "Σπυρίδων", "Αντώνιος", "Ηλίας", "Στέφανος",
    "Αναστάσιος", "Θεόδωρος", "Εμμανουήλ", "Παύλος", "Λάζαρος", "Αλέξανδρος", "Στυλιανός",
    "Ζήσης", "Θωμάς", "Σωτήριος", "Απόστολος", "Φώτιος", "Άγγελος", "Περικλής", "Πέτρος",
]  # fmt: skip
FEMALE_NAMES = [
    "Μαρία", "Ελένη", "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Γεωργία", "Δήμητρα",
    "Κωνσταντίνα", "Παρασκευή", "Ευαγγελία", "Ιωάννα", "Χρυσούλα", "Αναστασία", "Ζωή",
    "Ευδοκία", "Θεοδώρα", "Αθηνά", "Χριστίνα", "Παναγιώτα", "Σταυρούλα", "Ευθυμία", "Ειρήνη",
    "Δέσποινα", "Νικολέτα", "Φωτεινή", "Αλεξάνδρα", "Στυλιανή", "Κυριακή", "Μαγδαληνή",
]  # fmt: skip
# (male form, female form): Greek surnames change with gender, often with the accent.
SURNAMES = [
    ("Παπαδόπουλος", "Παπαδοπούλου"), ("Ζήσης", "Ζήση"), ("Τσιούμας", "Τσιούμα"),
    ("Κυριακίδης", "Κυριακίδου"), ("Παπαγεωργίου", "Παπαγεωργίου"), ("Καραγιάννης", "Καραγιάννη"),
    ("Δημητρίου", "Δημητρίου"), ("Οικονόμου", "Οικονόμου"), ("Μπίκας", "Μπίκα"),
    ("Τσακίρης", "Τσακίρη"), ("Βογιατζής", "Βογιατζή"), ("Σαμαράς", "Σαμαρά"),
    ("Γκαϊτατζής", "Γκαϊτατζή"), ("Πασχαλίδης", "Πασχαλίδου"), ("Θεοδωρίδης", "Θεοδωρίδου"),
    ("Μαυρίδης", "Μαυρίδου"), ("Κουτσούρας", "Κουτσούρα"), ("Τσιμπίδης", "Τσιμπίδου"),
    ("Αθανασίου", "Αθανασίου"), ("Νικολάου", "Νικολάου"), ("Γεωργιάδης", "Γεωργιάδου"),
    ("Ιωαννίδης", "Ιωαννίδου"), ("Χατζηδημητρίου", "Χατζηδημητρίου"),
    ("Κοντογιάννης", "Κοντογιάννη"),
    ("Ρόμπας", "Ρόμπα"), ("Τζιόλας", "Τζιόλα"), ("Μουρατίδης", "Μουρατίδου"),
    ("Καλαϊτζής", "Καλαϊτζή"), ("Πολυχρονίδης", "Πολυχρονίδου"), ("Λιάκος", "Λιάκου"),
    ("Τσολάκης", "Τσολάκη"), ("Μπαλτατζής", "Μπαλτατζή"), ("Αποστολίδης", "Αποστολίδου"),
    ("Σιδηρόπουλος", "Σιδηροπούλου"), ("Κωνσταντινίδης", "Κωνσταντινίδου"),
    ("Ναλμπάντης", "Ναλμπάντη"),
    ("Φωτιάδης", "Φωτιάδου"), ("Τσέλιος", "Τσέλιου"), ("Μηλιώτης", "Μηλιώτη"),
    ("Κεχαγιάς", "Κεχαγιά"),
]  # fmt: skip
KOZANI_STREETS = [
    "Μακεδονίας", "Πασχίδου", "Ιωάννου Τράντα", "Δημοκρατίας", "Αριστοτέλους", "Ξενοφώντος",
    "Φιλίππου", "Μητροπόλεως", "Ελευθερίου Βενιζέλου", "Κοραή", "Καπετάν Κόττα", "Παύλου Μελά",
    "28ης Οκτωβρίου", "Γρηγορίου Λαμπράκη", "Ερμού", "Αλιάκμονος", "Ίωνος Δραγούμη",
    "Εθνικής Αντιστάσεως", "Σιατίστης", "Αγίου Δημητρίου", "Αμυνταίου", "Κίτσου Κώττα",
    "Καραολή και Δημητρίου", "Στρατηγού Ζιάκα", "Πτολεμαΐδος", "Ολυμπίου Γεωργίου",
    "Φλωρίνης", "Κωνσταντίνου Καραμανλή", "Αμπελοκήπων", "Νικολάου Πλαστήρα",
]  # fmt: skip
MUNICIPAL_UNITS = [  # the units of the municipality of Kozani (ν.3852/2010) and their weight
    ("Κοζάνης", 70), ("Ελλησπόντου", 9), ("Αιανής", 8), ("Δημητρίου Υψηλάντη", 7), ("Ελιμείας", 6),
]  # fmt: skip
_LATIN = dict(
    zip(
        "αάβγδεέζηήθιίϊΐκλμνξοόπρσςτυύϋΰφχψωώ",
        ["a", "a", "v", "g", "d", "e", "e", "z", "i", "i", "th", "i", "i", "i", "i", "k", "l",
         "m", "n", "x", "o", "o", "p", "r", "s", "s", "t", "y", "y", "y", "y", "f", "ch", "ps",
         "o", "o"],
        strict=True,
    )
)  # fmt: skip


def latin(text: str) -> str:
    """«Παπαδοπούλου» → «papadopoulou», for e-mail addresses (ELOT 743, simplified)."""
    lower = text.lower().replace("ου", "ou").replace("ού", "ou")
    return "".join(_LATIN.get(ch, ch) for ch in lower if ch.isalnum())
