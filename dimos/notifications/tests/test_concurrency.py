"""Races on PostgreSQL with real threads: one message, however many workers and callers."""

import threading
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection, transaction

from dimos.accounts.models import User
from dimos.notifications.models import DeliveryAttempt, Notification
from dimos.notifications.tasks import deliver
from dimos.notifications.tests.helpers import queue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(workers: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(workers))
    results: list[object] = []
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_many_workers_delivering_one_notification_send_it_once(citizen: User) -> None:
    notification = Notification.objects.create(
        recipient=citizen,
        address=citizen.email,
        subject="Θέμα",
        body="Κείμενο",
        dedup_key="race:deliver",
    )
    results, errors = race([lambda: deliver.call(notification.pk) for _ in range(8)])
    assert errors == []
    assert sorted(results) == ["sent"] + ["skipped"] * 7  # type: ignore[type-var]
    assert len(mail.outbox) == 1
    assert DeliveryAttempt.objects.count() == 1


def test_one_event_reported_from_many_requests_queues_one_notification(citizen: User) -> None:
    def report() -> object:
        with transaction.atomic():
            return queue(citizen, key="race:1").pk

    results, errors = race([report for _ in range(8)])
    assert errors == []
    assert len(set(results)) == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
