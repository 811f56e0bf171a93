from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from dimos.accounts.models import User
from dimos.fines import actions, queries
from dimos.fines.models import Ticket


@pytest.fixture
def fines_clerk(clerk: User) -> User:
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="fines", codename__in=["change_ticket", "view_ticket"]
        )
    )
    return User.objects.get(pk=clerk.pk)  # fresh permission cache


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def ticket_data(
    number: str = "ΚΟΖ-2026-000101",
    plate: str = "ΚΖΝ-1234",
    day: date | None = None,
    code: str = "Ε2-Β",
    **fields: Any,
) -> actions.TicketData:
    day = day or timezone.localdate()
    category = queries.category_on(code, fields.get("article", ""), day)
    assert category is not None
    return actions.TicketData(
        number=number,
        plate=plate,
        issued_at=at(day),
        category=category,
        **fields,
    )


@pytest.fixture
def register(clerk: User) -> Callable[..., Ticket]:
    def _register(**kw: Any) -> Ticket:
        return actions.do_register_ticket(ticket_data(**kw), clerk)

    return _register
