"""POST requests: who may file, what is checked, and what the back office receives."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.open311 import rules
from dimos.open311.actions import do_revoke_key
from dimos.open311.models import ApiKey
from dimos.open311.tests.conftest import API, KEY, LAMP
from dimos.service_requests.models import ServiceRequest
from dimos.testing import make_staff

pytestmark = pytest.mark.django_db


def descriptions(response: Any) -> list[str]:
    return [e["description"] for e in json.loads(response.content)]


# --- Who may file ---------------------------------------------------------------------------


def test_post_without_key_is_403_and_files_nothing(client: Client, api_key: ApiKey) -> None:
    response = client.post(f"{API}/requests.json", LAMP)
    assert response.status_code == 403
    assert descriptions(response) == ["Δεν δόθηκε api_key."]
    assert not ServiceRequest.objects.exists()


def test_post_with_a_wrong_key_is_403(client: Client, api_key: ApiKey) -> None:
    response = client.post(f"{API}/requests.xml", {**LAMP, "api_key": KEY + "x"})
    assert response.status_code == 403
    assert b"<errors><error><code>403</code>" in response.content
    assert not ServiceRequest.objects.exists()


def test_post_with_a_revoked_key_is_403(
    post: Callable[..., Any], api_key: ApiKey, clerk: User
) -> None:
    do_revoke_key(api_key, clerk)
    response = post("json")
    assert response.status_code == 403
    assert descriptions(response) == ["Το api_key δεν είναι έγκυρο ή έχει ανακληθεί."]
    assert not ServiceRequest.objects.exists()


def test_post_for_a_deactivated_account_is_403(post: Callable[..., Any], app_account: User) -> None:
    app_account.is_active = False
    app_account.save()
    assert post("json").status_code == 403


def test_the_key_is_sent_in_the_body_and_no_csrf_token_is_needed(api_key: ApiKey) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{API}/requests.json", {**LAMP, "api_key": KEY}).status_code == 200


def test_get_ignores_the_key_and_needs_none(client: Client) -> None:
    assert client.get(f"{API}/requests.json").status_code == 200


def test_more_than_the_posts_per_minute_are_429_in_the_error_format(
    post: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "POSTS_PER_MINUTE", 2)
    assert post("json").status_code == 200
    assert post("json").status_code == 200
    response = post("xml")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert b"<errors><error><code>429</code>" in response.content
    assert ServiceRequest.objects.count() == 2


# --- What is checked ------------------------------------------------------------------------


def test_missing_service_code_is_400(post: Callable[..., Any]) -> None:
    response = post("json", service_code=None)
    assert response.status_code == 400
    assert descriptions(response) == ["Δεν δόθηκε service_code."]


def test_every_problem_is_listed_at_once_and_nothing_is_filed(post: Callable[..., Any]) -> None:
    response = post(
        "json",
        lat=None,
        long=None,
        address_string=None,
        description="x" * 4001,
        **{"attribute[kind]": "praise"},
    )
    assert response.status_code == 400
    problems = descriptions(response)
    assert (
        "Η υπηρεσία αυτή απαιτεί τοποθεσία: lat και long ή address_string ή address_id." in problems
    )
    assert any(p.startswith("description:") for p in problems)
    assert "Το attribute[kind] πρέπει να έχει μία από τις τιμές: complaint, request." in problems
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"long": None}, "Τα lat και long πρέπει να σταλούν μαζί."),
        ({"lat": "ninety"}, "lat: Εισάγετε το γεωγραφικό πλάτος σε μοίρες, από -90 έως 90."),
        ({"long": "181"}, "long: Εισάγετε το γεωγραφικό μήκος σε μοίρες, από -180 έως 180."),
        ({"lat": "NaN"}, "lat: Εισάγετε το γεωγραφικό πλάτος σε μοίρες, από -90 έως 90."),
        (
            {"email": None, "phone": "12345"},
            "phone: Εισάγετε ελληνικό αριθμό τηλεφώνου 10 ψηφίων.",
        ),
        (
            {"attribute[notification_channel]": "sms", "phone": "2461012345"},
            (
                "phone: Για SMS εισάγετε ελληνικό αριθμό κινητού τηλεφώνου: "
                "10 ψηφία που αρχίζουν από 69."
            ),
        ),
        (
            {"email": None, "phone": None, "attribute[notification_channel]": "email"},
            "Για ενημέρωση με e-mail, στείλτε το πεδίο email.",
        ),
        (
            {"phone": None, "attribute[notification_channel]": "fax"},
            "Για ενημέρωση με SMS, τηλέφωνο ή φαξ, στείλτε το πεδίο phone.",
        ),
        (
            {"attribute[notification_channel]": "pigeon"},
            (
                "Το attribute[notification_channel] πρέπει να έχει μία από τις τιμές: "
                "email, fax, phone, sms."
            ),
        ),
    ],
)
def test_bad_fields_are_400_with_a_message_naming_them(
    post: Callable[..., Any], fields: dict[str, Any], expected: str
) -> None:
    response = post("json", **fields)
    assert response.status_code == 400
    assert expected in descriptions(response)
    assert not ServiceRequest.objects.exists()


def test_a_null_character_is_400_not_a_crash(post: Callable[..., Any]) -> None:
    response = post("json", description="Λάμπα\x00")
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_unknown_attributes_and_fields_are_ignored(post: Callable[..., Any]) -> None:
    response = post("json", device_id="abc", account_id="7", **{"attribute[colour]": "red"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "location",
    [
        {"lat": None, "long": None},
        {"lat": None, "long": None, "address_string": None, "address_id": "ADDR-1234"},
        {"address_string": None},
    ],
)
def test_any_one_location_is_enough(post: Callable[..., Any], location: dict[str, Any]) -> None:
    assert post("json", **location).status_code == 200


def test_a_service_without_a_place_needs_no_location(post: Callable[..., Any]) -> None:
    response = post("json", service_code="certificates", lat=None, long=None, address_string=None)
    assert response.status_code == 200
    assert ServiceRequest.objects.get().category.code == "certificates"


# --- What is filed --------------------------------------------------------------------------


def test_the_request_is_filed_through_the_api_for_the_key_owner(
    post: Callable[..., Any], app_account: User, api_key: ApiKey
) -> None:
    response = post("json")
    assert response.status_code == 200
    filed = ServiceRequest.objects.get()
    assert json.loads(response.content)[0]["service_request_id"] == filed.public_id
    assert filed.intake == ServiceRequest.Intake.API
    assert filed.citizen == app_account
    assert filed.kind == "complaint"
    assert filed.subject == "Σβηστή λάμπα έξω από το 12."
    assert filed.description == LAMP["description"]
    assert filed.address == "Μακεδονίας 12, Κοζάνη"
    assert filed.latitude == Decimal("40.300581")
    assert filed.longitude == Decimal("21.788039")
    assert filed.contact_name == "Ελένη Ρεπόρτερ"
    assert filed.contact_email == "eleni.reporter@example.gr"
    assert filed.contact_phone == "6971234567"
    assert (filed.notify_channel, filed.notify_address) == ("email", "eleni.reporter@example.gr")
    assert filed.department.code == "technical"
    assert filed.timeline.count() == 1
    event = AuditEvent.objects.get(action="open311.request_filed")
    assert event.object_id == str(filed.pk)
    assert event.details["api_key"] == api_key.pk
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_the_kind_attribute_files_a_request(post: Callable[..., Any]) -> None:
    post("json", **{"attribute[kind]": "request"})
    assert ServiceRequest.objects.get().kind == "request"


@pytest.mark.parametrize(
    ("fields", "channel", "address"),
    [
        ({"email": None}, "sms", "6971234567"),
        ({"email": None, "phone": "2461012345"}, "phone", "2461012345"),
        ({"attribute[notification_channel]": "phone"}, "phone", "6971234567"),
        ({"attribute[notification_channel]": "fax", "phone": "2461012345"}, "fax", "2461012345"),
        ({"email": None, "phone": None}, "email", "app@example.gr"),
    ],
)
def test_the_notification_channel_and_its_address(
    post: Callable[..., Any], fields: dict[str, Any], channel: str, address: str
) -> None:
    assert post("json", **fields).status_code == 200
    filed = ServiceRequest.objects.get()
    assert (filed.notify_channel, filed.notify_address) == (channel, address)


def test_without_a_description_the_subject_is_the_service_name(post: Callable[..., Any]) -> None:
    assert post("json", description=None).status_code == 200
    assert ServiceRequest.objects.get().subject == "Ηλεκτροφωτισμός"


def test_fixmystreets_not_pinpointed_address_id_keeps_the_address_string(
    post: Callable[..., Any],
) -> None:
    post("json", lat=None, long=None, address_id=rules.NOT_PINPOINTED)
    assert ServiceRequest.objects.get().address == "Μακεδονίας 12, Κοζάνη"


def test_the_request_reaches_the_back_office_of_the_categorys_department(
    post: Callable[..., Any], client_for: Callable[[User], Client]
) -> None:
    created = json.loads(post("json").content)[0]
    filed = ServiceRequest.objects.get()
    technical = make_staff("tech@example.gr", "technical")
    staff = client_for(technical)
    queue = staff.get("/requests/staff/").content.decode()
    assert filed.protocol in queue
    assert created["service_request_id"] == filed.public_id
    assert staff.get(f"/requests/staff/{filed.public_id}/").status_code == 200


def test_the_request_does_not_reach_another_department(
    post: Callable[..., Any], client_for: Callable[[User], Client], clerk: User
) -> None:
    post("json")
    filed = ServiceRequest.objects.get()
    assert filed.protocol not in client_for(clerk).get("/requests/staff/").content.decode()


def test_greek_text_survives_the_round_trip_in_utf8(post: Callable[..., Any]) -> None:
    response = post("xml", description="Ωραία πόλη — «σβηστή» λάμπα ΣΟΣ")
    assert response.status_code == 200
    assert ServiceRequest.objects.get().description == "Ωραία πόλη — «σβηστή» λάμπα ΣΟΣ"


def test_other_methods_are_405_in_the_error_format(client: Client) -> None:
    response = client.put(f"{API}/requests.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert json.loads(response.content)[0]["code"] == 405
    assert client.post(f"{API}/services.xml").status_code == 405


def test_a_filed_request_is_found_at_once_by_its_id(
    post: Callable[..., Any], client: Client
) -> None:
    created = json.loads(post("json").content)[0]
    found = json.loads(client.get(f"{API}/requests/{created['service_request_id']}.json").content)
    assert found[0]["status"] == "open"
    assert found[0]["service_code"] == "street-lighting"
    assert found[0]["requested_datetime"][:10] == timezone.localdate().isoformat()
