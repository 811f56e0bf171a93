"""Reads that the poll pages share: eligibility, results, the published ballot box."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from dimos.accounts.models import User
from dimos.polls import rules
from dimos.polls.models import Ballot, BallotChoice, Option, Participation, Poll, Question
from dimos.registry.models import Family, Person


def visible_polls() -> QuerySet[Poll]:
    """What the public list shows: every scheduled poll (drafts stay with staff)."""
    return Poll.objects.filter(scheduled=True).order_by("-opens_at", "title")


def with_questions(qs: QuerySet[Poll]) -> QuerySet[Poll]:
    return qs.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("position", "id").prefetch_related(
                Prefetch("options", queryset=Option.objects.order_by("position", "id"))
            ),
        )
    )


def took_part(poll: Poll, person: Any) -> bool:
    return (
        person.is_authenticated and Participation.objects.filter(poll=poll, person=person).exists()
    )


def polls_taken_part_in(person: Any) -> set[int]:
    if not person.is_authenticated:
        return set()
    return set(Participation.objects.filter(person=person).values_list("poll_id", flat=True))


def municipal_unit_of(person: Any) -> str | None:
    """The resident's municipal unit, from the registry record verified as theirs."""
    unit: str | None = (
        Person.objects.filter(account=person)
        .values_list("family__municipal_unit", flat=True)
        .first()
    )
    return unit


def refusal_for(
    poll: Poll, person: Any, *, known_took_part: bool | None = None
) -> rules.Refusal | None:
    """Why `person` may not cast a ballot now, if they may not; `known_took_part` spares
    the question when the caller has just asked it."""
    return rules.refusal(
        poll.phase(),
        rules.Eligibility(poll.eligibility),
        poll.municipal_units,
        is_resident=bool(person.is_resident),
        unit=municipal_unit_of(person) if poll.municipal_units else None,
        took_part=took_part(poll, person) if known_took_part is None else known_took_part,
    )


def municipal_units() -> list[str]:
    """The units named in the registry, for staff to limit a poll to some of them."""
    return list(
        Family.objects.exclude(municipal_unit="")
        .order_by("municipal_unit")
        .values_list("municipal_unit", flat=True)
        .distinct()
    )


def eligible_population(poll: Poll) -> int:
    """How many accounts may take part today: the denominator of the turnout."""
    people = User.objects.filter(is_active=True)
    if poll.eligibility == rules.Eligibility.RESIDENTS or poll.municipal_units:
        people = people.filter(resident_since__isnull=False)
        if poll.municipal_units:
            people = people.filter(registry_person__family__municipal_unit__in=poll.municipal_units)
        return people.count()
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return people.filter(pk__in=verified).count()


BAR_STEP = 48  # px per option in the chart: a line of text and a bar


@dataclass
class OptionResult:
    option: Option
    count: int
    share: float  # per cent of the ballots that answered the question


@dataclass
class QuestionResult:
    question: Question
    answered: int  # ballots with at least one answer to this question
    options: list[OptionResult] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return BAR_STEP * len(self.options)

    @property
    def bars(self) -> list[tuple[OptionResult, int, int]]:
        """(result, y of the label, y of the bar) for the server-drawn SVG chart; a bar's length
        is the option's share of the answers, so the chart and the table say the same."""
        return [(o, i * BAR_STEP + 16, i * BAR_STEP + 22) for i, o in enumerate(self.options)]


@dataclass
class PollResults:
    participants: int
    eligible: int
    questions: list[QuestionResult]

    @property
    def turnout(self) -> float:
        return rules.percentage(self.participants, self.eligible)


def results(poll: Poll) -> PollResults:
    """Counts and shares per option, from the ballot box; the same number of queries
    whatever the number of questions, options or ballots."""
    questions = list(
        Question.objects.filter(poll=poll)
        .order_by("position", "id")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "id")))
    )
    per_option = dict(
        BallotChoice.objects.filter(ballot__poll=poll)
        .values("option_id")
        .annotate(n=Count("id"))
        .values_list("option_id", "n")
    )
    per_question = dict(
        BallotChoice.objects.filter(ballot__poll=poll)
        .values("option__question_id")
        .annotate(n=Count("ballot_id", distinct=True))
        .values_list("option__question_id", "n")
    )
    out = []
    for question in questions:
        answered = per_question.get(question.pk, 0)
        out.append(
            QuestionResult(
                question=question,
                answered=answered,
                options=[
                    OptionResult(
                        option=o,
                        count=per_option.get(o.pk, 0),
                        share=rules.percentage(per_option.get(o.pk, 0), answered),
                    )
                    for o in question.options.all()
                ],
            )
        )
    return PollResults(
        participants=Participation.objects.filter(poll=poll).count(),
        eligible=eligible_population(poll),
        questions=out,
    )


# A closed ballot box no longer changes; the turnout's denominator (accounts) follows within this.
CLOSED_RESULTS_CACHE_SECONDS = 300
# A ballot whose transaction began before the closing time may commit just after it.
CLOSING_GRACE = timedelta(minutes=1)


def shown_results(poll: Poll, now: datetime | None = None) -> PollResults:
    """The results a page shows: counted afresh while the poll is open, kept in the cache once
    it has closed (a closed poll is read by many and counting ballots costs the same each
    time)."""
    now = now or timezone.now()
    if now < poll.ends_at + CLOSING_GRACE:
        return results(poll)
    key = f"polls:results:{poll.pk}:{poll.ends_at.timestamp()}"
    found: PollResults | None = cache.get(key)
    if found is None:
        found = results(poll)
        cache.set(key, found, CLOSED_RESULTS_CACHE_SECONDS)
    return found


def published_receipts(poll: Poll) -> QuerySet[Ballot]:
    """The receipt codes of the counted ballots, in the order of the codes themselves."""
    return Ballot.objects.filter(poll=poll).order_by("receipt")


def ballot_rows(poll: Poll) -> Iterator[tuple[str, dict[int, list[int]]]]:
    """(receipt, {question id: [option ids]}) per ballot, by receipt code."""
    chosen: dict[Any, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for ballot_id, question_id, option_id in BallotChoice.objects.filter(
        ballot__poll=poll
    ).values_list("ballot_id", "option__question_id", "option_id"):
        chosen[ballot_id][question_id].append(option_id)
    for ballot_id, receipt in published_receipts(poll).values_list("id", "receipt"):
        yield receipt, chosen.get(ballot_id, {})


def staff_polls() -> QuerySet[Poll]:
    return Poll.objects.annotate(participants=Count("participations")).order_by(
        "-opens_at", "title"
    )


def waiting_for_staff() -> int:
    """Closed polls whose results are not yet published, and drafts."""
    return sum(
        1
        for p in Poll.objects.filter(results_published_at__isnull=True)
        if p.phase() in (rules.Phase.CLOSED, rules.Phase.DRAFT)
    )
