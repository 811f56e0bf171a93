"""Every write about polls: one transaction each, audited.

Casting a ballot writes two unrelated rows in one transaction: the participation (who) and
the ballot (what). The audit log records that the person took part, never what they chose.
"""

import random
import secrets
import uuid
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.models import User
from dimos.core import audit
from dimos.polls import queries, rules
from dimos.polls.models import Ballot, BallotChoice, Option, Participation, Poll, Question

_RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I/L)
_shuffler = random.SystemRandom()
# Django's select_for_update() knows no shared lock (see _lock_for_ballot).
_POLL_FOR_SHARE = 'SELECT * FROM "polls_poll" WHERE "id" = %s FOR SHARE'


class RefusedError(Exception):
    """The person may not cast a ballot in this poll now; `reason` says why."""

    def __init__(self, reason: rules.Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def new_receipt_code() -> str:
    """Twelve random characters from 31 (about 59 bits), as `ABCD-EFGH-JKMN`."""
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def checked_options(poll: Poll, answers: Mapping[int, Sequence[int]]) -> list[int]:
    """The option ids of a complete, valid set of answers to the poll's questions."""
    questions = _questions_with_options(poll)
    chosen: list[int] = []
    for question, allowed in questions:
        picked = set(answers.get(question.pk, ()))
        problem = rules.choice_count_problem(question.multiple, question.max_choices, len(picked))
        if problem == "none" or not picked <= allowed:
            raise ValidationError(
                _("Answer the question “%(question)s”."),
                code="answer",
                params={"question": question.text},
            )
        if problem == "too_many":
            raise ValidationError(
                _("Choose at most %(max)s answers to “%(question)s”."),
                code="too_many",
                params={"max": question.max_choices or 1, "question": question.text},
            )
        chosen.extend(picked)
    if set(answers) - {question.pk for question, _allowed in questions}:
        raise ValidationError(_("The answers do not belong to this poll."), code="foreign")
    return chosen


def _questions_with_options(poll: Poll) -> list[tuple[Question, set[int]]]:
    """The poll's questions in order, each with its option ids, in one query (a question
    without options comes with an empty set)."""
    questions: dict[int, tuple[Question, set[int]]] = {}
    rows = (
        Question.objects.filter(poll=poll)
        .order_by("position", "id")
        .values_list("id", "text", "multiple", "max_choices", "options__id")
    )
    for pk, text, multiple, max_choices, option_id in rows:
        if pk not in questions:
            question = Question(
                pk=pk, poll=poll, text=text, multiple=multiple, max_choices=max_choices
            )
            questions[pk] = (question, set())
        if option_id is not None:
            questions[pk][1].add(option_id)
    return list(questions.values())


def do_cast_ballot(
    poll: Poll,
    person: User,
    answers: Mapping[int, Sequence[int]],
    request: HttpRequest | None = None,
) -> str:
    """Record that `person` took part and drop their answers into the ballot box; return the
    receipt code, which is shown to them once and stored nowhere that leads back to them."""
    if queries.took_part(poll, person):
        # Taking part is for good and outranks every other refusal: a second visit is told so
        # without opening a transaction (on SQLite, without waiting for the write lock).
        raise RefusedError(rules.Refusal.ALREADY)
    try:
        with transaction.atomic():
            locked = _lock_for_ballot(poll)
            # Whoever took part since the question above is stopped by the unique constraint.
            reason = queries.refusal_for(locked, person, known_took_part=False)
            if reason is not None:
                raise RefusedError(reason)
            # The unique constraint decides a race (two tabs, a hundred requests): a second
            # attempt waits here for the first and fails before any other work. The ballot is
            # written after it, in the same transaction, so a refused participation never
            # leaves a ballot behind, and bad answers leave no participation.
            Participation.objects.create(poll=locked, person=person)
            options = checked_options(locked, answers)
            receipt = new_receipt_code()
            ballot = Ballot.objects.create(poll=locked, receipt=receipt)
            _shuffler.shuffle(options)
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=ballot, option_id=o) for o in options]
            )
            audit.record("poll.took_part", locked, actor=person, request=request, subject=person)
    except IntegrityError:
        # Only the participation can collide: a receipt collision (1 in 10^17) would be a
        # 500 worth seeing, but it is told apart here by asking.
        if Participation.objects.filter(poll=poll, person=person).exists():
            raise RefusedError(rules.Refusal.ALREADY) from None
        raise
    return receipt


def _lock_for_ballot(poll: Poll) -> Poll:
    """The poll, read under a lock that voters share and staff's changes wait for.

    On PostgreSQL ballots take FOR SHARE: they do not queue behind each other, while closing
    the poll or changing it (FOR UPDATE, or any UPDATE of the row) waits for the ballots in
    flight, and a ballot that comes after the close waits for it and then sees the poll
    closed; so no ballot enters a closed poll, nor one whose questions changed under it.
    SQLite has no row locks: its write transaction (BEGIN IMMEDIATE) serialises every writer.
    """
    if connection.vendor != "postgresql":
        return Poll.objects.select_for_update().get(pk=poll.pk)
    found = list(Poll.objects.raw(_POLL_FOR_SHARE, [poll.pk]))
    if not found:
        raise Poll.DoesNotExist
    return found[0]


def reseal_ballot_box(poll: Poll) -> int:
    """Rewrite the poll's ballots in a random order, under new random ids.

    Rows are stored in the order they were written (PostgreSQL's heap, SQLite's rowid), and a
    participation is written next to its ballot. Rewriting the box in one shuffled batch
    erases that order (and, on PostgreSQL, gives every ballot the same inserting transaction)
    once dead rows are vacuumed. Receipt codes and answers stay the same. Call it with the
    poll locked: actions below do.
    """
    ballots = dict(Ballot.objects.filter(poll=poll).values_list("id", "receipt"))
    chosen: dict[uuid.UUID, list[int]] = {pk: [] for pk in ballots}
    for ballot_id, option_id in BallotChoice.objects.filter(ballot__poll=poll).values_list(
        "ballot_id", "option_id"
    ):
        chosen[ballot_id].append(option_id)
    contents = [(ballots[pk], chosen[pk]) for pk in ballots]
    BallotChoice.objects.filter(ballot__poll=poll).delete()
    Ballot.objects.filter(poll=poll).delete()
    _shuffler.shuffle(contents)
    new_ballots = [Ballot(id=uuid.uuid4(), poll=poll, receipt=r) for r, _o in contents]
    Ballot.objects.bulk_create(new_ballots, batch_size=500)
    new_choices = [
        BallotChoice(ballot=b, option_id=o)
        for b, (_r, options) in zip(new_ballots, contents, strict=True)
        for o in options
    ]
    _shuffler.shuffle(new_choices)
    BallotChoice.objects.bulk_create(new_choices, batch_size=500)
    return len(new_ballots)


def _lock(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll.pk)


def _refuse_if_frozen(poll: Poll) -> None:
    if poll.is_frozen:
        raise ValidationError(
            _("The poll is open or closed: its questions and answers can no longer be changed."),
            code="frozen",
        )


def do_save_poll(poll: Poll, clerk: User, request: HttpRequest | None = None) -> Poll:
    """Create a poll or change it while it has not opened."""
    with transaction.atomic():
        created = poll.pk is None
        if not created:
            _refuse_if_frozen(_lock(poll))
        else:
            poll.created_by = clerk
        poll.full_clean()
        poll.save()
        audit.record(
            "poll.created" if created else "poll.changed", poll, actor=clerk, request=request
        )
    return poll


def do_save_question(
    poll: Poll,
    clerk: User,
    *,
    text: str,
    multiple: bool,
    max_choices: int | None,
    options: Sequence[str],
    question: Question | None = None,
    request: HttpRequest | None = None,
) -> Question:
    """Add or change a question and its answers (replaced as a whole) before the poll opens."""
    options = [o.strip() for o in options if o.strip()]
    if len(options) < 2:
        raise ValidationError(_("Give at least two answers."), code="options")
    if len(set(options)) != len(options):
        raise ValidationError(_("Each answer must be different."), code="duplicates")
    if multiple and max_choices is not None and max_choices > len(options):
        raise ValidationError(
            _("The maximum cannot be more than the number of answers."), code="max"
        )
    with transaction.atomic():
        _refuse_if_frozen(_lock(poll))
        if question is None:
            question = Question(poll=poll, position=Question.objects.filter(poll=poll).count() + 1)
        question.text = text.strip()
        question.multiple = multiple
        question.max_choices = max_choices if multiple else None
        question.full_clean()
        question.save()
        question.options.all().delete()
        Option.objects.bulk_create(
            [Option(question=question, text=t, position=i) for i, t in enumerate(options, 1)]
        )
        audit.record("poll.question_saved", poll, actor=clerk, request=request)
    return question


def do_delete_question(question: Question, clerk: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        poll = _lock(question.poll)
        _refuse_if_frozen(poll)
        question.delete()
        audit.record("poll.question_deleted", poll, actor=clerk, request=request)


def do_schedule(poll: Poll, clerk: User, request: HttpRequest | None = None) -> None:
    """Make the poll public: it opens by itself at its opening time."""
    with transaction.atomic():
        locked = _lock(poll)
        if locked.scheduled:
            raise ValidationError(_("The poll is already scheduled."), code="scheduled")
        questions = list(locked.questions.prefetch_related("options"))
        if not questions:
            raise ValidationError(_("Add at least one question first."), code="questions")
        if any(len(q.options.all()) < 2 for q in questions):
            raise ValidationError(_("Every question needs at least two answers."), code="options")
        if locked.closes_at <= timezone.now():
            raise ValidationError(_("The closing time has already passed."), code="closes_at")
        locked.scheduled = True
        locked.save(update_fields=["scheduled"])
        audit.record("poll.scheduled", locked, actor=clerk, request=request)
    poll.refresh_from_db()


def do_unschedule(poll: Poll, clerk: User, request: HttpRequest | None = None) -> None:
    """Back to draft, only before it opens."""
    with transaction.atomic():
        locked = _lock(poll)
        if locked.phase() != rules.Phase.UPCOMING:
            raise ValidationError(_("Only a poll that has not opened can go back to draft."))
        locked.scheduled = False
        locked.save(update_fields=["scheduled"])
        audit.record("poll.unscheduled", locked, actor=clerk, request=request)
    poll.refresh_from_db()


def do_close_early(
    poll: Poll, clerk: User, reason: str, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        locked = _lock(poll)  # waits for ballots being cast right now
        if locked.phase() != rules.Phase.OPEN:
            raise ValidationError(_("Only an open poll can be closed early."), code="phase")
        if not reason.strip():
            raise ValidationError(_("Give the reason for closing the poll early."), code="reason")
        locked.closed_at = timezone.now()
        locked.close_reason = reason.strip()
        locked.save(update_fields=["closed_at", "close_reason"])
        reseal_ballot_box(locked)
        audit.record("poll.closed_early", locked, actor=clerk, request=request)
    poll.refresh_from_db()


def do_publish_results(poll: Poll, clerk: User, request: HttpRequest | None = None) -> None:
    """Publish the results, the receipt codes and the ballots of a closed poll."""
    with transaction.atomic():
        locked = _lock(poll)
        if locked.phase() != rules.Phase.CLOSED:
            raise ValidationError(_("Results are published after the poll closes."), code="phase")
        if locked.results_published:
            raise ValidationError(_("The results are already published."), code="published")
        reseal_ballot_box(locked)
        locked.results_published_at = timezone.now()
        locked.save(update_fields=["results_published_at"])
        audit.record("poll.results_published", locked, actor=clerk, request=request)
    poll.refresh_from_db()
