"""Scale data of polls: three closed polls with published results and ballots from about
10 % of the residents, and one open poll that the benchmark's 500 voters have not voted in.

Secrecy as the cast action and the resealing leave it: participations (who) and ballots
(what) in unrelated orders, ballots and their choices under random ids, shuffled.
"""

import datetime as dt
import random
import uuid

from django.utils import timezone

from dimos.core import scale
from dimos.polls import rules
from dimos.polls.actions import _RECEIPT_ALPHABET
from dimos.polls.models import Ballot, BallotChoice, Option, Participation, Poll, Question

VOTER_SHARE = 0.10  # of all residents, per closed poll
OPEN_POLL_VOTER_SHARE = 0.02
# (title, description, [(question, [answers], at most)])
CLOSED_POLLS = [
    (
        "Ωράριο της Δημοτικής Βιβλιοθήκης το Σάββατο",
        "Να μένει ανοιχτή η Δημοτική Βιβλιοθήκη και τα Σάββατα;",
        [("Ποιο ωράριο προτιμάτε για το Σάββατο;",
          ["09:00–14:00", "17:00–21:00", "Να μένει κλειστή"], 0)],
    ),
    (
        "Ανάπλαση της Πλατείας Λασσάνη",
        "Ο Δήμος ετοιμάζει την ανάπλαση της Πλατείας Λασσάνη. Πείτε μας τι θέλετε να έχει.",
        [
            ("Συμφωνείτε με την ανάπλαση της πλατείας;", ["Ναι", "Όχι"], 0),
            ("Τι θα θέλατε να έχει η πλατεία; (έως 2 απαντήσεις)",
             ["Δέντρα και πράσινο", "Παγκάκια", "Παιδική χαρά", "Σιντριβάνι"], 2),
        ],
    ),
    (
        "Δρομολόγια της δημοτικής συγκοινωνίας",
        "Ποια γραμμή της αστικής συγκοινωνίας χρειάζεται πιο συχνά δρομολόγια;",
        [("Ποια γραμμή χρειάζεται πιο συχνά δρομολόγια;",
          ["Κέντρο – Νοσοκομείο", "Κέντρο – Πανεπιστήμιο", "Κέντρο – Κοίλα", "Κέντρο – ΖΕΠ"], 0)],
    ),
]  # fmt: skip
OPEN_POLL = (
    "Πεζόδρομος στην οδό Μακεδονίας",
    "Ο Δήμος εξετάζει να γίνει πεζόδρομος το τμήμα της οδού Μακεδονίας από την Πλατεία Νίκης "
    "έως την οδό Πασχίδου. Πείτε μας τη γνώμη σας.",
    [
        ("Συμφωνείτε να γίνει πεζόδρομος η οδός Μακεδονίας;", ["Ναι", "Όχι"], 0),
        ("Τι θα θέλατε να έχει ο πεζόδρομος; (έως 2 απαντήσεις)",
         ["Δέντρα και πράσινο", "Παγκάκια", "Ποδηλατόδρομο", "Τραπεζοκαθίσματα"], 2),
    ],
)  # fmt: skip

Questions = list[tuple[str, list[str], int]]


def _poll(title: str, description: str, opens: dt.datetime, closes: dt.datetime) -> Poll:
    return Poll.objects.create(
        title=title,
        description=description,
        opens_at=opens,
        closes_at=closes,
        eligibility=Poll.Eligibility.RESIDENTS,
        results_shown=Poll.ResultsShown.AFTER_CLOSING,
        scheduled=True,
        created_at=opens - dt.timedelta(days=7),
    )


def _questions(poll: Poll, questions: Questions) -> list[tuple[list[int], int]]:
    """The questions with their option ids and how many answers each allows (1 for one)."""
    made = []
    for position, (text, answers, maximum) in enumerate(questions, 1):
        question = Question.objects.create(
            poll=poll, text=text, position=position, multiple=maximum > 0,
            max_choices=maximum or None,
        )  # fmt: skip
        options = Option.objects.bulk_create(
            [Option(question=question, text=a, position=i) for i, a in enumerate(answers, 1)]
        )
        made.append(([o.pk for o in options], maximum or 1))
    return made


def _receipt(rng: random.Random, taken: set[str]) -> str:
    while True:
        raw = "".join(rng.choices(_RECEIPT_ALPHABET, k=12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if code not in taken:
            taken.add(code)
            return code


def _cast(
    ctx: scale.ScaleContext,
    rng: random.Random,
    poll: Poll,
    questions: list[tuple[list[int], int]],
    voters: list[scale.ScaleAccount],
    until: dt.datetime,
    taken: set[str],
) -> None:
    participations = sorted(
        (scale.moment_between(rng, poll.opens_at, until), voter.pk) for voter in voters
    )
    ctx.insert(
        Participation,
        ["poll_id", "person_id", "at"],
        ((poll.pk, p, at) for at, p in participations),
    )
    ballots = []
    choices: list[tuple[uuid.UUID, uuid.UUID, int]] = []
    for _voter in voters:
        ballot = uuid.UUID(int=rng.getrandbits(128), version=4)
        ballots.append((ballot, poll.pk, _receipt(rng, taken)))
        for options, at_most in questions:
            # Popular answers first: results that are not a flat line.
            weights = [len(options) - i + 1 for i in range(len(options))]
            picked = set(rng.choices(options, weights, k=rng.randint(1, at_most)))
            choices.extend(
                (uuid.UUID(int=rng.getrandbits(128), version=4), ballot, o) for o in picked
            )
    rng.shuffle(ballots)
    rng.shuffle(choices)
    ctx.insert(Ballot, ["id", "poll_id", "receipt"], ballots)
    ctx.insert(BallotChoice, ["id", "ballot_id", "option_id"], choices)


def generate(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("polls")
    now = timezone.now()
    residents = scale.scale_accounts(ctx)
    fixture_voters = scale.fixture_residents(residents)
    taken = set(Ballot.objects.values_list("receipt", flat=True))
    voters_per_poll = min(round(ctx.residents * VOTER_SHARE), len(residents))
    closed_ids = []
    for n, (title, description, questions) in enumerate(CLOSED_POLLS):
        opens = now - dt.timedelta(days=400 * (n + 1))
        closes = opens + dt.timedelta(days=21)
        poll = _poll(title, description, opens, closes)
        made = _questions(poll, questions)
        _cast(ctx, rng, poll, made, rng.sample(residents, voters_per_poll), closes, taken)
        Poll.objects.filter(pk=poll.pk).update(results_published_at=closes + dt.timedelta(days=1))
        closed_ids.append(poll.pk)
    title, description, questions = OPEN_POLL
    poll = _poll(title, description, now - dt.timedelta(days=3), now + dt.timedelta(days=30))
    assert poll.phase(now) == rules.Phase.OPEN
    made = _questions(poll, questions)
    excluded = {v.pk for v in fixture_voters}
    others = [r for r in residents if r.pk not in excluded]
    early = rng.sample(others, min(round(ctx.residents * OPEN_POLL_VOTER_SHARE), len(others)))
    _cast(ctx, rng, poll, made, early, now, taken)
    latest = closed_ids[0]
    voter = (
        Participation.objects.filter(poll_id=latest)
        .order_by("pk")
        .values_list("person__email", flat=True)
        .first()
    )
    ctx.fixtures["poll_results"] = {"poll_id": latest, "email": voter}
    ctx.fixtures["open_poll"] = {
        "poll_id": poll.pk,
        "voter_emails": [v.email for v in fixture_voters],
    }
    ctx.say(f"polls: {len(closed_ids)} closed with {voters_per_poll} ballots each, one open")


scale.register("polls", generate, after=["registry"])
