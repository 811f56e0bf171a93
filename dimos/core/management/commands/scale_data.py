"""`manage.py scale_data --residents N`: believable Greek data at a municipality's scale."""

import random
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from dimos.core import scale


class Command(BaseCommand):
    help = "Generate scale data for benchmarks (bulk inserts; deterministic for a seed)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--residents", type=int, default=70_000)
        parser.add_argument(
            "--decisions",
            type=int,
            default=None,
            help="council decisions (default: one per resident, i.e. 100 k per 100 k residents)",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--only", default="", help="comma-separated generators (see --list); default all"
        )
        parser.add_argument("--list", action="store_true", help="list the generators and stop")
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=None,
            help="where to write what the benchmark needs (default var/bench/fixtures.json)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        autodiscover_modules("scale")
        if options["list"]:
            self.stdout.write("\n".join(scale.names()))
            return
        if options["residents"] < 100:
            raise CommandError("--residents must be at least 100")
        if options["decisions"] is not None and options["decisions"] < 0:
            raise CommandError("--decisions cannot be negative")
        only = {n.strip() for n in options["only"].split(",") if n.strip()} or None
        unknown = (only or set()) - set(scale.names())
        if unknown:
            raise CommandError(f"unknown generators: {', '.join(sorted(unknown))}")
        ctx = scale.ScaleContext(
            residents=options["residents"],
            decisions=options["decisions"]
            if options["decisions"] is not None
            else options["residents"],
            seed=options["seed"],
            random=random.Random(options["seed"]),  # noqa: S311 (made-up data, not secrets)
        )
        # All or nothing: a failed run leaves no half-generated tables (and one transaction
        # is also the fastest way to write on SQLite).
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # room for the indexes being filled (256 MB)
                cursor.execute("PRAGMA cache_size = -262144")
        with transaction.atomic():
            for generator in scale.ordered(only):
                ctx.say(f"{generator.name} …")
                started = time.monotonic()
                generator.generate(ctx)
                ctx.timings[generator.name] = round(time.monotonic() - started, 2)
                ctx.say(f"{generator.name}: {ctx.timings[generator.name]} s")
            ctx.reset_sequences()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner now, not when autovacuum gets round to it: a
            # search planned on an empty table's estimates took seconds at a million decisions.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        path = scale.write_fixtures(ctx, options["fixtures"])
        ctx.say(f"done; what the benchmark needs is in {path}")
