import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.accounts.models import User
from dimos.fines import actions
from dimos.fines.models import Ticket
from dimos.payments.actions import do_settle
from dimos.payments.models import PaymentOrder, Receipt
from dimos.sandbox.cardlink import signed_response, urlencoded
from dimos.testing import make_person

pytestmark = pytest.mark.django_db


def find(client: Client, number: str = "ΚΟΖ-2026-000101", plate: str = "ΚΖΝ-1234"):  # type: ignore[no-untyped-def]
    return client.post("/fines/find/", {"number": number, "plate": plate})


def test_landing_needs_a_login_and_opens_to_citizens_and_residents(
    client: Client, citizen: User, resident: User
) -> None:
    assert client.get("/fines/")["Location"].startswith("/accounts/login/")
    for person in (citizen, resident):
        client.force_login(person)
        assert client.get("/fines/").status_code == 200


def test_find_with_number_and_plate_typed_any_way_shows_the_amount_due(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    ticket = register()
    client.force_login(citizen)
    response = find(client, "koz 2026 000101", "kzn1234")
    assert response["Location"] == f"/fines/tickets/{ticket.number_key}/"
    page = client.get(response["Location"]).content.decode()
    assert "150,00 €" in page and "ΚΟΖ-2026-000101" in page


def test_wrong_number_or_plate_gives_the_same_answer(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    register()
    client.force_login(citizen)
    wrong_plate = find(client, plate="ΚΖΝ-1235")
    wrong_number = find(client, number="ΚΟΖ-2026-000102")
    assert wrong_plate.status_code == wrong_number.status_code == 404

    def errors(response: object) -> str:
        html = response.content.decode()  # type: ignore[attr-defined]
        return re.sub(r"\s+", " ", re.findall(r"govgr-error-summary.*?</div>", html, re.S)[0])

    assert errors(wrong_plate) == errors(wrong_number)


def test_lookups_are_rate_limited(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    register()
    client.force_login(citizen)
    for _ in range(10):
        find(client, plate="XXX-0000")
    assert find(client).status_code == 429  # even the right pair, once over the limit


def test_another_persons_ticket_is_404_without_number_and_plate(
    client: Client, citizen: User, other_resident: User, register: Callable[..., Ticket]
) -> None:
    ticket = register()
    client.force_login(citizen)
    find(client)
    order = actions.do_order_for_ticket(ticket, citizen)
    client.force_login(other_resident)  # a new session: nothing found in it
    assert client.get(f"/fines/tickets/{ticket.number_key}/").status_code == 404
    assert client.post(f"/fines/tickets/{ticket.number_key}/pay/").status_code == 404
    assert client.get(f"/payments/{order.rf}/").status_code == 404
    assert ticket.number not in client.get("/fines/mine/").content.decode()
    assert find(client)["Location"] == f"/fines/tickets/{ticket.number_key}/"  # (a) opens it


def test_pay_creates_or_reuses_the_order_and_goes_to_the_payment_page(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    ticket = register()
    client.force_login(citizen)
    find(client)
    first = client.post(f"/fines/tickets/{ticket.number_key}/pay/")
    second = client.post(f"/fines/tickets/{ticket.number_key}/pay/")  # another tab
    order = PaymentOrder.objects.get()
    assert first["Location"] == second["Location"] == f"/payments/{order.rf}/"
    assert client.get(f"/fines/tickets/{ticket.number_key}/pay/").status_code == 405


def card_form(client: Client, order: PaymentOrder) -> list[tuple[str, str]]:
    page = client.post(f"/payments/{order.rf}/card/").content.decode()
    return [
        (unescape(n), unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    ]


def test_second_tab_is_refused_before_card_entry_once_paid(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    ticket = register()
    client.force_login(citizen)
    find(client)
    client.post(f"/fines/tickets/{ticket.number_key}/pay/")
    order = PaymentOrder.objects.get()
    tab1, tab2 = card_form(client, order), None
    body = urlencoded(signed_response(tab1, "CAPTURED", "sandbox-secret"))  # type: ignore[arg-type]
    Client().post("/payments/card/return/", body, content_type="application/x-www-form-urlencoded")
    ticket.refresh_from_db()
    assert ticket.status == "paid"
    tab2 = client.post(f"/payments/{order.rf}/card/")
    assert tab2.status_code == 302 and tab2["Location"] == f"/payments/{order.rf}/"
    again = client.post(f"/fines/tickets/{ticket.number_key}/pay/")
    assert again["Location"] == f"/fines/tickets/{ticket.number_key}/"
    assert PaymentOrder.objects.count() == 1 and Receipt.objects.count() == 1


def test_interest_is_shown_after_the_deadline(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    ticket = register(day=timezone.localdate() - timedelta(days=75))
    client.force_login(citizen)
    find(client)
    page = client.get(f"/fines/tickets/{ticket.number_key}/").content.decode()
    assert "151,10 €" in page and "1,10 €" in page


def self_enter(client: Client, **overrides: str):  # type: ignore[no-untyped-def]
    data = {
        "number": "ΚΟΖ-2026-000555",
        "plate": "ΚΖΝ-1234",
        "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "amount": "30,00",
        **overrides,
    }
    return client.post("/fines/enter/", data)


def test_self_entered_ticket_goes_through_the_check_page_to_payment(
    client: Client, citizen: User
) -> None:
    client.force_login(citizen)
    assert self_enter(client)["Location"] == "/fines/enter/check/"
    assert not Ticket.objects.exists()  # nothing before "continue to payment"
    check = client.get("/fines/enter/check/").content.decode()
    assert "ΚΟΖ-2026-000555" in check and "30,00 €" in check
    response = client.post("/fines/enter/check/")
    ticket = Ticket.objects.get()
    order = PaymentOrder.objects.get()
    assert response["Location"] == f"/payments/{order.rf}/"
    assert ticket.provisional and ticket.entered_by == citizen and order.amount_cents == 3000
    do_settle(order, method="card", external_ref="T", amount_cents=3000)
    mine = client.get("/fines/mine/").content.decode()
    assert "ΚΟΖ-2026-000555" in mine and Receipt.objects.get().display_number in mine


def test_check_page_cannot_be_opened_directly(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    assert client.get("/fines/enter/check/")["Location"] == "/fines/enter/"
    assert client.post("/fines/enter/check/")["Location"] == "/fines/enter/"
    assert not Ticket.objects.exists()


def test_a_registered_number_entered_by_hand_is_sent_to_the_lookup(
    client: Client, citizen: User, register: Callable[..., Ticket]
) -> None:
    register(number="ΚΟΖ-2026-000555")
    client.force_login(citizen)
    response = self_enter(client, number="koz-2026-000555")
    assert response["Location"].startswith("/fines/find/?number=")
    assert Ticket.objects.count() == 1 and not PaymentOrder.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"number": ""},
        {"plate": "--"},
        {"amount": "abc"},
        {"amount": "0"},
        {"day": "2099-01-01"},
        {"day": "31/02/2026"},
    ],
)
def test_bad_self_entered_input_is_refused_and_nothing_is_kept(
    client: Client, citizen: User, overrides: dict[str, str]
) -> None:
    client.force_login(citizen)
    response = self_enter(client, **overrides)
    assert response.status_code == 200
    assert "govgr-error-summary" in response.content.decode()
    assert not Ticket.objects.exists()


def test_my_fines_lists_paid_tickets_in_the_same_number_of_queries(
    client: Client, citizen: User, clerk: User
) -> None:
    from dimos.fines.tests.conftest import ticket_data

    client.force_login(citizen)

    def paid_tickets(count: int, start: int) -> None:
        for n in range(start, start + count):
            ticket = actions.do_register_ticket(ticket_data(number=f"N-{n}"), clerk)
            order = actions.do_order_for_ticket(ticket, citizen)
            do_settle(order, method="card", external_ref=f"T{n}", amount_cents=order.amount_cents)

    paid_tickets(1, 0)
    client.get("/fines/mine/")
    with CaptureQueriesContext(connection) as one:
        assert "N-0" in client.get("/fines/mine/").content.decode()
    paid_tickets(29, 1)
    with CaptureQueriesContext(connection) as thirty:
        page = client.get("/fines/mine/").content.decode()
    assert "N-29" in page and page.count(".pdf") == 30
    assert len(one) == len(thirty)


def test_any_verified_person_is_a_citizen_and_may_use_the_service(client: Client, db: None) -> None:
    client.force_login(make_person("someone@example.gr"))
    assert client.get("/fines/find/").status_code == 200
