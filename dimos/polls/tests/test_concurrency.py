"""On PostgreSQL with real threads: one participation per person, whatever the race."""

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dimos.polls import actions
from dimos.polls.models import Ballot, BallotChoice, Participation
from dimos.polls.tests.conftest import answers_for, build_poll
from dimos.testing import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 40  # within PostgreSQL's default 100 connections, with room for others


def race(work: Any, per_thread: list[list[Any]]) -> tuple[Counter[str], list[BaseException]]:
    barrier = threading.Barrier(len(per_thread))
    outcomes: Counter[str] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(items: list[Any]) -> None:
        try:
            barrier.wait()
            for item in items:
                try:
                    work(item)
                    outcome = "cast"
                except actions.RefusedError as refused:
                    outcome = refused.reason.value
                with lock:
                    outcomes[outcome] += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(items,)) for items in per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, errors


def test_a_hundred_racing_ballots_of_one_person_give_exactly_one() -> None:
    poll = build_poll()
    person = make_person("racer@example.gr", resident_since=timezone.now())
    answers = answers_for(poll, [0], [1, 2])
    attempts = [[answers] * (3 if i < 20 else 2) for i in range(THREADS)]  # 100 in all
    assert sum(map(len, attempts)) == 100

    outcomes, errors = race(lambda a: actions.do_cast_ballot(poll, person, a), attempts)

    assert errors == []
    assert outcomes == Counter({"cast": 1, "already": 99})
    assert Participation.objects.filter(poll=poll, person=person).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert BallotChoice.objects.filter(ballot__poll=poll).count() == 3


def test_forty_people_voting_at_once_all_get_counted() -> None:
    poll = build_poll()
    people = [
        make_person(f"p{i}@example.gr", resident_since=timezone.now()) for i in range(THREADS)
    ]
    answers = answers_for(poll, [1], [0])

    outcomes, errors = race(
        lambda p: actions.do_cast_ballot(poll, p, answers), [[p] for p in people]
    )

    assert errors == []
    assert outcomes == Counter({"cast": THREADS})
    assert Participation.objects.filter(poll=poll).count() == THREADS
    assert Ballot.objects.filter(poll=poll).values("receipt").distinct().count() == THREADS
