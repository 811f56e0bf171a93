"""A closed poll's results are counted once and then read from the cache; open ones never."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.accounts.models import User
from dimos.polls import actions, queries
from dimos.polls.models import Poll
from dimos.polls.tests.conftest import answers_for, build_poll

pytestmark = pytest.mark.django_db


def _closed_poll_with_ballots(*voters: User, closed_ago: timedelta) -> Poll:
    poll = build_poll(results_shown="live")
    for voter in voters:
        actions.do_cast_ballot(poll, voter, answers_for(poll, [0], [1]))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - closed_ago)
    return Poll.objects.get(pk=poll.pk)


def test_closed_poll_results_are_counted_once(resident: User, citizen: User) -> None:
    poll = _closed_poll_with_ballots(resident, citizen, closed_ago=timedelta(hours=1))
    first = queries.shown_results(poll)
    with CaptureQueriesContext(connection) as again:
        second = queries.shown_results(poll)
    assert len(again) == 0
    assert second.participants == first.participants == 2
    assert [o.count for o in second.questions[0].options] == [2, 0]


def test_open_poll_results_are_counted_on_every_page(resident: User, citizen: User) -> None:
    poll = build_poll(results_shown="live")
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [1]))
    assert queries.shown_results(poll).participants == 1
    actions.do_cast_ballot(poll, citizen, answers_for(poll, [1], [1]))
    assert queries.shown_results(poll).participants == 2


def test_just_closed_poll_is_still_counted_afresh(resident: User) -> None:
    """A ballot begun before the closing time may commit just after it."""
    poll = _closed_poll_with_ballots(resident, closed_ago=timedelta(seconds=10))
    queries.shown_results(poll)
    with CaptureQueriesContext(connection) as again:
        queries.shown_results(poll)
    assert len(again) > 0


def test_results_page_of_closed_poll_shows_the_cached_counts(
    client_for: Callable[[User], Client], resident: User, citizen: User
) -> None:
    poll = _closed_poll_with_ballots(resident, citizen, closed_ago=timedelta(days=1))
    browser = client_for(citizen)
    first = browser.get(f"/polls/{poll.pk}/results/")
    second = browser.get(f"/polls/{poll.pk}/results/")
    assert first.status_code == second.status_code == 200
    for page in (first.content.decode(), second.content.decode()):
        assert re.search(r"Ναι</th><td[^>]*>2</td>", page)
        assert re.search(r"Παγκάκια</th><td[^>]*>2</td>", page)
