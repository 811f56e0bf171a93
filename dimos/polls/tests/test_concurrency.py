"""On PostgreSQL with real threads: one participation per person, whatever the race."""

import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dimos.polls import actions, rules
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


def test_voters_do_not_wait_for_each_other_on_the_poll_lock() -> None:
    poll = build_poll()
    person = make_person("second@example.gr", resident_since=timezone.now())
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_the_ballot_lock() -> None:
        try:
            with transaction.atomic():
                actions._lock_for_ballot(poll)
                holding.set()
                release.wait()
        except BaseException as exc:
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    first = threading.Thread(target=hold_the_ballot_lock)
    first.start()
    holding.wait()
    try:
        with connection.cursor() as cursor:
            # Were ballots to queue behind one another, this one would fail instead of waiting.
            cursor.execute("SET lock_timeout = '20s'")
        actions.do_cast_ballot(poll, person, answers_for(poll, [0], [0]))
    finally:
        release.set()
        first.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert errors == []
    assert Participation.objects.filter(poll=poll).count() == 1


def _until_waiting_on_locks(count: int) -> None:
    """Poll PostgreSQL until `count` sessions wait on a lock (this thread is in autocommit,
    so each look is fresh)."""
    for _ in range(1000):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.01)
    pytest.fail(f"{count} sessions never waited on a lock")


def _counting_reseal(monkeypatch: pytest.MonkeyPatch, before: Any = None) -> list[int]:
    """What the ballot box held when the close sealed it, inside the close's transaction."""
    sealed: list[int] = []
    original = actions.reseal_ballot_box

    def reseal(locked: Any) -> int:
        if before is not None:
            before()
        sealed.append(original(locked))
        return sealed[-1]

    monkeypatch.setattr(actions, "reseal_ballot_box", reseal)
    return sealed


def _in_thread(work: Any, outcomes: list[str]) -> threading.Thread:
    def run() -> None:
        try:
            work()
            outcomes.append("done")
        except actions.RefusedError as refused:
            outcomes.append(refused.reason.value)
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_closing_early_waits_for_the_ballot_being_cast(monkeypatch: pytest.MonkeyPatch) -> None:
    poll = build_poll()
    clerk = make_person("clerk@example.gr")
    voter = make_person("voter@example.gr", resident_since=timezone.now())
    answers = answers_for(poll, [0], [1])
    sealed = _counting_reseal(monkeypatch)
    in_flight, release = threading.Event(), threading.Event()
    original_check = actions.checked_options

    def check_slowly(locked: Any, given: Any) -> list[int]:
        in_flight.set()
        release.wait()
        return original_check(locked, given)

    monkeypatch.setattr(actions, "checked_options", check_slowly)
    vote_outcome: list[str] = []
    close_outcome: list[str] = []
    voting = _in_thread(lambda: actions.do_cast_ballot(poll, voter, answers), vote_outcome)
    in_flight.wait()
    closing = _in_thread(lambda: actions.do_close_early(poll, clerk, "Λάθος"), close_outcome)
    try:
        _until_waiting_on_locks(1)  # the close waits for the ballot holding the poll's lock
    finally:
        release.set()
        voting.join()
        closing.join()

    assert vote_outcome == ["done"] and close_outcome == ["done"]
    assert sealed == [1]  # the ballot was in the box when the close sealed it
    assert Ballot.objects.filter(poll=poll).count() == 1
    poll.refresh_from_db()
    assert poll.phase() == rules.Phase.CLOSED


def test_ballots_arriving_while_the_poll_closes_wait_and_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poll = build_poll()
    clerk = make_person("clerk@example.gr")
    early = [make_person(f"e{i}@example.gr", resident_since=timezone.now()) for i in range(5)]
    late = [make_person(f"l{i}@example.gr", resident_since=timezone.now()) for i in range(10)]
    answers = answers_for(poll, [1], [0])
    for person in early:
        actions.do_cast_ballot(poll, person, answers)
    sealing, go_on = threading.Event(), threading.Event()

    def pause_while_holding_the_lock() -> None:
        sealing.set()
        go_on.wait()

    sealed = _counting_reseal(monkeypatch, before=pause_while_holding_the_lock)
    close_outcome: list[str] = []
    closing = _in_thread(lambda: actions.do_close_early(poll, clerk, "Λάθος"), close_outcome)
    sealing.wait()
    late_outcomes: list[str] = []
    voting = [
        _in_thread(lambda p=p: actions.do_cast_ballot(poll, p, answers), late_outcomes)
        for p in late
    ]
    try:
        _until_waiting_on_locks(len(late))  # every late ballot waits for the close
    finally:
        go_on.set()
        for thread in [closing, *voting]:
            thread.join()

    assert close_outcome == ["done"]
    assert late_outcomes == ["closed"] * len(late)
    assert sealed == [len(early)]
    assert Ballot.objects.filter(poll=poll).count() == len(early)
    assert Participation.objects.filter(poll=poll).count() == len(early)
