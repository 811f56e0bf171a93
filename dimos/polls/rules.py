"""The rules of polls, as plain functions: no ORM, no request.

The seed (service 5): a Δημότης or Πολίτης takes part once per poll and sees its overall
statistical results. Who may take part and when results show are set per poll.
"""

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum


class Phase(StrEnum):
    DRAFT = "draft"  # staff still prepare it; nobody else sees it
    UPCOMING = "upcoming"  # scheduled, opens later
    OPEN = "open"
    CLOSED = "closed"  # closing time passed, or staff closed it early


class Eligibility(StrEnum):
    RESIDENTS = "residents"
    RESIDENTS_AND_CITIZENS = "persons"


class ResultsShown(StrEnum):
    LIVE = "live"
    AFTER_VOTING = "after_voting"
    AFTER_CLOSING = "after_closing"


class Refusal(StrEnum):
    """Why someone cannot take part; each has a whole sentence on the poll's page."""

    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    RESIDENTS_ONLY = "residents_only"
    OTHER_UNIT = "other_unit"
    ALREADY = "already"


def phase(
    scheduled: bool,
    opens_at: datetime,
    closes_at: datetime,
    closed_at: datetime | None,
    now: datetime,
) -> Phase:
    """Open from `opens_at` (inclusive) to `closes_at` (exclusive), unless closed earlier."""
    if not scheduled:
        return Phase.DRAFT
    if closed_at is not None and closed_at <= now:
        return Phase.CLOSED
    if now < opens_at:
        return Phase.UPCOMING
    if now >= closes_at:
        return Phase.CLOSED
    return Phase.OPEN


def is_frozen(current: Phase) -> bool:
    """Once a poll has opened, its questions and options never change: a ballot cast on the
    first day must mean the same as one cast on the last (and be counted the same way)."""
    return current in (Phase.OPEN, Phase.CLOSED)


def refusal(
    current: Phase,
    eligibility: Eligibility,
    units: Collection[str],
    *,
    is_resident: bool,
    unit: str | None,
    took_part: bool,
) -> Refusal | None:
    """None when the person may cast a ballot now; otherwise the first reason they may not."""
    if took_part:
        return Refusal.ALREADY
    if current == Phase.CLOSED:
        return Refusal.CLOSED
    if current != Phase.OPEN:
        return Refusal.NOT_OPEN_YET
    if (eligibility == Eligibility.RESIDENTS or units) and not is_resident:
        return Refusal.RESIDENTS_ONLY
    if units and unit not in units:
        return Refusal.OTHER_UNIT
    return None


def results_visible(
    shown: ResultsShown, current: Phase, *, took_part: bool, published: bool, is_staff: bool = False
) -> bool:
    """Results "after closing" wait for staff to publish them: a tally is checked first.
    Staff preview results at any time."""
    if is_staff:
        return current in (Phase.OPEN, Phase.CLOSED)
    if shown == ResultsShown.LIVE:
        return current in (Phase.OPEN, Phase.CLOSED)
    if shown == ResultsShown.AFTER_VOTING:
        return (current == Phase.OPEN and took_part) or current == Phase.CLOSED
    return current == Phase.CLOSED and published


def choice_count_problem(multiple: bool, max_choices: int | None, chosen: int) -> str | None:
    """ "none", "too_many" or None. Single choice: exactly one; multiple: 1 to the maximum."""
    if chosen == 0:
        return "none"
    if (not multiple and chosen > 1) or (multiple and max_choices and chosen > max_choices):
        return "too_many"
    return None


def percentage(part: int, whole: int) -> float:
    """Per cent with one decimal; 0 when nothing to divide (no ballots yet)."""
    return round(100 * part / whole, 1) if whole else 0.0
