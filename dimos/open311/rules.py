"""The rules of the Open311 GeoReport v2 contract, as plain functions: no ORM, no request.

Source of every rule: the GeoReport v2 specification, http://wiki.open311.org/GeoReport_v2/
(open311/open311.github.io:GeoReport/v2/index.md), and ../shared/reference/requests-open311.md.
"""

import re
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from dimos.service_requests import rules as request_rules

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MAX_SPAN = timedelta(days=90)  # GET requests: "may not span more than 90 days"
MAX_RESULTS = 1000  # GET requests: "90 days or first 1000 requests, whichever is smallest"
MAX_DESCRIPTION = 4000  # POST: description "limited to 4,000 characters"
SUBJECT_LENGTH = 200  # ServiceRequest.subject
POSTS_PER_MINUTE = 60  # per API key; a client app sends people's reports, not a flood
NOT_PINPOINTED = "#NOTPINPOINTED#"  # FixMyStreet's address_id when the reporter set no pin

OPEN = "open"
CLOSED = "closed"


def status_of(status: str) -> str:
    """Our ten statuses seen as Open311's two: open while the service still has work to do."""
    return OPEN if request_rules.Status(status) in request_rules.OPEN else CLOSED


def statuses_for(open311_statuses: set[str]) -> set[str]:
    """Our statuses behind Open311's `open` and/or `closed`."""
    ours = {s.value for s in request_rules.Status}
    opened = {s.value for s in request_rules.OPEN}
    result: set[str] = set()
    if OPEN in open311_statuses:
        result |= opened
    if CLOSED in open311_statuses:
        result |= ours - opened
    return result


def w3c(moment: datetime, zone: tzinfo) -> str:
    """W3C-profile ISO 8601 with the offset, which the spec requires: 2026-05-04T09:30:00+03:00."""
    return moment.astimezone(zone).isoformat(timespec="seconds")


def end_of_day(day: date, zone: tzinfo) -> datetime:
    """A legal deadline is a day: the answer is in time until that day ends, local time."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_w3c(value: str, zone: tzinfo, *, end: bool = False) -> datetime | None:
    """A start_date/end_date: a full W3C datetime, or a bare date meaning the whole day.

    A datetime without an offset is taken as local time rather than refused.
    """
    value = value.strip()
    if _DATE_ONLY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        return end_of_day(day, zone) if end else datetime.combine(day, time(0), tzinfo=zone)
    if "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


class RangeError(ValueError):
    pass


def date_range(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The requested_datetime window of GET requests: at most 90 days; the last 90 by default."""
    if start is None:
        return (now - MAX_SPAN, now) if end is None else (end - MAX_SPAN, end)
    if end is None:
        return start, start + MAX_SPAN
    if start > end:
        raise RangeError("start_date is after end_date")
    if end - start > MAX_SPAN:
        raise RangeError("the range spans more than 90 days")
    return start, end


def split_list(value: str) -> list[str]:
    """A comma-delimited argument; empty items (`a,,b`, a trailing comma) are ignored."""
    return [item.strip() for item in value.split(",") if item.strip()]


def subject_from(description: str, service_name: str) -> str:
    """The back office needs a subject; Open311 has none: the first line of the description."""
    first_line = description.strip().splitlines()[0].strip() if description.strip() else ""
    return (first_line or service_name)[:SUBJECT_LENGTH]


def greek_number(phone: str) -> str | None:
    """The 10 national digits of a Greek number as people write it (+30, 0030 allowed).

    ΕΕΤΤ national numbering plan: 10 digits, 2… fixed lines, 69… mobiles.
    """
    digits = re.sub(r"[\s\-./()]", "", phone)
    for prefix in ("+30", "0030"):
        digits = digits.removeprefix(prefix)
    if len(digits) == 10 and digits.isdigit() and digits.startswith(("2", "69")):
        return digits
    return None


def is_greek_mobile(phone: str) -> bool:
    """Only mobiles receive SMS."""
    national = greek_number(phone)
    return national is not None and national.startswith("69")


def default_channel(email: str, phone: str) -> str | None:
    """How to tell the reporter the outcome when the client did not say: e-mail, else SMS to
    a mobile, else a call to the fixed line."""
    if email:
        return "email"
    if phone:
        return "sms" if is_greek_mobile(phone) else "phone"
    return None


def coordinate(value: str, limit: int) -> Decimal | None:
    """A WGS84 latitude (limit 90) or longitude (limit 180), to the 6 decimals we store."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(Decimal("0.000001"))


# XML 1.0 allows tab, line feed and carriage return, and no other C0 control character;
# PostgreSQL refuses NUL in text. Both are taken out of what clients send and what we emit.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value)
