import re
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.notifications.models import Notification
from dimos.payments import actions
from dimos.payments.models import CardAttempt, GatewayAlert, Payment, PaymentOrder, Receipt
from dimos.sandbox.cardlink import signed_response, urlencoded

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"
SECRET = "sandbox-secret"


def order_for(person: User, cents: int = 4000) -> PaymentOrder:
    return actions.do_issue_order(
        amount_cents=cents, description="Τέλος αίθουσας", payer_person=person
    )


def start(client: Client, order: PaymentOrder) -> list[tuple[str, str]]:
    """Press "pay by card": the fields of the signed form our page sends to the gateway."""
    page = client.post(f"/payments/{order.rf}/card/").content.decode()
    return [
        (unescape(n), unescape(v))
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    ]


def gateway_says(client: Client, form: list[tuple[str, str]], status: str, **kw: object) -> str:
    body = urlencoded(signed_response(form, status, SECRET, **kw))  # type: ignore[arg-type]
    response = Client().post("/payments/card/return/", body, content_type=FORM)
    return response["Location"] if response.status_code == 302 else str(response.status_code)


def test_card_payment_is_paid_once_whatever_arrives_twice(
    client: Client, citizen: User, django_capture_on_commit_callbacks: object
) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    form = start(client, order)
    assert dict(form)["orderAmount"] == "40.00"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        where = gateway_says(client, form, "CAPTURED")
        gateway_says(client, form, "CAPTURED")  # the background confirmation, again
    order.refresh_from_db()
    assert order.status == "paid" and Payment.objects.count() == 1
    assert Receipt.objects.count() == 1
    done = client.get(where).content.decode()
    receipt = Receipt.objects.get()
    assert receipt.display_number in done
    assert len([m for m in mail.outbox if receipt.display_number in m.subject]) == 1


def test_a_repeated_confirmation_reads_and_writes_nothing_more(
    client: Client, citizen: User, django_assert_max_num_queries: Any
) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    form = start(client, order)
    gateway_says(client, form, "CAPTURED")
    counted = (AuditEvent.objects.count(), Notification.objects.count())
    body = urlencoded(signed_response(form, "CAPTURED", SECRET)).encode()
    # the attempt, its lock, the capture already counted (and the savepoint of the transaction)
    with django_assert_max_num_queries(5):
        attempt = actions.do_handle_card_response(body, "127.0.0.1")
    assert attempt is not None and attempt.outcome == "paid"
    assert (AuditEvent.objects.count(), Notification.objects.count()) == counted
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_a_second_capture_of_a_paid_attempt_is_counted_and_flagged(
    client: Client, citizen: User
) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    form = start(client, order)
    gateway_says(client, form, "CAPTURED", tx_id="TX-1")
    gateway_says(client, form, "CAPTURED", tx_id="TX-2")  # the gateway charged twice
    order.refresh_from_db()
    assert order.status == "overpaid" and Receipt.objects.count() == 2
    assert Payment.objects.get(external_ref="TX-2").review_reason


def test_a_late_decline_never_undoes_a_payment(client: Client, citizen: User) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    form = start(client, order)
    gateway_says(client, form, "CAPTURED")
    gateway_says(client, form, "REFUSED")
    assert CardAttempt.objects.get().outcome == "paid"
    order.refresh_from_db()
    assert order.status == "paid"


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"tamper": True}, "υπογραφή"),
        ({"amount_cents": 1}, "ποσό"),
    ],
)
def test_forged_or_altered_responses_change_nothing_and_alert_staff(
    client: Client, citizen: User, kw: dict[str, object], reason: str
) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    form = start(client, order)
    gateway_says(client, form, "CAPTURED", **kw)
    order.refresh_from_db()
    assert order.status == "open" and not Payment.objects.exists()
    assert GatewayAlert.objects.count() == 1


def test_a_response_for_an_unknown_order_is_refused(client: Client, citizen: User) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    form = [(n, "999999at1" if n == "orderid" else v) for n, v in start(client, order)]
    gateway_says(client, form, "CAPTURED")
    assert not Payment.objects.exists() and GatewayAlert.objects.count() == 1


def test_declined_card_leaves_the_order_open(client: Client, citizen: User) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    where = gateway_says(client, start(client, order), "REFUSED")
    order.refresh_from_db()
    assert order.status == "open"
    assert "δεν ολοκληρώθηκε" in client.get(where).content.decode()


def test_another_persons_order_and_receipt_are_404(
    client: Client, citizen: User, resident: User
) -> None:
    order = order_for(citizen)
    settled = actions.do_settle(order, method="card", external_ref="X", amount_cents=4000)
    receipt = settled.receipt
    assert receipt is not None
    client.force_login(resident)
    assert client.get(f"/payments/{order.rf}/").status_code == 404
    assert client.post(f"/payments/{order.rf}/card/").status_code == 404
    assert client.get(f"/payments/receipts/{receipt.year}-{receipt.number}.pdf").status_code == 404
    assert order.rf not in client.get("/payments/").content.decode()


def test_receipt_pdf_is_verifiable_and_masks_the_payer(client: Client, citizen: User) -> None:
    order = order_for(citizen)
    receipt = actions.do_settle(order, method="card", external_ref="X", amount_cents=4000).receipt
    assert receipt is not None
    client.force_login(citizen)
    response = client.get(f"/payments/receipts/{receipt.year}-{receipt.number}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    receipt.refresh_from_db()
    code = receipt.document.code  # type: ignore[union-attr]
    check = Client().get(f"/verify/{code}/", follow=True).content.decode()
    assert receipt.display_number in check and "40,00 €" in check
    assert citizen.get_full_name() not in check and "Ν*** Α***" in check


def test_order_page_shows_rf_iban_and_qr(client: Client, citizen: User) -> None:
    order = order_for(citizen)
    client.force_login(citizen)
    page = client.get(f"/payments/{order.rf}/").content.decode()
    assert order.rf[:4] in page and "GR8300000000000000012345678" in page
    assert "data:image/svg+xml" in page and "40,00 €" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_browser_return_racing_background_confirmations_pays_once() -> None:
    import threading

    from django.db import connection

    from dimos.testing import make_person

    payer = make_person("racer@example.gr")
    order = order_for(payer)
    attempt = actions.do_start_card_attempt(order)
    from dimos.payments.gateways import gateway_from_settings
    from dimos.payments.gateways.base import CardPaymentRequest

    form = gateway_from_settings().redirect_form(
        CardPaymentRequest(
            order_ref=attempt.gateway_order_id,
            amount_cents=attempt.amount_cents,
            description="x",
            payer_email=payer.email,
            payer_phone="",
            confirm_url="http://testserver/c",
            cancel_url="http://testserver/c",
        )
    )
    body = urlencoded(signed_response(form.fields, "CAPTURED", SECRET)).encode()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            actions.do_handle_card_response(body, "127.0.0.1")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_cents == 4000
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
