"""The sandbox card gateway's pages, driven like a browser and the portal would."""

from typing import Any

import pytest
from django.test import Client

from dimos.payments.gateways import InvalidSignature
from dimos.sandbox import cardlink
from dimos.sandbox.tests.conftest import Portal
from dimos.sandbox.tests.helpers import (
    DECIDE_PATH,
    FORM,
    SECRET,
    VPOS_PATH,
    autopost_form,
    body,
    forms_in,
    merchant_fields,
    merchant_gateway,
)

CONFIRM = "http://testserver/payments/card/confirm/"
CANCEL = "http://testserver/payments/card/cancel/"


def open_card_page(client: Client, fields: list[tuple[str, str]] | None = None) -> Any:
    return client.post(VPOS_PATH, body(fields or merchant_fields()), content_type=FORM)


def decide(
    client: Client, outcome: str, fields: list[tuple[str, str]] | None = None, **options: Any
) -> Any:
    page = open_card_page(client, fields)
    assert page.status_code == 200
    [card_form] = [f for f in forms_in(page.content.decode()) if f.action == DECIDE_PATH]
    data = dict(card_form.inputs)
    data.update({"outcome": outcome, "background": "0", "background_when": "before"})
    data.update({"amount_change": "same"})
    data.update({k: str(v) for k, v in options.items()})
    return client.post(DECIDE_PATH, data)


# --- the card page ---------------------------------------------------------------------


def test_card_page_shows_the_order_and_the_four_buttons(client: Client) -> None:
    response = open_card_page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "42at1" in html
    assert "12,50 €" in html
    assert "Δημοτικό τέλος" in html
    for outcome in ("approve", "decline", "cancel", "error"):
        assert f'name="outcome" value="{outcome}"' in html
    assert '<html lang="el">' in html


def test_card_page_speaks_the_language_the_merchant_asked_for(client: Client) -> None:
    response = open_card_page(client, merchant_fields(language="en"))
    assert '<html lang="en">' in response.content.decode()


def test_the_gateway_endpoint_needs_no_csrf_token_but_the_card_page_does() -> None:
    client = Client(enforce_csrf_checks=True)
    page = open_card_page(client)
    assert page.status_code == 200  # posted by the merchant's page, like to the real gateway
    [card_form] = [f for f in forms_in(page.content.decode()) if f.action == DECIDE_PATH]
    data = {**dict(card_form.inputs), "outcome": "approve", "background": "0"}
    data.update({"background_when": "before", "amount_change": "same"})
    assert "csrfmiddlewaretoken" in data
    assert client.post(DECIDE_PATH, data).status_code == 200
    del data["csrfmiddlewaretoken"]
    assert client.post(DECIDE_PATH, data).status_code == 403


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (merchant_fields(secret="not-the-sandbox-secret"), "digest"),
        ([(n, "0.01" if n == "orderAmount" else v) for n, v in merchant_fields()], "digest"),
        (merchant_fields(mid="0020893996"), "merchant id"),
        (merchant_fields(confirm_url="https://evil.example/confirm"), "confirmUrl"),
        (merchant_fields(cancel_url="https://evil.example/cancel"), "cancelUrl"),
    ],
)
def test_a_bad_payment_form_gets_an_error_page_and_nothing_else(
    client: Client, portal: Portal, fields: list[tuple[str, str]], reason: str
) -> None:
    response = open_card_page(client, fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in html
    assert not [f for f in forms_in(html) if f.action in (CONFIRM, CANCEL, DECIDE_PATH)]
    assert portal.requests == []


def test_get_is_not_allowed(client: Client) -> None:
    assert client.get(VPOS_PATH).status_code == 405


@pytest.mark.parametrize("path", [VPOS_PATH, DECIDE_PATH])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_page_is_404_when_the_sandbox_is_off(
    client: Client, settings: Any, path: str, method: str
) -> None:
    settings.SANDBOX_ENABLED = False
    if method == "post":
        response = client.post(path, body(merchant_fields()), content_type=FORM)
    else:
        response = client.get(path)
    assert response.status_code == 404


# --- the answer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "action", "result"),
    [
        ("approve", CONFIRM, "paid"),
        ("decline", CANCEL, "declined"),
        ("cancel", CANCEL, "cancelled"),
        ("error", CANCEL, "error"),
    ],
)
def test_the_browser_is_sent_back_with_a_signed_answer(
    client: Client, outcome: str, action: str, result: str
) -> None:
    response = decide(client, outcome)
    assert response.status_code == 200
    html = response.content.decode()
    form = autopost_form(html)
    assert form.action == action
    assert form.attrs.get("method") == "post"
    assert "csrfmiddlewaretoken" not in dict(form.inputs)  # it would join the digest
    assert form.inputs == cardlink.signed_response(
        merchant_fields(), cardlink.STATUSES[outcome], SECRET
    )
    parsed = merchant_gateway().parse_response(cardlink.urlencoded(form.inputs).encode())
    assert (parsed.order_ref, parsed.outcome, parsed.amount_cents) == ("42at1", result, 1250)
    assert "sandbox/autosubmit.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert 'type="submit"' in html  # the visible button works without JavaScript


def test_a_tampered_answer_does_not_verify(client: Client) -> None:
    form = autopost_form(decide(client, "approve", tamper="on").content.decode())
    with pytest.raises(InvalidSignature):
        merchant_gateway().parse_response(cardlink.urlencoded(form.inputs).encode())


@pytest.mark.parametrize(("change", "amount"), [("less", 1249), ("more", 1251)])
def test_another_amount_is_reported_signed(client: Client, change: str, amount: int) -> None:
    form = autopost_form(decide(client, "approve", amount_change=change).content.decode())
    parsed = merchant_gateway().parse_response(cardlink.urlencoded(form.inputs).encode())
    assert (parsed.outcome, parsed.amount_cents) == ("paid", amount)


def test_background_confirmations_arrive_before_the_browser_returns(
    client: Client, portal: Portal
) -> None:
    fields = merchant_fields(confirm_url=portal.url("/payments/card/confirm/"))
    response = decide(client, "approve", fields, background=2)
    assert len(portal.requests) == 2  # already there when the page reaches the browser
    for request in portal.requests:
        assert request["path"] == "/payments/card/confirm/"
        assert merchant_gateway().parse_response(request["body"]).outcome == "paid"
    html = response.content.decode()
    assert html.count("HTTP 200") == 2
    form = autopost_form(html)
    assert cardlink.urlencoded(form.inputs).encode() == portal.requests[0]["body"]


def test_the_background_call_goes_to_the_confirm_url_whatever_the_status(
    client: Client, portal: Portal
) -> None:
    fields = merchant_fields(confirm_url=portal.url("/confirm/"), cancel_url=portal.url("/cancel/"))
    decide(client, "cancel", fields, background=1)
    [request] = portal.requests
    assert request["path"] == "/confirm/"
    assert merchant_gateway().parse_response(request["body"]).outcome == "cancelled"


def test_a_lost_browser_return_leaves_only_the_background_call(
    client: Client, portal: Portal
) -> None:
    fields = merchant_fields(confirm_url=portal.url("/confirm/"))
    response = decide(client, "approve", fields, background=1, lose_return="on")
    assert len(portal.requests) == 1
    html = response.content.decode()
    assert not [f for f in forms_in(html) if "data-autosubmit" in f.attrs]
    assert "sandbox/autosubmit.js" not in html


def test_late_background_confirmations_come_after_the_page(
    client: Client, portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cardlink, "LATE_DELAY_SECONDS", 0.3)
    fields = merchant_fields(confirm_url=portal.url("/confirm/"))
    response = decide(client, "approve", fields, background=1, background_when="after")
    assert response.status_code == 200
    assert portal.requests == []
    assert portal.received.wait(timeout=10)
    assert merchant_gateway().parse_response(portal.requests[0]["body"]).outcome == "paid"


def test_a_relative_confirm_url_is_called_on_the_portals_own_host(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def record(url: str, fields: Any, times: int) -> list[cardlink.BackgroundResult]:
        calls.append(url)
        return []

    monkeypatch.setattr(cardlink, "send_background_confirmations", record)
    fields = merchant_fields(
        confirm_url="/payments/card/confirm/", cancel_url="/payments/card/cancel/"
    )
    decide(client, "approve", fields, background=1)
    assert calls == ["http://testserver/payments/card/confirm/"]


def test_a_changed_order_on_the_card_page_is_refused(client: Client, portal: Portal) -> None:
    page = open_card_page(client)
    [card_form] = [f for f in forms_in(page.content.decode()) if f.action == DECIDE_PATH]
    data = dict(card_form.inputs)
    data["request"] = data["request"].replace("orderAmount=12.50", "orderAmount=0.01")
    data.update({"outcome": "approve", "background": "1", "background_when": "before"})
    data["amount_change"] = "same"
    response = client.post(DECIDE_PATH, data)
    assert response.status_code == 400
    assert portal.requests == []


@pytest.mark.parametrize(
    ("name", "value"), [("outcome", "steal"), ("background", "9"), ("amount_change", "double")]
)
def test_an_unknown_choice_is_refused(client: Client, name: str, value: str) -> None:
    options = {} if name == "outcome" else {name: value}
    response = decide(client, value if name == "outcome" else "approve", **options)
    assert response.status_code == 400
    assert not [f for f in forms_in(response.content.decode()) if "data-autosubmit" in f.attrs]
