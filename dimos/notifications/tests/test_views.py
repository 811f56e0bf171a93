"""Staff pages of the outbox: who may open them, what they show, what they change."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.notifications.models import Notification, SandboxSms
from dimos.notifications.tests.helpers import grant, queue

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/notifications/staff/failed/",
    "/notifications/staff/callbacks/",
    "/notifications/sandbox/sms/",
]


def fail_sms(person: User, capture: Any, key: str = "event:1") -> Notification:
    """An SMS to an invalid number: it fails for good and goes by e-mail instead."""
    person.mobile = "12345"
    person.save()
    with capture(execute=True):
        notification = queue(person, channel="sms", key=key)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    return notification


@pytest.mark.parametrize("url", [*STAFF_PAGES, "/notifications/staff/callbacks/1/"])
def test_anonymous_is_sent_to_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", [*STAFF_PAGES, "/notifications/staff/callbacks/1/"])
def test_citizens_are_refused(
    client: Client, citizen: User, resident: User, representative: User, url: str
) -> None:
    for person in (citizen, resident, representative):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 403
        assert "υπαλλήλους του δήμου" in response.content.decode()


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_without_the_permission_are_refused(
    clerk: User, client_for: Callable[[User], Client], url: str
) -> None:
    response = client_for(clerk).get(f"/en{url}")
    assert response.status_code == 403
    assert "does not have the permission" in response.content.decode()


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_with_the_permission_open_the_pages(
    notifications_clerk: User, client_for: Callable[[User], Client], url: str
) -> None:
    assert client_for(notifications_clerk).get(url).status_code == 200


def test_staff_session_without_second_factor_is_refused(notifications_clerk: User) -> None:
    client = Client()
    client.force_login(notifications_clerk)
    response = client.get("/notifications/staff/failed/")
    assert response.status_code == 302 and response["Location"] == "/staff/second-factor/"


def test_sandbox_page_does_not_exist_without_the_sandbox(
    settings: Any, notifications_clerk: User, client_for: Callable[[User], Client]
) -> None:
    settings.SANDBOX_ENABLED = False
    assert Client().get("/notifications/sandbox/sms/").status_code == 404
    assert client_for(notifications_clerk).get("/notifications/sandbox/sms/").status_code == 404


def test_sandbox_page_shows_the_sms_sent(
    citizen: User,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    citizen.mobile = "6912345678"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        queue(citizen, channel="sms")
    assert SandboxSms.objects.count() == 1
    page = client_for(notifications_clerk).get("/notifications/sandbox/sms/").content.decode()
    assert "+306912345678" in page and "Δήμος: το αίτημα 2026/000123 ολοκληρώθηκε." in page


def test_failed_page_shows_the_failure_its_tries_and_the_email_sent_instead(
    citizen: User,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    notification = fail_sms(citizen, django_capture_on_commit_callbacks)
    response = client_for(notifications_clerk).get("/en/notifications/staff/failed/")
    page = response.content.decode()
    assert response.status_code == 200
    assert notification.subject in page and "Νίκος Αθανασίου" in page
    # The error recorded on the try, in the language of the delivery (Greek, the default).
    assert "Ο αριθμός «12345» δεν είναι αριθμός κινητού τηλεφώνου" in page
    assert f"Sent to {citizen.email}" in page  # the fallback e-mail
    assert f"/notifications/staff/failed/{notification.pk}/handled/" in page


def test_staff_home_lists_the_queues_with_their_counts(
    citizen: User,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    fail_sms(citizen, django_capture_on_commit_callbacks)
    page = client_for(notifications_clerk).get("/staff/").content.decode()
    assert "/notifications/staff/failed/" in page
    assert "/notifications/staff/callbacks/" in page


def test_staff_home_without_permissions_shows_no_notification_queues(
    clerk: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(clerk).get("/staff/").content.decode()
    assert "/notifications/staff/" not in page


def test_marking_a_failure_as_dealt_with_takes_it_off_the_queue(
    citizen: User,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    notification = fail_sms(citizen, django_capture_on_commit_callbacks)
    client = client_for(notifications_clerk)
    handled = f"/notifications/staff/failed/{notification.pk}/handled/"
    assert client.get(handled).status_code == 405
    response = client.post(handled)
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.handled_by == notifications_clerk and notification.handled_at
    assert AuditEvent.objects.filter(action="notification.failure_handled").count() == 1
    assert f"{handled}" not in client.get("/notifications/staff/failed/").content.decode()
    assert client.post(handled).status_code == 404  # not twice


def test_marking_needs_the_change_permission(
    citizen: User,
    clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    notification = fail_sms(citizen, django_capture_on_commit_callbacks)
    viewer = grant(clerk, "view_notification")
    client = client_for(viewer)
    handled = f"/notifications/staff/failed/{notification.pk}/handled/"
    assert handled not in client.get("/notifications/staff/failed/").content.decode()
    assert client.post(handled).status_code == 403
    notification.refresh_from_db()
    assert notification.handled_at is None


def test_failed_page_uses_the_same_queries_for_one_and_many_failures(
    citizen: User,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(notifications_clerk)
    fail_sms(citizen, django_capture_on_commit_callbacks, key="event:0")
    with CaptureQueriesContext(connection) as one:
        client.get("/notifications/staff/failed/")
    for n in range(1, 30):
        fail_sms(citizen, django_capture_on_commit_callbacks, key=f"event:{n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/notifications/staff/failed/").content.decode()
    assert page.count("/handled/") == 30
    assert len(many) == len(one)
    assert len(mail.outbox) == 30


def test_callbacks_page_uses_the_same_queries_for_one_and_many(
    citizen: User,
    notifications_clerk: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(notifications_clerk)
    citizen.phone = "2461012345"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        queue(citizen, channel="phone", key="call:0")
    with CaptureQueriesContext(connection) as one:
        client.get("/notifications/staff/callbacks/")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 30):
            queue(citizen, channel="phone", key=f"call:{n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/notifications/staff/callbacks/").content.decode()
    assert page.count("/notifications/staff/callbacks/") >= 30
    assert len(many) == len(one)
