"""The simple bank CSV file: for banks that give a spreadsheet export instead of camt XML.

Format
------
- Text in UTF-8 (with or without a byte-order mark) or, failing that, Greek Windows (cp1253),
  as Excel saves it on a Greek PC. An .xlsx file is refused: save it as CSV first.
- Fields separated by ";" (Excel with Greek regional settings) or "," — told from the header.
  Values containing the separator, quotes or line breaks are quoted with "…" (standard CSV).
- The first non-blank line is the header. Column names are matched without regard to case or
  accents, in Greek or English; their order does not matter and other columns are ignored:

  ============  ==========================================================  ========
  column        accepted names (any of)                                     required
  ============  ==========================================================  ========
  reference     reference, ref, bank reference, entry reference,            yes
                transaction reference, αναφορά, αριθμός αναφοράς,
                κωδικός αναφοράς, κωδικός συναλλαγής, αριθμός συναλλαγής
  date          date, booking date, ημερομηνία, ημ/νία,                     yes
                ημερομηνία καταχώρισης
  amount        amount, ποσό (a "€" or "(EUR)" in the name is fine)         yes
  description   description, details, remittance, remittance information,   yes
                περιγραφή, αιτιολογία, αιτιολογία πληρωμής, λεπτομέρειες
  payer         payer, debtor, payer name, debtor name, πληρωτής,           no
                καταθέτης, εντολέας, ονοματεπώνυμο
  payer iban    payer iban, debtor iban, iban πληρωτή, λογαριασμός πληρωτή  no
  rf            rf, rf code, payment code, κωδικός rf, κωδικός πληρωμής     no
  value date    value date, ημερομηνία αξίας, ημ/νία αξίας                  no
  currency      currency, νόμισμα (default EUR)                             no
  ============  ==========================================================  ========

- reference: the bank's own unique reference of the movement; importing the same file twice
  changes nothing because of it, so it must be present and unique in the file.
- date: DD/MM/YYYY (also D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY) or YYYY-MM-DD; a time after the
  date is ignored. Without a "value date" column the date is also the value date; with only
  a "value date" column, that one is the date.
- amount: Greek "1.234,56" or "1234,56", or "1234.56"; a leading "-" marks money going out
  (a debit), anything else is money in. At most two decimals; a lone separator followed by
  three digits ("1.234", "1,234") is ambiguous and refused: write "1.234,00" or "1234".
- description: the payer's free text; the RF is looked for in it ("RF71 2348 231" is fine).
- rf: when present and a valid RF it wins over the description; an invalid one is ignored.

Every bad row is reported with its line number, all at once, and nothing is imported until
the file is clean. A totals line at the end of an export counts as a bad row: delete it.

Example:

    Αναφορά;Ημερομηνία;Ποσό;Αιτιολογία;Πληρωτής
    BK-1001;10/01/2025;40,00;ΠΛΗΡΩΜΗ RF71 2348 231;ΜΑΡΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ
    BK-1002;11/01/2025;-1,50;ΠΡΟΜΗΘΕΙΑ ΤΡΑΠΕΖΑΣ;
"""

import csv
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Final

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from dimos.core.greek import normalize_greek
from dimos.core.textfiles import NotTextError, decode_greek_text
from dimos.payments.statements.model import (
    AmountError,
    Message,
    Statement,
    StatementEntry,
    StatementError,
    StatementProblem,
    cents_from_decimal,
    duplicate_problems,
    shorten,
)
from dimos.payments.statements.rf import compact_rf, find_rf, is_rf

REQUIRED: Final = ("reference", "date", "amount", "description")
ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "reference": (
        "reference",
        "ref",
        "bank reference",
        "entry reference",
        "transaction reference",
        "αναφορά",
        "αριθμός αναφοράς",
        "κωδικός αναφοράς",
        "κωδικός συναλλαγής",
        "αριθμός συναλλαγής",
    ),
    "date": ("date", "booking date", "ημερομηνία", "ημ/νία", "ημερομηνία καταχώρισης"),
    "amount": ("amount", "ποσό"),
    "description": (
        "description",
        "details",
        "remittance",
        "remittance information",
        "περιγραφή",
        "αιτιολογία",
        "αιτιολογία πληρωμής",
        "λεπτομέρειες",
    ),
    "payer": (
        "payer",
        "debtor",
        "payer name",
        "debtor name",
        "πληρωτής",
        "καταθέτης",
        "εντολέας",
        "ονοματεπώνυμο",
    ),
    # Not a bare "iban": in bank exports that is often the account's own.
    "payer iban": ("payer iban", "debtor iban", "iban πληρωτή", "λογαριασμός πληρωτή"),
    "rf": ("rf", "rf code", "payment code", "κωδικός rf", "κωδικός πληρωμής"),
    "value date": ("value date", "ημερομηνία αξίας", "ημ/νία αξίας"),
    "currency": ("currency", "νόμισμα"),
}
DELIMITERS: Final = (";", ",")

_NOISE = re.compile(r"[_()\[\]:*€]")
_CURRENCY_WORD = re.compile(r"\s(eur|euro)$")
_DMY = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$")
_CURRENCY = re.compile(r"[A-Z]{3}")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")

_AMOUNT_MESSAGES: Final[dict[str, Message]] = {
    AmountError.NOT_A_NUMBER: _("Line %(line)s: the amount “%(value)s” is not a number."),
    AmountError.TOO_PRECISE: _("Line %(line)s: the amount “%(value)s” has more than two decimals."),
    AmountError.TOO_LARGE: _("Line %(line)s: the amount “%(value)s” is too large."),
}


def _normal(name: str) -> str:
    """How a column name is compared: no case, accents, underscores, brackets or "€"."""
    text = " ".join(_NOISE.sub(" ", normalize_greek(name)).split())
    return _CURRENCY_WORD.sub("", text)


_COLUMN_OF: Final[dict[str, str]] = {
    _normal(alias): column for column, aliases in ALIASES.items() for alias in aliases
}


def parse_csv(data: bytes) -> Statement:
    """The statement in a bank CSV file, or one StatementError listing every bad row."""
    text = _decode(data)
    # Physical lines as the csv module counts them (\n, \r\n or \r), for line numbers.
    physical = io.StringIO(text, newline="").readlines()
    header_index = next((i for i, line in enumerate(physical) if line.strip()), None)
    if header_index is None:
        raise StatementError(_("The file is empty."))
    header_line = header_index + 1
    delimiter, columns, width = _header(physical[header_index], header_line)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    entries: list[StatementEntry] = []
    problems: list[StatementProblem] = []
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise StatementError(
                _('Line %(line)s: the row cannot be read as CSV (is a quote “"” left open?).'),
                {"line": line},
                line=line,
            ) from exc
        row_line, line = line, reader.line_num + 1
        if row_line <= header_line or not any(cell.strip() for cell in row):
            continue
        entry, row_problems = _row(row, row_line, columns, width)
        problems.extend(row_problems)
        if entry is not None:
            entries.append(entry)
    problems.extend(duplicate_problems(entries))
    if problems:
        problems.sort(key=lambda problem: problem.line or 0)
        bad_rows = len({problem.line for problem in problems})
        raise StatementError(
            ngettext_lazy(
                "%(count)s row of the file cannot be read; nothing was imported.",
                "%(count)s rows of the file cannot be read; nothing was imported.",
                "count",
            ),
            {"count": bad_rows},
            problems=problems,
        )
    return Statement(
        statement_id="csv-" + hashlib.sha256(data).hexdigest()[:16],
        account_iban="",
        created=None,
        entries=entries,
        format="csv",
    )


def _decode(data: bytes) -> str:
    try:
        return decode_greek_text(data)
    except NotTextError as exc:
        if exc.binary:
            raise StatementError(
                _("The file is not a text file (is it an Excel workbook? Save it as CSV).")
            ) from None
        raise StatementError(
            _("The file's text is neither UTF-8 nor Greek Windows (cp1253)."),
        ) from exc


def _header(line_text: str, line: int) -> tuple[str, dict[str, int], int]:
    """The delimiter and where each known column is; the one that recognises most wins."""
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        cells = next(csv.reader([line_text], delimiter=delimiter), [])
        known = sum(1 for cell in cells if _normal(cell) in _COLUMN_OF)
        if best is None or known > best[0]:
            best = (known, delimiter, cells)
    assert best is not None
    _known, delimiter, cells = best

    columns: dict[str, int] = {}
    problems: list[StatementProblem] = []
    for index, cell in enumerate(cells):
        column = _COLUMN_OF.get(_normal(cell))
        if column is None:
            continue
        if column in columns:
            problems.append(
                StatementProblem(
                    _(
                        "Line %(line)s: the columns “%(first)s” and “%(second)s” both mean "
                        "“%(column)s”; keep one."
                    ),
                    {
                        "line": line,
                        "first": shorten(cells[columns[column]]),
                        "second": shorten(cell),
                        "column": column,
                    },
                    line=line,
                )
            )
            continue
        columns[column] = index
    if "date" not in columns and "value date" in columns:
        columns["date"] = columns.pop("value date")
    for column in REQUIRED:
        if column not in columns:
            problems.append(
                StatementProblem(
                    _(
                        "Line %(line)s: the header has no “%(column)s” column (accepted names: "
                        "%(names)s)."
                    ),
                    {"line": line, "column": column, "names": ", ".join(ALIASES[column])},
                    line=line,
                )
            )
    if len(problems) == 1:
        raise StatementError(problems[0].template, problems[0].params, line=line)
    if problems:
        raise StatementError(
            _("Line %(line)s: the header cannot be used; nothing was imported."),
            {"line": line},
            line=line,
            problems=problems,
        )
    return delimiter, columns, len(cells)


def _row(
    row: list[str], line: int, columns: Mapping[str, int], width: int
) -> tuple[StatementEntry | None, list[StatementProblem]]:
    problems: list[StatementProblem] = []

    def problem(template: Message, **params: object) -> None:
        problems.append(StatementProblem(template, {"line": line, **params}, line=line))

    # Trailing empty fields are common (a ";" at the end of each line); anything else must fit.
    used = len(row)
    while used and not row[used - 1].strip():
        used -= 1
    if used > width or len(row) <= max(columns.values()):
        problem(
            _(
                "Line %(line)s: the row has %(found)s fields but the header has %(expected)s "
                "(is a “;” or “,” inside a value without quotes?)."
            ),
            found=used if used > width else len(row),
            expected=width,
        )
        return None, problems

    def cell(column: str) -> str:
        index = columns.get(column)
        return "" if index is None else " ".join(row[index].split())

    reference = cell("reference")
    if not reference:
        problem(_("Line %(line)s: the bank reference is empty."))

    booking_date = _date_cell(cell("date"), problem, required=True)
    value_date = _date_cell(cell("value date"), problem, required=False) or booking_date

    cents = 0
    amount = cell("amount")
    if not amount:
        problem(_("Line %(line)s: the amount is empty."))
    else:
        try:
            cents = parse_amount(amount)
        except AmountError as exc:
            problem(_AMOUNT_MESSAGES[exc.reason], value=shorten(amount))
        else:
            if cents == 0:
                problem(_("Line %(line)s: the amount is zero."))

    currency = (cell("currency") or "EUR").upper()
    if not _CURRENCY.fullmatch(currency):
        problem(
            _("Line %(line)s: the currency “%(value)s” is not a three-letter code."),
            value=shorten(currency),
        )

    if problems:
        return None, problems
    description = cell("description")
    explicit_rf = cell("rf")
    rf = compact_rf(explicit_rf) if explicit_rf and is_rf(explicit_rf) else find_rf(description)
    return (
        StatementEntry(
            entry_ref=reference,
            amount_cents=abs(cents),
            currency=currency,
            credit=cents > 0,
            reversal=False,
            status="BOOK",
            booking_date=booking_date,
            value_date=value_date,
            rf=rf,
            remittance=description,
            debtor_name=cell("payer"),
            debtor_iban=cell("payer iban").replace(" ", "").upper(),
            end_to_end_id="",
            line=line,
        ),
        [],
    )


def _date_cell(value: str, problem: Callable[..., None], *, required: bool) -> date | None:
    if not value:
        if required:
            problem(_("Line %(line)s: the date is empty."))
        return None
    try:
        return parse_date(value)
    except ValueError:
        problem(
            _("Line %(line)s: “%(value)s” is not a date (DD/MM/YYYY or YYYY-MM-DD)."),
            value=shorten(value),
        )
        return None


def parse_date(value: str) -> date:
    """DD/MM/YYYY (also with "." or "-", one-digit day or month) or YYYY-MM-DD; time ignored."""
    text = _TIME.sub("", value.strip())
    if match := _DMY.fullmatch(text):
        return date(int(match[4]), int(match[3]), int(match[1]))
    if match := _YMD.fullmatch(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    raise ValueError(value)


def parse_amount(value: str) -> int:
    """Signed integer cents from "1.234,56", "-1234,5", "1234.56", "1,234.56" or "12 €".

    When both "." and "," appear, the last one is the decimal separator and the other groups
    thousands (groups of three checked). A single separator is the decimal one; the same one
    repeated groups thousands ("1.234.567"). Raises AmountError, never rounds.
    """
    text = _SPACES.sub("", value).replace("€", "").replace("\u2212", "-")
    if text.upper().endswith("EUR"):
        text = text[:-3]
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:]
    if not text or not re.fullmatch(r"[0-9.,]+", text):
        raise AmountError(AmountError.NOT_A_NUMBER)

    dots, commas = text.count("."), text.count(",")
    decimal_mark = ""
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
    elif dots == 1 or commas == 1:
        decimal_mark = "." if dots else ","
    whole, _mark, fraction = text.rpartition(decimal_mark) if decimal_mark else (text, "", "")
    if decimal_mark and text.count(decimal_mark) > 1:
        raise AmountError(AmountError.NOT_A_NUMBER)
    grouping = (whole.replace(".", ",") if whole else "") or "0"
    if "," in grouping and not re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", grouping):
        raise AmountError(AmountError.NOT_A_NUMBER)
    if decimal_mark and not fraction:
        raise AmountError(AmountError.NOT_A_NUMBER)
    digits = grouping.replace(",", "")
    return cents_from_decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
