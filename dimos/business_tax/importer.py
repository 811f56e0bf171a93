"""Assessed debts in bulk from a CSV file: every bad row is reported with its line number, and
nothing is issued unless every row is good.

Columns (a header row with these names, in any order; «;» or «,» between them; UTF-8):

    afm           the business's ΑΦΜ (9 digits), registered in the portal
    fee_type      public-space or advertising (the fee type's code)
    rate          the rate's code within the fee, e.g. zone-a, sign, frame
    area_m2       square metres, e.g. 12,5
    units         how many weeks, months or years of the rate, e.g. 3
    period_start  when the use starts: 2026-06-01 or 01/06/2026
    unauthorised  yes/no (optional; «ναι»/«όχι» too): adds the fine of three times the fee
    due_date      pay by (optional): 2026-07-31 or 31/07/2026; empty: the fee's days from today
    description   (optional) what the debt is for, as the business will read it
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dimos.accounts.models import Business
from dimos.accounts.validators import clean_afm
from dimos.business_tax.actions import Assessment, assessment_errors
from dimos.business_tax.forms import area_from_text
from dimos.business_tax.models import AreaRate
from dimos.core.textfiles import NotTextError, decode_greek_text

REQUIRED = ["afm", "fee_type", "rate", "area_m2", "units", "period_start"]
OPTIONAL = ["unauthorised", "due_date", "description"]
MAX_ROWS = 5000
YES = {"yes", "y", "true", "1", "ναι", "ν"}
NO = {"", "no", "n", "false", "0", "όχι", "οχι", "ο"}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


class ImportProblemsError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 — a plain date
        except ValueError:
            continue
    raise ValueError(text)


def parse_assessments(data: bytes) -> list[Assessment]:
    """The assessments of the file, or ImportProblemsError listing every bad line."""
    try:
        text = decode_greek_text(data)
    except NotTextError:
        raise ImportProblemsError(
            [Problem(0, _("The file's text is neither UTF-8 nor Greek Windows (cp1253)."))]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportProblemsError(
            [
                Problem(
                    1,
                    _("Columns missing from the header: %(cols)s.") % {"cols": ", ".join(missing)},
                )
            ]
        )
    reader.fieldnames = header
    businesses = {b.afm: b for b in Business.objects.all().only("pk", "afm", "legal_name")}
    rates = {
        (r.fee_type.code, r.code): r
        for r in AreaRate.objects.filter(active=True, fee_type__active=True).select_related(
            "fee_type"
        )
    }
    assessments: list[Assessment] = []
    problems: list[Problem] = []
    for row in reader:
        line = reader.line_num
        if len(assessments) + len(problems) >= MAX_ROWS:
            problems.append(
                Problem(line, _("More than %(n)s rows: split the file.") % {"n": MAX_ROWS})
            )
            break
        cells = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(cells.values()):
            continue
        errors, assessment = _row(cells, businesses, rates)
        if assessment is not None:
            errors += assessment_errors(assessment)
        problems += [Problem(line, e) for e in errors]
        if not errors and assessment is not None:
            assessments.append(assessment)
    if not assessments and not problems:
        problems.append(Problem(0, _("The file has no rows of debts.")))
    if problems:
        raise ImportProblemsError(problems)
    return assessments


def _row(
    cells: dict[str, str],
    businesses: dict[str, Business],
    rates: dict[tuple[str, str], AreaRate],
) -> tuple[list[str], Assessment | None]:
    errors: list[str] = []
    business = None
    try:
        business = businesses.get(clean_afm(cells.get("afm", "")))
        if business is None:
            errors.append(_("No registered business has the ΑΦΜ %(afm)s.") % {"afm": cells["afm"]})
    except ValidationError:
        errors.append(_("«%(afm)s» is not a valid ΑΦΜ.") % {"afm": cells.get("afm", "")})
    rate = rates.get((cells.get("fee_type", ""), cells.get("rate", "")))
    if rate is None:
        errors.append(
            _("No rate «%(rate)s» of the fee «%(fee)s».")
            % {"rate": cells.get("rate", ""), "fee": cells.get("fee_type", "")}
        )
    area: Decimal | None = None
    try:
        area = area_from_text(cells.get("area_m2", ""))
    except ValidationError as exc:
        errors += exc.messages
    units = 0
    try:
        units = int(cells.get("units", ""))
        if not 1 <= units <= 520:
            raise ValueError
    except ValueError:
        errors.append(_("The units must be a whole number from 1 to 520."))
    start = due = None
    try:
        start = _date(cells.get("period_start", ""))
    except ValueError:
        errors.append(_("The start date must be like 2026-06-01 or 01/06/2026."))
    if cells.get("due_date"):
        try:
            due = _date(cells["due_date"])
        except ValueError:
            errors.append(_("The due date must be like 2026-07-31 or 31/07/2026."))
    flag = cells.get("unauthorised", "").lower()
    if flag not in YES | NO:
        errors.append(_("«unauthorised» must be yes or no."))
    if errors or business is None or rate is None or area is None or start is None:
        return errors, None
    return errors, Assessment(
        business=business,
        fee_type=rate.fee_type,
        area_rate=rate,
        area=area,
        units=units,
        period_start=start,
        unauthorised=flag in YES,
        due_date=due,
        description=cells.get("description", "")[:200],
    )
