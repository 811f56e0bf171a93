"""Queueing many notifications at once (a bank statement's receipts) gives the same rows as
queueing them one by one, skips keys already queued, and hands them to the worker once."""

from typing import Any

import pytest
from django.db import transaction

from dimos.accounts.models import User
from dimos.notifications.actions import ToQueue, queue_notification, queue_notifications
from dimos.notifications.models import Notification
from dimos.notifications.tests.helpers import NUMBER
from dimos.testing import make_person

pytestmark = pytest.mark.django_db

FIELDS = ("dedup_key", "recipient", "channel", "address", "subject", "body", "short_text")


def rows() -> list[tuple[Any, ...]]:
    return sorted(Notification.objects.values_list(*FIELDS))


def messages(people: list[User]) -> list[ToQueue]:
    return [
        ToQueue(person, template, {"number": NUMBER}, f"test:{n}:{template}", channel)
        for n, person in enumerate(people)
        for template, channel in (("test_event", None), ("test_plain", "email"))
    ]


def test_many_queued_at_once_are_the_rows_one_by_one_would_write(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    people = [citizen, make_person("sms@example.gr", notification_channel="sms")]
    with transaction.atomic():
        for message in messages(people):
            queue_notification(
                message.recipient,
                message.template,
                message.context,
                dedup_key=message.dedup_key,
                channel=message.channel,
            )
        one_by_one = rows()
        transaction.set_rollback(True)
    with django_capture_on_commit_callbacks() as handed_over:
        queue_notifications(messages(people))
    assert rows() == one_by_one and len(one_by_one) == 4
    assert len(handed_over) == 1  # one hand-over to the worker for all of them


def test_keys_already_queued_or_repeated_queue_nothing_twice(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    first = queue_notification(citizen, "test_event", {"number": NUMBER}, dedup_key="test:0:x")
    twice = [
        ToQueue(citizen, "test_event", {"number": NUMBER}, "test:0:x"),
        ToQueue(citizen, "test_plain", {"number": NUMBER}, "test:1:y"),
        ToQueue(citizen, "test_plain", {"number": NUMBER}, "test:1:y"),
    ]
    queue_notifications(twice)
    assert Notification.objects.count() == 2
    assert Notification.objects.get(dedup_key="test:0:x").pk == first.pk


def test_nothing_new_hands_nothing_over(
    citizen: User, django_capture_on_commit_callbacks: Any
) -> None:
    queue_notification(citizen, "test_event", {"number": NUMBER}, dedup_key="test:0:x")
    with django_capture_on_commit_callbacks() as handed_over:
        queue_notifications([ToQueue(citizen, "test_event", {"number": NUMBER}, "test:0:x")])
        queue_notifications([])
    assert handed_over == []


def test_a_twin_queueing_the_same_key_meanwhile_falls_back_to_one_by_one(
    citizen: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = ToQueue(citizen, "test_event", {"number": NUMBER}, "test:0:x")
    real_bulk_create = Notification.objects.bulk_create

    def twin_first(objs: list[Notification], **kw: Any) -> list[Notification]:
        queue_notification(citizen, "test_event", {"number": NUMBER}, dedup_key="test:0:x")
        real_bulk_create(objs, **kw)  # the database refuses the key the twin wrote
        raise AssertionError("unreachable")

    monkeypatch.setattr(Notification.objects, "bulk_create", twin_first)
    queue_notifications([twin, ToQueue(citizen, "test_plain", {"number": NUMBER}, "test:1:y")])
    assert sorted(Notification.objects.values_list("dedup_key", flat=True)) == [
        "test:0:x",
        "test:1:y",
    ]


def test_an_unknown_channel_is_refused(citizen: User) -> None:
    with pytest.raises(ValueError):
        queue_notifications([ToQueue(citizen, "test_event", {}, "test:0:x", channel="pigeon")])
    assert not Notification.objects.exists()
