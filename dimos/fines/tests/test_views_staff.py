from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.fines import actions, queries
from dimos.fines.models import Ticket
from dimos.fines.tests.conftest import ticket_data
from dimos.payments.actions import do_settle

pytestmark = pytest.mark.django_db


def register_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "number": "ΚΟΖ-2026-000900",
        "plate": "ΚΖΝ-1234",
        "vehicle_type": "car",
        "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "time": "09:45",
        "place": "Μακεδονίας 12",
        "article": "38§2ε",
        "category": str(queries.category_on("Ε2-Β", "", timezone.localdate()).pk),  # type: ignore[union-attr]
    }
    data.update(overrides)
    return data


def test_staff_pages_need_the_fines_permission(
    client_for: object, clerk: User, citizen: User
) -> None:
    staff = client_for(clerk)  # type: ignore[operator]
    for url in (
        "/fines/staff/",
        "/fines/staff/register/",
        "/fines/staff/import/",
        "/fines/staff/reconcile/",
    ):
        assert staff.get(url).status_code == 403
    assert staff.post("/fines/staff/register/", register_form()).status_code == 403
    assert not Ticket.objects.exists()
    citizen_client = Client()
    citizen_client.force_login(citizen)
    assert citizen_client.get("/fines/staff/").status_code == 403


def test_clerk_registers_a_ticket_with_the_tables_amount(
    client_for: object, fines_clerk: User
) -> None:
    staff = client_for(fines_clerk)  # type: ignore[operator]
    response = staff.post("/fines/staff/register/", register_form())
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/fines/staff/tickets/{ticket.pk}/"
    assert ticket.amount_cents == 15000 and ticket.registered_by == fines_clerk
    page = staff.get(response["Location"]).content.decode()
    assert "ΚΟΖ-2026-000900" in page and "150,00 €" in page
    assert AuditEvent.objects.filter(action="ticket.viewed", actor=fines_clerk).exists()
    again = staff.post("/fines/staff/register/", register_form(number="koz 2026 000900"))
    assert again.status_code == 200 and Ticket.objects.count() == 1


def test_future_date_is_refused(client_for: object, fines_clerk: User) -> None:
    staff = client_for(fines_clerk)  # type: ignore[operator]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = staff.post("/fines/staff/register/", register_form(day=tomorrow))
    assert response.status_code == 200 and not Ticket.objects.exists()


def test_clerk_cancels_with_a_reason(client_for: object, fines_clerk: User, citizen: User) -> None:
    ticket = actions.do_register_ticket(ticket_data(), fines_clerk)
    staff = client_for(fines_clerk)  # type: ignore[operator]
    url = f"/fines/staff/tickets/{ticket.pk}/"
    assert staff.post(url, {"action": "cancel", "reason": ""}).status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "open"
    staff.post(url, {"action": "cancel", "reason": "Ένσταση δεκτή."})
    ticket.refresh_from_db()
    assert ticket.status == "cancelled" and ticket.cancel_reason == "Ένσταση δεκτή."


def test_reconcile_queue_lists_refunds_and_the_clerk_closes_them(
    client_for: object, fines_clerk: User, citizen: User
) -> None:
    ticket, order = actions.do_enter_ticket(
        citizen,
        actions.SelfEntered("N-1", "KZN1234", timezone.localdate() - timedelta(days=1), 35000),
    )
    do_settle(order, method="card", external_ref="T", amount_cents=35000)
    actions.do_register_ticket(ticket_data(number="N-1"), fines_clerk)
    staff = client_for(fines_clerk)  # type: ignore[operator]
    queue = staff.get("/fines/staff/reconcile/").content.decode()
    assert "N-1" in queue and "200,00 €" in queue
    home = staff.get("/staff/").content.decode()
    assert "/fines/staff/reconcile/" in home
    staff.post(f"/fines/staff/tickets/{ticket.pk}/", {"action": "review", "note": "Επιστράφηκαν."})
    ticket.refresh_from_db()
    assert not ticket.needs_review
    assert "N-1" not in staff.get("/fines/staff/reconcile/").content.decode()


def test_search_by_plate_any_way_typed(client_for: object, fines_clerk: User) -> None:
    actions.do_register_ticket(ticket_data(number="N-1"), fines_clerk)
    actions.do_register_ticket(ticket_data(number="N-2", plate="ΙΚΑ-5555"), fines_clerk)
    page = client_for(fines_clerk).get("/fines/staff/?q=kzn1234").content.decode()  # type: ignore[operator]
    assert "N-1" in page and "N-2" not in page
