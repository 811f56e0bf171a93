from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.polls import actions, queries
from dimos.polls.models import Ballot, BallotChoice, Option, Participation, Poll, Question
from dimos.polls.tests.conftest import answers_for, build_poll
from dimos.registry.models import Family, Person
from dimos.testing import make_person

pytestmark = pytest.mark.django_db


def counts(poll: Poll) -> dict[str, int]:
    return {o.option.text: o.count for q in queries.results(poll).questions for o in q.options}


def test_casting_writes_a_participation_and_an_unlinked_ballot(resident: User) -> None:
    poll = build_poll()
    receipt = actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0, 2]))
    assert len(receipt) == 14 and receipt.count("-") == 2
    assert Participation.objects.get().person == resident
    ballot = Ballot.objects.get()
    assert ballot.receipt == receipt
    assert set(ballot.choices.values_list("option__text", flat=True)) == {
        "Ναι",
        "Δέντρα",
        "Ποδηλατόδρομο",
    }
    event = AuditEvent.objects.get(action="poll.took_part")
    assert event.actor == resident and event.details == {}


def test_second_ballot_of_the_same_person_is_refused_and_writes_nothing(resident: User) -> None:
    poll = build_poll()
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    with pytest.raises(actions.RefusedError) as refused:
        actions.do_cast_ballot(poll, resident, answers_for(poll, [1], [1]))
    assert refused.value.reason == "already"
    assert Ballot.objects.count() == Participation.objects.count() == 1
    assert counts(poll)["Ναι"] == 1 and counts(poll)["Όχι"] == 0


def test_citizen_cannot_take_part_in_a_poll_for_residents(citizen: User) -> None:
    poll = build_poll(eligibility="residents")
    with pytest.raises(actions.RefusedError) as refused:
        actions.do_cast_ballot(poll, citizen, answers_for(poll, [0], [0]))
    assert refused.value.reason == "residents_only"
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_citizen_takes_part_in_a_poll_for_residents_and_citizens(citizen: User) -> None:
    poll = build_poll()
    actions.do_cast_ballot(poll, citizen, answers_for(poll, [1], [1]))
    assert Ballot.objects.count() == 1


def _in_unit(user: User, unit: str, number: str) -> None:
    family = Family.objects.create(number=number, municipal_unit=unit)
    Person.objects.create(
        family=family, first_name="Α", last_name="Β", birth_date=date(1980, 1, 1), account=user
    )


def test_poll_limited_to_units_takes_only_their_residents(
    resident: User, other_resident: User
) -> None:
    poll = build_poll(eligibility="residents", municipal_units=["Κοζάνης"])
    _in_unit(resident, "Κοζάνης", "1")
    _in_unit(other_resident, "Σιάτιστας", "2")
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    with pytest.raises(actions.RefusedError) as refused:
        actions.do_cast_ballot(poll, other_resident, answers_for(poll, [0], [0]))
    assert refused.value.reason == "other_unit"
    assert queries.eligible_population(poll) == 1


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "reason"),
    [
        (timedelta(hours=1), timedelta(days=1), "not_open_yet"),
        (-timedelta(days=2), -timedelta(days=1), "closed"),
    ],
)
def test_outside_the_open_period_nothing_is_written(
    resident: User, opens_in: timedelta, closes_in: timedelta, reason: str
) -> None:
    poll = build_poll(opens_in=opens_in, closes_in=closes_in)
    with pytest.raises(actions.RefusedError) as refused:
        actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    assert refused.value.reason == reason
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_draft_poll_takes_no_ballots(resident: User) -> None:
    poll = build_poll(scheduled=False)
    with pytest.raises(actions.RefusedError):
        actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))


@pytest.mark.parametrize(
    "picks",
    [([0, 1], [0]), ([0], [0, 1, 2]), ([0], [])],
    ids=["two answers to a single choice", "over the maximum", "unanswered"],
)
def test_bad_answers_are_refused_and_nothing_is_written(resident: User, picks: Any) -> None:
    poll = build_poll()
    with pytest.raises(ValidationError):
        actions.do_cast_ballot(poll, resident, answers_for(poll, *picks))
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_an_option_of_another_poll_is_refused(resident: User) -> None:
    poll, other = build_poll(), build_poll(title="Άλλη")
    answers = answers_for(poll, [0], [0])
    first = poll.questions.order_by("position").first()
    assert first is not None
    answers[first.pk] = [Option.objects.filter(question__poll=other).first().pk]  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        actions.do_cast_ballot(poll, resident, answers)
    assert not Participation.objects.exists()


def test_results_equal_the_ballots_and_the_published_csv_recomputes_them(clerk: User) -> None:
    poll = build_poll()
    picks = [([0], [0, 1]), ([1], [2]), ([0], [1]), ([0], [0, 1]), ([1], [0])]
    for i, p in enumerate(picks):
        actions.do_cast_ballot(poll, make_person(f"v{i}@example.gr"), answers_for(poll, *p))
    data = queries.results(poll)
    assert data.participants == 5
    q1, q2 = data.questions
    assert [(o.option.text, o.count, o.share) for o in q1.options] == [
        ("Ναι", 3, 60.0),
        ("Όχι", 2, 40.0),
    ]
    assert [o.count for o in q2.options] == [3, 3, 1] and q2.answered == 5
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    actions.do_publish_results(poll, clerk)
    rows = list(queries.ballot_rows(poll))
    assert len(rows) == 5
    recount: dict[int, int] = {}
    for _receipt, chosen in rows:
        for option_ids in chosen.values():
            for o in option_ids:
                recount[o] = recount.get(o, 0) + 1
    assert {Option.objects.get(pk=k).text: v for k, v in recount.items()} == {
        k: v for k, v in counts(poll).items() if v
    }


def test_questions_are_frozen_once_the_poll_opens(clerk: User) -> None:
    poll = build_poll()
    question = poll.questions.first()
    assert question is not None
    with pytest.raises(ValidationError):
        actions.do_save_question(
            poll, clerk, text="Νέα", multiple=False, max_choices=None, options=["α", "β"]
        )
    with pytest.raises(ValidationError):
        actions.do_delete_question(question, clerk)
    with pytest.raises(ValidationError):
        question.full_clean()
    option = Option.objects.filter(question=question).first()
    assert option is not None
    with pytest.raises(ValidationError):
        option.full_clean()
    poll.title = "Άλλος τίτλος"
    with pytest.raises(ValidationError):
        actions.do_save_poll(poll, clerk)
    assert Question.objects.filter(poll=poll).count() == 2


def test_upcoming_poll_can_still_change(clerk: User) -> None:
    poll = build_poll(opens_in=timedelta(days=1))
    actions.do_save_question(
        poll, clerk, text="Τρίτη ερώτηση;", multiple=True, max_choices=2, options=["α", "β", "γ"]
    )
    assert poll.questions.count() == 3


def test_staff_create_schedule_close_early_and_publish(clerk: User, resident: User) -> None:
    now = timezone.now()
    poll = actions.do_save_poll(
        Poll(title="Νέα", description="Π", opens_at=now, closes_at=now + timedelta(days=3)), clerk
    )
    with pytest.raises(ValidationError):
        actions.do_schedule(poll, clerk)  # no questions yet
    actions.do_save_question(
        poll, clerk, text="Ναι ή όχι;", multiple=False, max_choices=None, options=["Ναι", "Όχι"]
    )
    actions.do_schedule(poll, clerk)
    assert poll.phase() == "open"
    actions.do_cast_ballot(poll, resident, answers_for(poll, [1]))
    with pytest.raises(ValidationError):
        actions.do_close_early(poll, clerk, "  ")
    actions.do_close_early(poll, clerk, "Απόφαση του δημοτικού συμβουλίου.")
    assert poll.phase() == "closed" and poll.close_reason
    actions.do_publish_results(poll, clerk)
    assert poll.results_published
    with pytest.raises(ValidationError):
        actions.do_publish_results(poll, clerk)
    assert list(
        AuditEvent.objects.filter(object_type="polls.poll", object_id=str(poll.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "poll.created",
        "poll.question_saved",
        "poll.scheduled",
        "poll.took_part",
        "poll.closed_early",
        "poll.results_published",
    ]
    assert counts(poll) == {"Ναι": 0, "Όχι": 1}


def test_receipt_codes_are_random_and_readable() -> None:
    codes = {actions.new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 14 and not set(c) & set("01ILO") for c in codes)


def test_a_question_without_answers_refuses_every_ballot(resident: User) -> None:
    poll = build_poll(questions=[("Ερώτηση χωρίς απαντήσεις;", False, None, [])])
    question = poll.questions.get()
    with pytest.raises(ValidationError) as refused:
        actions.do_cast_ballot(poll, resident, {question.pk: []})
    assert refused.value.code == "answer"
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_bad_answers_after_a_ballot_are_refused_as_already_taken_part(resident: User) -> None:
    poll = build_poll()
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    with pytest.raises(actions.RefusedError) as refused:
        actions.do_cast_ballot(poll, resident, {})
    assert refused.value.reason == "already"


def test_casting_runs_the_same_queries_for_one_and_many_questions(
    resident: User, other_resident: User, django_assert_num_queries: Any
) -> None:
    small = build_poll(questions=[("Ναι ή όχι;", False, None, ["Ναι", "Όχι"])])
    large = build_poll(
        questions=[(f"Ερώτηση {i};", True, None, ["α", "β", "γ", "δ"]) for i in range(8)]
    )
    small_answers, large_answers = answers_for(small, [0]), answers_for(large, *[[0, 1, 2]] * 8)
    # Asked once before the transaction (taken part?), then: savepoint, poll under lock,
    # participation, questions with their answers, ballot, its choices, audit, release.
    with django_assert_num_queries(9):
        actions.do_cast_ballot(small, resident, small_answers)
    with django_assert_num_queries(9):
        actions.do_cast_ballot(large, other_resident, large_answers)
    assert BallotChoice.objects.filter(ballot__poll=large).count() == 24


def test_a_second_visit_is_refused_with_one_query(
    resident: User, django_assert_num_queries: Any
) -> None:
    poll = build_poll()
    answers = answers_for(poll, [0], [0])
    actions.do_cast_ballot(poll, resident, answers)
    with django_assert_num_queries(1), pytest.raises(actions.RefusedError):
        actions.do_cast_ballot(poll, resident, answers)
