"""The sandbox's gateway side against our merchant side: what one signs, the other accepts."""

import threading
import urllib.parse
from typing import Any

import pytest

from dimos.payments.gateways import CardPaymentRequest, InvalidSignature
from dimos.sandbox import cardlink
from dimos.sandbox.tests.conftest import Portal
from dimos.sandbox.tests.helpers import MID, SECRET, body, merchant_fields, merchant_gateway

# --- the merchant's form, as the gateway reads it -------------------------------------


def test_our_merchant_form_is_accepted() -> None:
    vpos = cardlink.parse_request(body(merchant_fields()), mid=MID, secret=SECRET)
    assert (vpos.order_id, vpos.amount_cents, vpos.language) == ("42at1", 1250, "el")
    assert vpos.data["orderDesc"] == "Δημοτικό τέλος"


def test_a_sha1_merchant_form_is_accepted_by_a_sha1_gateway() -> None:
    form = merchant_gateway(algorithm="sha1").redirect_form(
        CardPaymentRequest("1at1", 100, "x", "a@example.gr", "", "http://a/", "http://b/")
    )
    cardlink.parse_request(body(form.fields), mid=MID, secret=SECRET, algorithm="sha1")
    with pytest.raises(cardlink.RequestRefused, match="digest"):
        cardlink.parse_request(body(form.fields), mid=MID, secret=SECRET)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: [(n, "99.00" if n == "orderAmount" else v) for n, v in f], "digest"),
        (lambda f: [f[1], f[0], *f[2:]], "digest"),  # reordered
        (lambda f: [(n, v) for n, v in f if n != "digest"], "no digest"),
        (lambda f: [*f, ("orderAmount", "1.00")], "repeated"),
        (lambda f: merchant_fields(secret="another"), "digest"),
        (lambda f: merchant_fields(mid="another-mid"), "merchant id"),
    ],
)
def test_a_bad_merchant_form_is_refused(change: Any, reason: str) -> None:
    with pytest.raises(cardlink.RequestRefused, match=reason):
        cardlink.parse_request(body(change(merchant_fields())), mid=MID, secret=SECRET)


def test_a_form_that_is_not_urlencoded_is_refused() -> None:
    with pytest.raises(cardlink.RequestRefused, match="urlencoded"):
        cardlink.parse_request(b"\xff", mid=MID, secret=SECRET)


def test_only_euros_are_taken() -> None:
    fields = [(n, "USD" if n == "currency" else v) for n, v in merchant_fields()[:-1]]
    fields.append(("digest", cardlink.digest([v for _, v in fields], SECRET)))
    with pytest.raises(cardlink.RequestRefused, match="EUR"):
        cardlink.parse_request(body(fields), mid=MID, secret=SECRET)


# --- the signed answer, as our merchant side reads it ---------------------------------


@pytest.mark.parametrize(
    ("choice", "outcome"),
    [("approve", "paid"), ("decline", "declined"), ("cancel", "cancelled"), ("error", "error")],
)
def test_each_answer_verifies_and_means_what_the_tester_chose(choice: str, outcome: str) -> None:
    status = cardlink.STATUSES[choice]
    fields = cardlink.signed_response(merchant_fields(), status, SECRET)
    result = merchant_gateway().parse_response(cardlink.urlencoded(fields).encode())
    assert (result.order_ref, result.outcome, result.status) == ("42at1", outcome, status)
    assert result.amount_cents == 1250
    assert result.transaction_id
    assert bool(result.payment_ref) == (status == "CAPTURED")


def test_the_answer_has_the_protocols_fields_in_order() -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    assert [n for n, _ in fields] == [
        "version",
        "mid",
        "orderid",
        "status",
        "orderAmount",
        "currency",
        "paymentTotal",
        "message",
        "riskScore",
        "payMethod",
        "txId",
        "paymentRef",
        "digest",
    ]


def test_a_repeated_confirmation_is_identical() -> None:
    first = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    assert cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET) == first


def test_a_tampered_digest_is_refused_by_the_merchant() -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET, tamper=True)
    assert len(dict(fields)["digest"]) == 44  # well-formed, just wrong
    with pytest.raises(InvalidSignature):
        merchant_gateway().parse_response(cardlink.urlencoded(fields).encode())


def test_another_amount_is_signed_correctly_for_the_merchant_to_catch() -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET, amount_cents=1)
    result = merchant_gateway().parse_response(cardlink.urlencoded(fields).encode())
    assert (result.outcome, result.amount_cents) == ("paid", 1)


def test_sha1_answers_for_sha1_merchants() -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET, algorithm="sha1")
    gateway = merchant_gateway(algorithm="sha1")
    assert gateway.parse_response(cardlink.urlencoded(fields).encode()).outcome == "paid"


def test_the_test_client_body_helper_keeps_the_order() -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    assert urllib.parse.parse_qsl(cardlink.urlencoded(fields), keep_blank_values=True) == fields


# --- the background confirmation: only ever to the portal -----------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/payments/card/confirm/",
        "http://localhost:54321/x",
        "http://testserver/x",
        "https://dimos.example.gr/payments/card/confirm/",  # DIMOS_PUBLIC_URL's host
        "https://DIMOS.example.gr/x",
    ],
)
def test_the_portals_own_hosts_are_allowed(url: str) -> None:
    cardlink.check_target(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/confirm",
        "http://127.0.0.1@evil.example/",  # user-info trick: the host is evil.example
        "http://dimos.example.gr.evil.example/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "/payments/card/confirm/",  # relative: the caller makes it absolute first
        "",
    ],
)
def test_other_hosts_are_refused(url: str) -> None:
    with pytest.raises(cardlink.ForeignHostRefused):
        cardlink.check_target(url)


def test_a_foreign_host_is_refused_before_any_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(cardlink._opener, "open", no_network)
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    with pytest.raises(cardlink.ForeignHostRefused):
        cardlink.post_background("https://evil.example/confirm", fields)
    with pytest.raises(cardlink.ForeignHostRefused):
        cardlink.send_background_confirmations("https://evil.example/confirm", fields, 2)
    with pytest.raises(cardlink.ForeignHostRefused):
        cardlink.schedule_background_confirmations("https://evil.example/", fields, 1, delay=0)


def test_background_confirmation_posts_the_signed_fields_to_the_portal(portal: Portal) -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    results = cardlink.send_background_confirmations(portal.url("/confirm/"), fields, 2)
    assert [(r.attempt, r.status) for r in results] == [(1, 200), (2, 200)]
    assert len(portal.requests) == 2
    first, second = portal.requests
    assert first["path"] == "/confirm/"
    assert first["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert first["body"] == second["body"]  # the same confirmation, twice
    assert merchant_gateway().parse_response(first["body"]).outcome == "paid"


def test_background_confirmation_does_not_follow_redirects(portal: Portal) -> None:
    portal.answers = [(302, {"Location": "https://evil.example/"})]
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    [result] = cardlink.send_background_confirmations(portal.url("/confirm/"), fields, 1)
    assert result.status == 302
    assert len(portal.requests) == 1


def test_an_error_answer_is_reported(portal: Portal) -> None:
    portal.answers = [(500, {})]
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    [result] = cardlink.send_background_confirmations(portal.url("/confirm/"), fields, 1)
    assert result.status == 500


def test_an_unreachable_portal_is_reported_not_raised() -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    [result] = cardlink.send_background_confirmations("http://127.0.0.1:9/confirm/", fields, 1)
    assert result.status is None
    assert result.error


def test_zero_to_five_confirmations(portal: Portal) -> None:
    fields = cardlink.signed_response(merchant_fields(), "CAPTURED", SECRET)
    assert cardlink.send_background_confirmations(portal.url("/c/"), fields, 0) == []
    with pytest.raises(ValueError, match="0 to 5"):
        cardlink.send_background_confirmations(portal.url("/c/"), fields, 6)
    with pytest.raises(ValueError, match="0 to 5"):
        cardlink.schedule_background_confirmations(portal.url("/c/"), fields, -1, delay=0)
    assert portal.requests == []


def test_late_confirmations_arrive_after_the_delay(portal: Portal) -> None:
    fields = cardlink.signed_response(merchant_fields(), "CANCELED", SECRET)
    thread = cardlink.schedule_background_confirmations(portal.url("/c/"), fields, 2, delay=0.2)
    assert isinstance(thread, threading.Thread)
    assert portal.requests == []  # not yet: the browser returns first
    thread.join(timeout=10)
    assert len(portal.requests) == 2
    assert merchant_gateway().parse_response(portal.requests[0]["body"]).outcome == "cancelled"
