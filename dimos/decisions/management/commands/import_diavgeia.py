"""Import decisions in Diavgeia's OpenData format, from files or from the Diavgeia API.

    manage.py import_diavgeia PATH [--body dimotiko-symvoulio]
        PATH: a JSON file or a folder of them; each decision's PDF beside it as <ΑΔΑ>.pdf.
    manage.py import_diavgeia --org 6154 --unit 81689 --from 2025-01-01 [--to 2026-03-31]
        Harvests the API in windows of at most 180 days and downloads each PDF.

Idempotent: a decision already imported (same ΑΔΑ) is updated, never duplicated.
"""

from datetime import date
from pathlib import Path
from typing import Any
from urllib.error import URLError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dimos.decisions import diavgeia
from dimos.decisions.models import Body, Decision


class Command(BaseCommand):
    help = "Import decisions from Diavgeia OpenData JSON files (with their PDFs) or its API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="a JSON file or a folder of JSON files")
        parser.add_argument(
            "--body",
            help="code of the body for records whose unitIds match no body's Diavgeia unit",
        )
        parser.add_argument("--org", help="API: the Diavgeia organisation uid")
        parser.add_argument("--unit", default="", help="API: the Diavgeia unit uid")
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--search-url", default=diavgeia.SEARCH_URL, help=argparse_hidden())

    def handle(self, *args: Any, **options: Any) -> None:
        default_body = None
        if options["body"]:
            default_body = Body.objects.filter(code=options["body"]).first()
            if default_body is None:
                raise CommandError(f"No body has the code {options['body']!r}.")
        summary = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        if options["org"]:
            source = "api"
            items = self._from_api(options)
        elif options["path"]:
            source = "files"
            items = self._from_files(Path(options["path"]))
        else:
            raise CommandError("Give a PATH, or --org (and --unit, --from) to use the API.")
        for record, pdf in items:
            try:
                outcome = diavgeia.import_record(record, pdf(), default_body=default_body)
            except (diavgeia.ImportProblemError, URLError, OSError, ValueError) as exc:
                summary["failed"] += 1
                self.stderr.write(f"Skipped: {exc}")
                continue
            summary[outcome.result] += 1
            self.stdout.write(f"{outcome.result}: {outcome.ada} {outcome.decision.protocol_number}")
        diavgeia.record_audit_of_run(summary, source)
        self.stdout.write(
            self.style.SUCCESS(
                "Created {created}, updated {updated}, unchanged {unchanged}, "
                "failed {failed}.".format(**summary)
            )
        )
        if summary["failed"] and not any(summary[k] for k in ("created", "updated", "unchanged")):
            raise CommandError("Nothing could be imported.")

    def _from_files(self, path: Path) -> Any:
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            found = list(diavgeia.records_in(path))
        except (ValueError, OSError) as exc:
            raise CommandError(f"{path}: not Diavgeia JSON ({exc}).") from exc
        for file, record in found:
            yield record, (lambda file=file, record=record: diavgeia.pdf_beside(file, record))

    def _from_api(self, options: dict[str, Any]) -> Any:
        start = options["start"]
        if start is None:
            raise CommandError("Give --from YYYY-MM-DD for the API.")
        end = options["end"] or timezone.localdate()
        for record in diavgeia.harvest(
            options["org"], options["unit"], start, end, search_url=options["search_url"]
        ):
            yield record, (lambda record=record: self._pdf_of(record))

    def _pdf_of(self, record: dict[str, Any]) -> bytes | None:
        ada = str(record.get("ada") or "")
        known = Decision.objects.filter(ada=ada).only("diavgeia_version").first()
        if known is not None and known.diavgeia_version == str(record.get("versionId") or ""):
            return None  # the same version: the PDF we have is the one Diavgeia has
        url = str(record.get("documentUrl") or f"https://diavgeia.gov.gr/doc/{ada}")
        return diavgeia.fetch_url(url)


def argparse_hidden() -> str:
    return "API: the search address (tests point it to a local server)"
