"""Import a bank statement file (camt.053/054 XML or the bank's CSV) from the command line."""

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.payments.actions import do_import_statement
from dimos.payments.statements import parse_statement
from dimos.payments.statements.model import StatementError


class Command(BaseCommand):
    help = "Import a bank statement: match credits to payment orders by RF; idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            statement = parse_statement(data)
        except StatementError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        record = do_import_statement(
            statement, file_name=file.name, sha256=hashlib.sha256(data).hexdigest()
        )
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in record.summary.items()))
