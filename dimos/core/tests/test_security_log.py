"""Security events: each one is emitted where it happens, as JSON, and carries no secret.

Every test of the suite also runs under conftest's `_no_secrets_in_logs`, which fails a test
whose log lines contain a password, TOTP seed, session id, card number, IBAN or ΑΜΚΑ; the
scanner itself is proven here on samples of each kind.
"""

import json
import logging
import re
from pathlib import Path

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.security_log import EVENTS, JsonFormatter, security_event
from dimos.payments import actions as payment_actions
from dimos.sandbox.cardlink import signed_response, urlencoded
from dimos.testing import PASSWORD, TOTP_SECRET, file_request, secrets_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _events(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, object]]:
    return [
        r.security  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "dimos.security" and r.getMessage() == event
    ]


# --- The scanner finds each kind of secret, and only those ---


@pytest.mark.parametrize(
    "line",
    [
        f"login with {PASSWORD}",
        f"seed {TOTP_SECRET}",
        "card 4111 1111 1111 1111 declined",
        "pan=5500005555555559",
        "payer IBAN GR1601101250000000012300695",
        "payer IBAN GR16 0110 1250 0000 0001 2300 695",
        "amka 27038500123 matched",
    ],
)
def test_scanner_finds_each_kind_of_secret(line: str) -> None:
    assert secrets_in(line, {PASSWORD, TOTP_SECRET})


@pytest.mark.parametrize(
    "line",
    [
        '{"request_id": "401e6cccdb3648169253542cb84f08a3"}',  # a hex id, not a card
        "protocol 2026/000123, RF18539007547034 order 42",
        "amount 4111.11 €, ticket ΚΖ-104233",
        "amka 27038500124 is not one (check digit)",
    ],
)
def test_scanner_leaves_ordinary_lines_alone(line: str) -> None:
    assert secrets_in(line, {PASSWORD}) == []


# --- The line format ---


def test_security_line_is_json_with_utc_time_actor_object_and_request(
    rf: object, citizen: User
) -> None:
    request = rf.get("/requests/")  # type: ignore[attr-defined]
    request.user = citizen
    request.request_id = "abc123def456"
    record = logging.LogRecord("dimos.security", logging.INFO, __file__, 1, "export", (), None)
    captured: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = captured.append  # type: ignore[method-assign]
    logger = logging.getLogger("dimos.security")
    logger.addHandler(handler)
    try:
        security_event("export", request=request, obj=citizen, rows=3)
    finally:
        logger.removeHandler(handler)
    line = json.loads(JsonFormatter().format(captured[0]))
    assert line["time"].endswith("+00:00")
    assert line["event"] == "export" and line["actor"] == citizen.pk
    assert line["object"] == f"accounts.user:{citizen.pk}"
    assert line["request_id"] == "abc123def456" and line["ip"] == "127.0.0.1"
    assert line["rows"] == 3
    assert record.getMessage() == "export"


def test_unknown_event_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        security_event("something_happened")


def test_every_event_in_the_inventory_is_emitted_somewhere_in_the_code() -> None:
    source = "\n".join(
        p.read_text() for p in (ROOT / "dimos").rglob("*.py") if "tests" not in p.parts
    )
    emitted = set(re.findall(r'security_event\(\s*"([a-z_]+)"', source))
    emitted |= {"access_denied"}  # by RequestIdMiddleware for every 403
    assert emitted == EVENTS


# --- Where they happen ---


def test_authz_failure_logged(
    client: Client, citizen: User, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(citizen)
    response = client.get("/staff/")
    assert response.status_code == 403
    denied = _events(caplog, "access_denied")
    assert denied == [
        {
            "event": "access_denied",
            "actor": citizen.pk,
            "object": None,
            "ip": "127.0.0.1",
            "request_id": response["X-Request-ID"],
            "method": "GET",
            "path": "/staff/",
            "status": 403,
        }
    ]


def test_request_id_from_the_proxy_is_kept_and_junk_replaced(client: Client, db: None) -> None:
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-req-12345678")["X-Request-ID"] == (
        "proxy-req-12345678"
    )
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_staff_registry_read_audited_with_actor_record_purpose(
    client_for: object, clerk: User, resident: User, caplog: pytest.LogCaptureFixture
) -> None:
    lamp = file_request(
        resident,
        kind="complaint",
        subject="Κάδος",
        description="Γεμάτος κάδος.",
        address="Πλατεία Νίκης 1",
    )
    client = client_for(clerk)  # type: ignore[operator]
    assert client.get(f"/requests/staff/{lamp.public_id}/").status_code == 200
    [read] = _events(caplog, "staff_read")
    assert read["actor"] == clerk.pk and read["subject"] == resident.pk
    assert read["action"] == "request.viewed"
    assert read["object"] == f"service_requests.servicerequest:{lamp.pk}"


def test_callback_bad_signature_rejected_and_logged(
    client: Client, citizen: User, caplog: pytest.LogCaptureFixture
) -> None:
    order = payment_actions.do_issue_order(
        amount_cents=4000, description="Τέλος αίθουσας", payer_person=citizen
    )
    client.force_login(citizen)
    page = client.post(f"/payments/{order.rf}/card/").content.decode()
    form = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    body = urlencoded(signed_response(form, "CAPTURED", "not-the-secret"))  # type: ignore[arg-type]
    Client().post("/payments/card/return/", body, content_type="application/x-www-form-urlencoded")
    [rejected] = _events(caplog, "payment_callback_rejected")
    assert rejected["order"] == dict(form)["orderid"]
    assert rejected["object"].startswith("payments.gatewayalert:")  # type: ignore[union-attr]


def test_export_logged(client_for: object, clerk: User, caplog: pytest.LogCaptureFixture) -> None:
    from django.contrib.auth.models import Permission

    clerk.user_permissions.add(Permission.objects.get(codename="change_paymentorder"))
    client = client_for(clerk)  # type: ignore[operator]
    response = client.get("/payments/staff/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    [export] = _events(caplog, "export")
    assert export["actor"] == clerk.pk and export["object"] == "payments:orders.csv"
