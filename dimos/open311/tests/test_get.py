"""GET requests and GET request: what the public sees, filtered and limited as the spec says."""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.accounts.models import User
from dimos.open311.tests.conftest import API, LAMP
from dimos.open311.tests.helpers import bulk_requests
from dimos.service_requests import actions
from dimos.service_requests.models import Category, ServiceRequest

pytestmark = pytest.mark.django_db


def listed(client: Client, query: str = "", fmt: str = "json") -> list[dict[str, Any]]:
    response = client.get(f"{API}/requests.{fmt}{query}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)  # type: ignore[no-any-return]


def file(citizen: User, code: str = "street-lighting", **fields: Any) -> ServiceRequest:
    return actions.do_submit_request(
        citizen,
        actions.Submission(
            **{
                "kind": "complaint",
                "category": Category.objects.get(code=code),
                "subject": "Θέμα",
                "description": "Περιγραφή.",
                "notify_channel": "sms",
                "notify_address": "6900000001",
                "address": "Μακεδονίας 12",
                **fields,
            }
        ),
    )


# --- Personal data --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_get_never_shows_the_reporters_personal_data(
    client: Client, post: Callable[..., Any], resident: User, app_account: User, fmt: str
) -> None:
    post("json")
    web = file(resident, contact_name="Μαρία Παπαδοπούλου", contact_phone="6900000001")
    api = ServiceRequest.objects.get(intake="api")
    secrets = [
        LAMP["first_name"],
        LAMP["last_name"],
        LAMP["email"],
        LAMP["phone"],
        app_account.email,
        app_account.first_name,
        resident.email,
        resident.first_name,
        resident.last_name,
        "6900000001",
        web.tracking_code,
        api.tracking_code,
    ]
    pages = [
        client.get(f"{API}/requests.{fmt}").content.decode(),
        client.get(f"{API}/requests/{web.public_id}.{fmt}").content.decode(),
        client.get(f"{API}/requests/{api.public_id}.{fmt}").content.decode(),
    ]
    for page in pages:
        for secret in secrets:
            assert secret not in page, secret
        for tag in ("email", "phone", "first_name", "last_name", "account_id", "contact"):
            assert f'"{tag}"' not in page and f"<{tag}>" not in page


def test_the_place_of_a_request_without_a_place_is_not_shown(
    client: Client, resident: User
) -> None:
    # For certificates the "address" is the applicant's home: personal, not a place to fix.
    certificate = file(
        resident, code="certificates", address="Οδός Σπιτιού 5", latitude=40.3, longitude=21.7
    )
    shown = listed(client, f"?service_request_id={certificate.public_id}")[0]
    assert (shown["address"], shown["lat"], shown["long"]) == (None, None, None)
    assert "Οδός Σπιτιού" not in client.get(f"{API}/requests.xml").content.decode()


def test_status_notes_are_the_staffs_latest_public_note_never_the_citizens(
    client: Client, clerk: User, resident: User
) -> None:
    lamp = file(resident)
    actions.do_change_status(lamp, clerk, "waiting", public_note="Στείλτε φωτογραφία.")
    actions.do_citizen_reply(lamp, resident, "Μένω στο 12, τηλ. 6999999999.")
    shown = listed(client, f"?service_request_id={lamp.public_id}")[0]
    assert shown["status_notes"] == "Στείλτε φωτογραφία."
    assert "6999999999" not in client.get(f"{API}/requests.json").content.decode()
    actions.do_change_status(lamp, clerk, "resolved", public_note="Η λάμπα άλλαξε.")
    shown = listed(client, f"?service_request_id={lamp.public_id}")[0]
    assert (shown["status"], shown["status_notes"]) == ("closed", "Η λάμπα άλλαξε.")


# --- Fields ---------------------------------------------------------------------------------


def test_updated_datetime_is_the_latest_step_and_expected_the_end_of_the_deadline_day(
    client: Client, clerk: User, resident: User
) -> None:
    lamp = file(resident)
    entry = actions.do_change_status(lamp, clerk, "received")
    shown = listed(client, f"?service_request_id={lamp.public_id}")[0]
    assert datetime.fromisoformat(shown["updated_datetime"]) == entry.at.replace(microsecond=0)
    assert datetime.fromisoformat(shown["requested_datetime"]) == lamp.submitted_at.replace(
        microsecond=0
    )
    expected = datetime.fromisoformat(shown["expected_datetime"])
    assert expected.date() == lamp.deadline
    assert (expected.hour, expected.minute) == (23, 59)
    assert expected.utcoffset() in {timedelta(hours=2), timedelta(hours=3)}  # Europe/Athens
    assert shown["agency_responsible"] == "Τεχνική Υπηρεσία"
    assert lamp.protocol in shown["service_notice"]


def test_every_status_is_open_or_closed(client: Client, clerk: User, resident: User) -> None:
    expected = {}
    for status in ("received", "assigned", "in_progress", "waiting"):
        r = file(resident)
        actions.do_change_status(r, clerk, status)
        expected[r.public_id] = "open"
    for status in ("resolved", "rejected", "forwarded"):
        r = file(resident)
        actions.do_change_status(r, clerk, status, public_note="Λόγος.", forwarded_to="ΔΕΔΔΗΕ")
        expected[r.public_id] = "closed"
    expected[file(resident).public_id] = "open"  # submitted
    assert {r["service_request_id"]: r["status"] for r in listed(client)} == expected


def test_ids_are_url_safe_and_lead_back_to_the_request(client: Client, resident: User) -> None:
    for _ in range(3):
        file(resident)
    for shown in listed(client):
        request_id = shown["service_request_id"]
        assert "/" not in request_id and request_id.isascii()
        again = json.loads(client.get(f"{API}/requests/{request_id}.json").content)
        assert again[0]["service_request_id"] == request_id


# --- Filters --------------------------------------------------------------------------------


def test_the_default_is_the_last_90_days(client: Client, resident: User) -> None:
    recent, old = file(resident), file(resident)
    ServiceRequest.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - timedelta(days=91)
    )
    assert [r["service_request_id"] for r in listed(client)] == [recent.public_id]


def test_a_start_date_alone_gives_90_days_from_it(client: Client, resident: User) -> None:
    old = file(resident)
    ServiceRequest.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - timedelta(days=150)
    )
    file(resident)  # today: more than 90 days after the start
    start = (timezone.localdate() - timedelta(days=160)).isoformat()
    assert [r["service_request_id"] for r in listed(client, f"?start_date={start}")] == [
        old.public_id
    ]


def test_an_end_date_alone_gives_the_90_days_before_it(client: Client, resident: User) -> None:
    lamp = file(resident)
    end = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert [r["service_request_id"] for r in listed(client, f"?end_date={end}")] == [lamp.public_id]
    far = (timezone.localdate() + timedelta(days=120)).isoformat()
    assert listed(client, f"?end_date={far}") == []


def test_a_bare_end_date_includes_that_whole_day(client: Client, resident: User) -> None:
    lamp = file(resident)
    today = timezone.localdate().isoformat()
    assert listed(client, f"?start_date={today}&end_date={today}")[0]["service_request_id"] == (
        lamp.public_id
    )


def test_service_code_takes_a_comma_list(client: Client, resident: User) -> None:
    lamp = file(resident)
    bins = file(resident, code="cleaning")
    file(resident, code="roads")
    found = {
        r["service_request_id"] for r in listed(client, "?service_code=street-lighting,cleaning")
    }
    assert found == {lamp.public_id, bins.public_id}
    assert listed(client, "?service_code=no-such-service") == []


@pytest.mark.parametrize(
    "query",
    [
        "?status=",
        "?status=&service_code=&start_date=&end_date=&service_request_id=",
        "?jurisdiction_id=",
    ],
)
def test_empty_arguments_are_as_if_absent(client: Client, resident: User, query: str) -> None:
    file(resident)
    assert listed(client, query) == listed(client)


@pytest.mark.parametrize(
    "query",
    [
        "?status=pending",
        "?start_date=yesterday",
        "?end_date=2026-13-45",
        "?start_date=2026-05-01T00:00:00Z&end_date=2026-04-01T00:00:00Z",
    ],
)
def test_bad_arguments_are_400(client: Client, query: str) -> None:
    response = client.get(f"{API}/requests.json{query}")
    assert response.status_code == 400
    assert json.loads(response.content)[0]["code"] == 400


def test_at_most_1000_newest_first(client: Client, resident: User) -> None:
    made = bulk_requests(resident, 1005)
    found = listed(client)
    assert len(found) == 1000
    assert found[0]["service_request_id"] == made[-1].public_id
    assert made[0].public_id not in {r["service_request_id"] for r in found}


def test_too_many_ids_at_once_are_400(client: Client) -> None:
    ids = ",".join(f"2026-{n:06d}" for n in range(1001))
    assert client.get(f"{API}/requests.json?service_request_id={ids}").status_code == 400


def test_a_wrong_jurisdiction_is_404_when_one_is_configured(client: Client, settings: Any) -> None:
    settings.DIMOS_OPEN311_JURISDICTION_ID = "kozani.gr"
    assert client.get(f"{API}/services.json?jurisdiction_id=kozani.gr").status_code == 200
    assert client.get(f"{API}/services.json").status_code == 200
    response = client.get(f"{API}/services.json?jurisdiction_id=athens.gr")
    assert response.status_code == 404
    assert "jurisdiction_id" in json.loads(response.content)[0]["description"]


# --- Cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_the_list_costs_the_same_queries_for_1_and_30_requests(
    client: Client, resident: User, fmt: str
) -> None:
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/requests.{fmt}").status_code == 200
        return len(captured)

    file(resident)
    one = queries_for_list()
    for _ in range(29):
        file(resident, code="cleaning")
    assert len(listed(client)) == 30
    assert queries_for_list() == one


def test_ids_override_even_bad_other_arguments(client: Client, resident: User) -> None:
    lamp = file(resident)
    query = f"?service_request_id={lamp.public_id}&status=pending&start_date=yesterday"
    assert [r["service_request_id"] for r in listed(client, query)] == [lamp.public_id]
