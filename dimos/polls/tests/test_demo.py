import io

import pytest
from django.test import Client

from dimos.accounts import demo as accounts_demo
from dimos.accounts.models import User
from dimos.polls import actions, demo, queries
from dimos.polls.models import Ballot, Poll

pytestmark = pytest.mark.django_db


def test_demo_has_open_closed_and_future_polls_and_loads_twice(client: Client) -> None:
    out = io.StringIO()
    accounts_demo.load(out)
    demo.load(out)
    demo.load(out)  # idempotent
    phases = {p.title: p.phase() for p in Poll.objects.all()}
    assert phases == {
        demo.OPEN_TITLE: "open",
        demo.CLOSED_TITLE: "closed",
        demo.FUTURE_TITLE: "upcoming",
    }
    closed = Poll.objects.get(title=demo.CLOSED_TITLE)
    assert closed.results_published and queries.results(closed).participants == 12
    street = Poll.objects.get(title=demo.OPEN_TITLE)
    assert street.questions.count() == 2 and Ballot.objects.filter(poll=street).count() == 9
    clerk = User.objects.get(email="ypallilos@example.gr")
    assert clerk.has_perm("polls.change_poll")
    # The demo resident and citizen can each take part once.
    for email in ("dimotis@example.gr", "politis@example.gr"):
        person = User.objects.get(email=email)
        answers = {
            q.pk: [q.options.first().pk]  # type: ignore[union-attr]
            for q in street.questions.all()
        }
        actions.do_cast_ballot(street, person, answers)
        with pytest.raises(actions.RefusedError):
            actions.do_cast_ballot(street, person, answers)
