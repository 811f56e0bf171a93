"""The police devices' CSV of tickets, read and checked row by row (nothing is written here).

The file: UTF-8 (a BOM is fine) or Windows-1253; separated by `;` or `,` (read from the
header); the first line names the columns, in any order, case-insensitive:

=================  ========  ===================================================================
column             required  contents
=================  ========  ===================================================================
number             yes       ticket number as printed, e.g. ΚΟΖ-2026-000101 (unique)
plate              yes       plate, e.g. ΚΖΝ-1234 (Greek or Latin letters, spaces, dashes)
date               yes       day of the violation, 31/01/2026 or 2026-01-31
time               yes       time of the violation, 09:45
category           yes       Ε1-Α, Ε1-Β, Ε2-Α, Ε2-Β, Ε3-Α, Ε3-Β or Ε4 (Latin E accepted)
article            for Ε4    article violated, e.g. 38§2ε (Ε4 amounts are per article);
                             article 38 (parking) halves the fine of mopeds and motorcycles
vehicle            no        car, motorcycle, moped or other (or Greek: αυτοκίνητο,
                             μοτοσικλέτα, μοτοποδήλατο, άλλο); empty means car
make               no        make of the vehicle
colour             no        colour of the vehicle
place              no        street and number, or place
concurrent         no        categories of concurrent violations, joined by +, e.g. Ε1-Α+Ε2-Β
                             (the heaviest fine plus half of each other one, art. 107 §9)
officer            no        code of the officer
amount             no        the amount the device computed, 150,00 or 150.00: if given it must
                             equal the amount of the fines table, else the row is refused
=================  ========  ===================================================================

Every bad row is reported with its line number in the file (the header is line 1).
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.greek import normalize_greek
from dimos.core.templatetags.dimos_money import format_euros
from dimos.core.textfiles import NotTextError, decode_greek_text
from dimos.fines import queries, rules
from dimos.fines.actions import TicketData
from dimos.fines.models import FineCategory, Ticket
from dimos.payments.forms import cents_from_text

REQUIRED = ("number", "plate", "date", "time", "category")
OPTIONAL = ("article", "vehicle", "make", "colour", "place", "concurrent", "officer", "amount")
MAX_ROWS = 5000
VEHICLES = {
    "": rules.Vehicle.CAR,
    "car": rules.Vehicle.CAR,
    "αυτοκινητο": rules.Vehicle.CAR,
    "ΕΙΧ".casefold(): rules.Vehicle.CAR,
    "motorcycle": rules.Vehicle.MOTORCYCLE,
    "μοτοσυκλετα": rules.Vehicle.MOTORCYCLE,
    "μοτοσικλετα": rules.Vehicle.MOTORCYCLE,
    "moped": rules.Vehicle.MOPED,
    "μοτοποδηλατο": rules.Vehicle.MOPED,
    "other": rules.Vehicle.OTHER,
    "αλλο": rules.Vehicle.OTHER,
}


@dataclass
class Parsed:
    rows: list[tuple[int, TicketData]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _text(content: bytes) -> str:
    try:
        return decode_greek_text(content)
    except NotTextError:
        return content.decode("cp1253", errors="replace")  # every bad row is then reported


def _day(value: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 — a day only
        except ValueError:
            continue
    raise ValidationError(_("the date must be like 31/01/2026"), code="date")


def _time(value: str) -> time:
    try:
        return datetime.strptime(value.strip(), "%H:%M").time()  # noqa: DTZ007 — a time only
    except ValueError:
        raise ValidationError(_("the time must be like 09:45"), code="time") from None


def _category(code: str, article: str, day: date) -> FineCategory:
    category = queries.category_on(code, article, day)
    if category is None:
        raise ValidationError(
            _("no category %(code)s (article %(article)s) in force on %(day)s"),
            code="category",
            params={"code": code, "article": article or "—", "day": day.strftime("%d/%m/%Y")},
        )
    return category


def _row(values: dict[str, str], today: date) -> TicketData:
    missing = [name for name in REQUIRED if not values.get(name, "").strip()]
    if missing:
        raise ValidationError(
            _("empty: %(columns)s"), code="missing", params={"columns": ", ".join(missing)}
        )
    day = _day(values["date"])
    if day > today:
        raise ValidationError(_("the date is in the future"), code="future")
    at = timezone.make_aware(datetime.combine(day, _time(values["time"])))
    vehicle = VEHICLES.get(normalize_greek(values.get("vehicle", "").strip()))
    if vehicle is None:
        raise ValidationError(
            _("unknown vehicle “%(value)s”"), code="vehicle", params={"value": values["vehicle"]}
        )
    article = values.get("article", "").strip()
    category = _category(values["category"], article, day)
    others = [
        _category(code.strip(), "", day)
        for code in values.get("concurrent", "").split("+")
        if code.strip()
    ]
    data = TicketData(
        number=values["number"].strip(),
        plate=values["plate"].strip(),
        issued_at=at,
        category=category,
        article=article,
        vehicle_type=vehicle.value,
        vehicle_make=values.get("make", "").strip()[:60],
        vehicle_colour=values.get("colour", "").strip()[:40],
        place=values.get("place", "").strip()[:200],
        officer_code=values.get("officer", "").strip()[:20],
        other_categories=others,
    )
    if len(data.number) > 40 or len(data.plate) > 20:
        raise ValidationError(_("the number or the plate is too long"), code="length")
    if values.get("amount", "").strip():
        try:
            stated = cents_from_text(values["amount"])
        except ValidationError:
            raise ValidationError(_("the amount must be like 150,00"), code="amount") from None
        if stated != data.amount_cents:
            raise ValidationError(
                _("the amount %(stated)s differs from the table's %(table)s"),
                code="amount",
                params={
                    "stated": format_euros(stated),
                    "table": format_euros(data.amount_cents),
                },
            )
    return data


def parse_tickets(content: bytes, today: date | None = None) -> Parsed:
    """Read the file; every row is either a TicketData or an error with its line number."""
    today = today or timezone.localdate()
    parsed = Parsed()
    lines = _text(content).splitlines()
    if not lines or not lines[0].strip():
        parsed.errors.append((1, _("The file is empty.")))
        return parsed
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        parsed.errors.append(
            (
                1,
                _("Columns missing from the first line: %(columns)s")
                % {"columns": ", ".join(missing)},
            )
        )
        return parsed
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line > MAX_ROWS + 1:
            parsed.errors.append((line, _("Too many rows: at most 5,000 in one file.")))
            break
        values = dict(zip(header, cells, strict=False))
        try:
            data = _row(values, today)
        except ValidationError as exc:
            parsed.errors.append(
                (line, _("Line %(line)s: ") % {"line": line} + "; ".join(exc.messages))
            )
            continue
        key = rules.normalise_code(data.number)
        if key in seen:
            parsed.errors.append(
                (
                    line,
                    _("Line %(line)s: ticket %(number)s is also on line %(first)s")
                    % {"line": line, "number": data.number, "first": seen[key]},
                )
            )
            continue
        seen[key] = line
        parsed.rows.append((line, data))
    _refuse_registered(parsed)
    return parsed


def _refuse_registered(parsed: Parsed) -> None:
    """Numbers the municipality already registered (not those a citizen only entered)."""
    keys = {rules.normalise_code(d.number): line for line, d in parsed.rows}
    registered = set(
        Ticket.objects.filter(number_key__in=list(keys), provisional=False).values_list(
            "number_key", flat=True
        )
    )
    if not registered:
        return
    good: list[tuple[int, TicketData]] = []
    for line, data in parsed.rows:
        if rules.normalise_code(data.number) in registered:
            parsed.errors.append(
                (
                    line,
                    _("Line %(line)s: ticket %(number)s is already registered")
                    % {"line": line, "number": data.number},
                )
            )
        else:
            good.append((line, data))
    parsed.rows = good
    parsed.errors.sort()


def lines_of(errors: Iterable[tuple[int, str]]) -> list[int]:
    return sorted({line for line, _message in errors})
