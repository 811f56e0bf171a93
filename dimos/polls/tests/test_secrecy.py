"""With full access to the database, who took part cannot be joined to what they chose."""

import json
import logging
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from dimos.core.models import AuditEvent
from dimos.polls import actions, queries
from dimos.polls.models import Ballot, BallotChoice, Participation, Poll
from dimos.polls.tests.conftest import answers_for, build_poll
from dimos.testing import make_person

pytestmark = pytest.mark.django_db


def columns(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        return {
            c.name
            for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        }


def physical_order(poll: Poll) -> list[str]:
    """The receipts in the order the rows lie in storage (PostgreSQL heap, SQLite rowid)."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT receipt FROM polls_ballot WHERE poll_id = %s ORDER BY {order}",  # noqa: S608
            [poll.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def tally(poll: Poll) -> dict[str, int]:
    return {
        f"{q.question.text}/{o.option.text}": o.count
        for q in queries.results(poll).questions
        for o in q.options
    }


def same_position(a: list[str], b: list[str]) -> int:
    return sum(x == y for x, y in zip(a, b, strict=True))


def cast_interleaved(n: int = 30) -> tuple[Poll, Poll, list[tuple[Any, str]]]:
    """n people vote in two polls, alternating; returns the oracle (person, receipt) of poll A
    in the order of casting, which only this test knows."""
    poll_a, poll_b = build_poll(title="Α"), build_poll(title="Β")
    oracle = []
    for i in range(n):
        person = make_person(f"voter{i}@example.gr", resident_since=timezone.now())
        receipt = actions.do_cast_ballot(poll_a, person, answers_for(poll_a, [i % 2], [i % 3]))
        oracle.append((person, receipt))
        if i % 3:
            actions.do_cast_ballot(poll_b, person, answers_for(poll_b, [0], [1, 2]))
    return poll_a, poll_b, oracle


def test_ballot_tables_hold_no_person_no_time_and_no_sequence() -> None:
    # The tables as they are in the database, not as the models say.
    assert columns(Ballot) == {"id", "poll_id", "receipt"}
    assert columns(BallotChoice) == {"id", "ballot_id", "option_id"}
    assert columns(Participation) == {"id", "poll_id", "person_id", "at"}
    for model in (Ballot, BallotChoice):
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4
        assert model._meta.ordering == ["id"]
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
            related = getattr(field, "related_model", None)
            assert related not in (apps.get_model(settings.AUTH_USER_MODEL), Participation)
    # Nothing points at a ballot except its own choices.
    pointing = [
        f
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model is Ballot
    ]
    assert [(f.model, f.name) for f in pointing] == [(BallotChoice, "ballot")]


def test_with_every_row_of_every_table_the_receipt_leads_to_no_person(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    poll_a, _poll_b, oracle = cast_interleaved()
    receipts = {r for _p, r in oracle}
    # A receipt appears in exactly one table: the ballot box.
    holders = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            text = json.dumps(cursor.fetchall(), default=str)
            if any(r in text for r in receipts):
                holders.add(table)
    assert holders == {"polls_ballot"}
    # The audit log says who took part, never the receipt or a choice.
    events = AuditEvent.objects.filter(action="poll.took_part")
    assert events.count() == 30 + 20
    assert all(e.details == {} for e in events)
    # Nothing about ballots in the logs either.
    assert not any(r in caplog.text for r in receipts)
    # Ids are random version-4 UUIDs; the default order (by id) is not the casting order.
    ballots = list(Ballot.objects.filter(poll=poll_a))
    assert all(b.id.version == 4 for b in ballots)
    cast_order = [r for _p, r in oracle]
    assert same_position([b.receipt for b in ballots], cast_order) < 10
    # Participations and ballots have nothing in common but the poll.
    assert Participation.objects.filter(poll=poll_a).count() == len(ballots) == 30


def test_after_closing_the_stored_order_of_ballots_is_shuffled(clerk: Any) -> None:
    poll_a, _poll_b, oracle = cast_interleaved()
    cast_order = [r for _p, r in oracle]
    before = tally(poll_a)
    actions.do_close_early(poll_a, clerk, "Τέλος")
    stored = physical_order(poll_a)
    assert sorted(stored) == sorted(cast_order)  # every ballot is still there, once
    assert same_position(stored, cast_order) < 10  # about 1 on average for a random order
    # The choices were moved with their ballots: the totals are unchanged.
    assert tally(poll_a) == before
    assert BallotChoice.objects.filter(ballot__poll=poll_a).count() == 60


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_resealed_ballots_share_one_inserting_transaction(clerk: Any) -> None:
    """PostgreSQL stamps each row with the transaction that wrote it (xmin), and a ballot is
    written with its participation. Resealing the box rewrites every ballot in one go."""
    poll_a, _poll_b, _oracle = cast_interleaved(10)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(DISTINCT xmin::text) FROM polls_ballot WHERE poll_id = %s", [poll_a.pk]
        )
        assert cursor.fetchone()[0] == 10  # before: one per vote, like the participations
    actions.do_close_early(poll_a, clerk, "Τέλος")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(DISTINCT xmin::text) FROM polls_ballot WHERE poll_id = %s", [poll_a.pk]
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT COUNT(DISTINCT c.xmin::text) FROM polls_ballotchoice c "
            "JOIN polls_ballot b ON b.id = c.ballot_id WHERE b.poll_id = %s",
            [poll_a.pk],
        )
        assert cursor.fetchone()[0] == 1
