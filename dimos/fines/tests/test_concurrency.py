"""On PostgreSQL with real threads: one ticket paid from two tabs or by two people at once."""

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dimos.fines import actions
from dimos.fines.models import FineCategory, Ticket
from dimos.fines.tests.conftest import at
from dimos.payments.actions import do_settle
from dimos.payments.models import PaymentOrder
from dimos.testing import make_person, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def a_ticket() -> Ticket:
    # Earlier transactional tests may have flushed the migration's fines table.
    category, _ = FineCategory.objects.get_or_create(
        code="Ε2-Β",
        article="",
        valid_from=date(2025, 6, 13),
        defaults={"amount_cents": 15000, "licence_days": 20, "legal_source": "ν.5209/2025"},
    )
    clerk = make_staff("fines-clerk@example.gr", "police")
    return actions.do_register_ticket(
        actions.TicketData(
            number="ΚΟΖ-2026-000101",
            plate="ΚΖΝ-1234",
            issued_at=at(timezone.localdate()),
            category=category,
        ),
        clerk,
    )


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_two_tabs_pressing_pay_at_once_get_one_order() -> None:
    ticket = a_ticket()
    citizen = make_person("tabs@example.gr")
    orders = run_together(8, lambda _i: actions.do_order_for_ticket(ticket, citizen).pk)
    assert len(set(orders)) == 1 and PaymentOrder.objects.count() == 1


def test_two_payments_arriving_at_once_count_once_each_and_flag_the_refund() -> None:
    ticket = a_ticket()
    one, two = make_person("one@example.gr"), make_person("two@example.gr")
    orders = [actions.do_order_for_ticket(ticket, one), actions.do_order_for_ticket(ticket, two)]
    # each capture also arrives twice (browser return and background confirmation)
    run_together(
        4,
        lambda i: do_settle(
            orders[i % 2], method="card", external_ref=f"TX{i % 2}", amount_cents=15000
        ),
    )
    ticket.refresh_from_db()
    assert ticket.status == "paid" and ticket.paid_cents == 30000
    assert ticket.refund_due_cents == 15000 and ticket.needs_review
    assert sorted(PaymentOrder.objects.values_list("status", flat=True)) == ["paid", "paid"]
