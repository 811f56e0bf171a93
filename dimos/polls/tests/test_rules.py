from datetime import UTC, datetime, timedelta

import pytest

from dimos.polls import rules
from dimos.polls.rules import Eligibility, Phase, Refusal, ResultsShown

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
OPENS, CLOSES = NOW - timedelta(days=1), NOW + timedelta(days=1)


@pytest.mark.parametrize(
    ("scheduled", "opens", "closes", "closed_at", "expected"),
    [
        (False, OPENS, CLOSES, None, Phase.DRAFT),
        (True, NOW + timedelta(seconds=1), CLOSES, None, Phase.UPCOMING),
        (True, NOW, CLOSES, None, Phase.OPEN),  # opens on the minute
        (True, OPENS, NOW, None, Phase.CLOSED),  # closes on the minute
        (True, OPENS, CLOSES, NOW - timedelta(minutes=1), Phase.CLOSED),
    ],
)
def test_phase(scheduled, opens, closes, closed_at, expected) -> None:  # type: ignore[no-untyped-def]
    assert rules.phase(scheduled, opens, closes, closed_at, NOW) == expected


def test_only_an_open_or_closed_poll_is_frozen() -> None:
    assert [p for p in Phase if rules.is_frozen(p)] == [Phase.OPEN, Phase.CLOSED]


@pytest.mark.parametrize(
    ("phase", "eligibility", "units", "resident", "unit", "took_part", "expected"),
    [
        (Phase.OPEN, Eligibility.RESIDENTS_AND_CITIZENS, [], False, None, False, None),
        (Phase.OPEN, Eligibility.RESIDENTS, [], False, None, False, Refusal.RESIDENTS_ONLY),
        (Phase.OPEN, Eligibility.RESIDENTS, [], True, None, False, None),
        (Phase.OPEN, Eligibility.RESIDENTS, ["Κοζάνης"], True, "Κοζάνης", False, None),
        (
            Phase.OPEN,
            Eligibility.RESIDENTS,
            ["Κοζάνης"],
            True,
            "Σιάτιστας",
            False,
            Refusal.OTHER_UNIT,
        ),
        (Phase.OPEN, Eligibility.RESIDENTS, ["Κοζάνης"], True, None, False, Refusal.OTHER_UNIT),
        (Phase.UPCOMING, Eligibility.RESIDENTS, [], True, None, False, Refusal.NOT_OPEN_YET),
        (Phase.DRAFT, Eligibility.RESIDENTS, [], True, None, False, Refusal.NOT_OPEN_YET),
        (Phase.CLOSED, Eligibility.RESIDENTS, [], True, None, False, Refusal.CLOSED),
        (Phase.OPEN, Eligibility.RESIDENTS, [], True, None, True, Refusal.ALREADY),
    ],
)
def test_refusal(phase, eligibility, units, resident, unit, took_part, expected) -> None:  # type: ignore[no-untyped-def]
    assert (
        rules.refusal(
            phase, eligibility, units, is_resident=resident, unit=unit, took_part=took_part
        )
        == expected
    )


@pytest.mark.parametrize(
    ("shown", "phase", "took_part", "published", "expected"),
    [
        (ResultsShown.LIVE, Phase.OPEN, False, False, True),
        (ResultsShown.LIVE, Phase.UPCOMING, False, False, False),
        (ResultsShown.AFTER_VOTING, Phase.OPEN, False, False, False),
        (ResultsShown.AFTER_VOTING, Phase.OPEN, True, False, True),
        (ResultsShown.AFTER_VOTING, Phase.CLOSED, False, False, True),
        (ResultsShown.AFTER_CLOSING, Phase.OPEN, True, False, False),
        (ResultsShown.AFTER_CLOSING, Phase.CLOSED, True, False, False),
        (ResultsShown.AFTER_CLOSING, Phase.CLOSED, False, True, True),
    ],
)
def test_results_visible(shown, phase, took_part, published, expected) -> None:  # type: ignore[no-untyped-def]
    assert rules.results_visible(shown, phase, took_part=took_part, published=published) == expected


@pytest.mark.parametrize(
    ("multiple", "maximum", "chosen", "expected"),
    [
        (False, None, 1, None),
        (False, None, 0, "none"),
        (False, None, 2, "too_many"),
        (True, 2, 2, None),
        (True, 2, 3, "too_many"),
        (True, None, 5, None),
        (True, 2, 0, "none"),
    ],
)
def test_choice_count(
    multiple: bool, maximum: int | None, chosen: int, expected: str | None
) -> None:
    assert rules.choice_count_problem(multiple, maximum, chosen) == expected


def test_percentage_has_one_decimal_and_survives_zero() -> None:
    assert rules.percentage(1, 3) == 33.3
    assert rules.percentage(0, 0) == 0.0
