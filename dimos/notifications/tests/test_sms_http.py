"""The HTTP SMS adapter against a tiny provider on 127.0.0.1 (never the outside network)."""

import socket
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dimos.accounts.models import User
from dimos.notifications.models import DeliveryAttempt, Notification
from dimos.notifications.sms import HttpSmsProvider, SmsError
from dimos.notifications.tests.helpers import NUMBER, FakeSmsProvider, queue

pytestmark = pytest.mark.django_db
Status = Notification.Status
Outcome = DeliveryAttempt.Outcome


@pytest.fixture
def texter(citizen: User) -> User:
    citizen.notification_channel = "sms"
    citizen.mobile = "6912 345 678"
    citizen.save()
    return citizen


def queue_and_deliver(person: User, capture: Any) -> Notification:
    with capture(execute=True):
        notification = queue(person)
    notification.refresh_from_db()
    return notification


def test_sms_is_posted_as_json_with_the_bearer_token_and_the_reference(
    texter: User, sms_server: FakeSmsProvider, django_capture_on_commit_callbacks: Any
) -> None:
    sms_server.answers = [(200, {"id": "prov-abc"})]
    notification = queue_and_deliver(texter, django_capture_on_commit_callbacks)
    [request] = sms_server.requests
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer test-token-123"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Idempotency-Key"] == str(notification.pk)
    assert request["json"] == {
        "to": "+306912345678",
        "text": f"Δήμος: το αίτημα {NUMBER} ολοκληρώθηκε. Δείτε το στο portal.",
        "sender": "DimosTest",
        "reference": str(notification.pk),
    }
    assert notification.status == Status.SENT
    assert notification.provider_message_id == "prov-abc"
    assert notification.delivery_attempts.get().provider_id == "prov-abc"


def test_a_500_is_retried_later_with_the_same_reference(
    texter: User, sms_server: FakeSmsProvider, django_capture_on_commit_callbacks: Any
) -> None:
    sms_server.answers = [(500, {"error": "internal"}), (200, {"id": "prov-2"})]
    notification = queue_and_deliver(texter, django_capture_on_commit_callbacks)
    assert notification.status == Status.PENDING
    attempt = notification.delivery_attempts.get()
    assert attempt.outcome == Outcome.RETRY and "HTTP 500" in attempt.error
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("deliver_pending_notifications")
    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.provider_message_id == "prov-2"
    references = [r["json"]["reference"] for r in sms_server.requests]
    assert references == [str(notification.pk)] * 2
    assert not mail.outbox


def test_a_refused_message_fails_at_once_and_goes_by_email(
    texter: User, sms_server: FakeSmsProvider, django_capture_on_commit_callbacks: Any
) -> None:
    sms_server.answers = [(422, {"error": "number not reachable"})]
    notification = queue_and_deliver(texter, django_capture_on_commit_callbacks)
    assert notification.status == Status.FAILED
    assert "HTTP 422" in notification.last_error and "not reachable" in notification.last_error
    assert notification.fallback.status == Status.SENT
    assert mail.outbox[0].to == [texter.email]


def test_an_invalid_number_never_reaches_the_provider(
    citizen: User, sms_server: FakeSmsProvider, django_capture_on_commit_callbacks: Any
) -> None:
    citizen.mobile = "+30 2461"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(citizen, channel="sms")
    notification.refresh_from_db()
    assert notification.status == Status.FAILED and "+30 2461" in notification.last_error
    assert sms_server.requests == []
    assert len(mail.outbox) == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_provider_is_a_temporary_failure() -> None:
    provider = HttpSmsProvider(f"http://127.0.0.1:{free_port()}/sms", "t", "Dimos", timeout=2)
    with pytest.raises(SmsError) as exc:
        provider.send("+306912345678", "κείμενο", "1")
    assert exc.value.retry and "unreachable" in str(exc.value)


@pytest.mark.parametrize(("status", "retry"), [(500, True), (503, True), (429, True), (400, False)])
def test_which_answers_are_worth_a_retry(
    sms_server: FakeSmsProvider, status: int, retry: bool
) -> None:
    sms_server.answers = [(status, {})]
    provider = HttpSmsProvider(sms_server.url, "t", "Dimos")
    with pytest.raises(SmsError) as exc:
        provider.send("+306912345678", "κείμενο", "7")
    assert exc.value.retry is retry


def test_only_http_urls_are_accepted() -> None:
    with pytest.raises(SmsError) as exc:
        HttpSmsProvider("file:///etc/passwd", "t", "Dimos")
    assert not exc.value.retry


def test_http_provider_without_url_or_token_falls_back_to_email(
    texter: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DIMOS_SMS_PROVIDER = "http"
    settings.DIMOS_SMS_HTTP_URL = ""
    notification = queue_and_deliver(texter, django_capture_on_commit_callbacks)
    assert notification.status == Status.FAILED
    assert "DIMOS_SMS_HTTP_URL" in notification.last_error
    assert len(mail.outbox) == 1
