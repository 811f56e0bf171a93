"""The conformance checklist of ../shared/reference/requests-open311.md §1.13, item by item, on
both formats. XML is parsed with ElementTree on its own terms (root tags, declaration), not
through our renderer, so the two formats are checked independently."""

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import User
from dimos.open311 import definitions
from dimos.open311.tests.conftest import API, LAMP
from dimos.open311.tests.helpers import bulk_requests
from dimos.service_requests import actions
from dimos.service_requests.models import Category, ServiceRequest

pytestmark = pytest.mark.django_db

FORMATS = ["xml", "json"]
CONTENT_TYPES = {"xml": "text/xml", "json": "application/json"}
LIST_CONTAINERS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def _from_xml(element: ET.Element) -> Any:
    children = list(element)
    if element.tag in LIST_CONTAINERS:
        assert all(c.tag == LIST_CONTAINERS[element.tag] for c in children), element.tag
        return [_from_xml(c) for c in children]
    if children:
        assert len({c.tag for c in children}) == len(children), f"repeated tag in {element.tag}"
        return {c.tag: _from_xml(c) for c in children}
    return element.text


def parse(response: Any, fmt: str, root: str) -> Any:
    """The body as Python values; for XML the declaration, the root tag and UTF-8 are checked."""
    content_type = response["Content-Type"]
    assert content_type.split(";")[0] == CONTENT_TYPES[fmt]
    assert "charset=utf-8" in content_type
    if fmt == "json":
        return json.loads(response.content.decode("utf-8"))
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    tree = ET.fromstring(response.content)  # noqa: S314 — our own response, not untrusted input
    assert tree.tag == root
    return _from_xml(tree)


def text(value: Any) -> str | None:
    """A value as XML would write it, to compare JSON and XML the same way."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def is_w3c_with_zone(value: str) -> bool:
    moment = datetime.fromisoformat(value)
    return moment.tzinfo is not None and "T" in value


def assert_errors(response: Any, fmt: str, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status
    problems = parse(response, fmt, "errors")
    assert isinstance(problems, list) and problems
    for problem in problems:
        assert set(problem) == {"code", "description"}
        assert problem["description"]
        if fmt == "json":
            assert isinstance(problem["code"], int)
    return problems


# --- 1. Discovery ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_1_discovery_has_every_field_and_a_past_changeset(client: Client, fmt: str) -> None:
    response = client.get(f"{API}/discovery.{fmt}")
    assert response.status_code == 200
    discovery = parse(response, fmt, "discovery")
    assert set(discovery) == {"changeset", "contact", "key_service", "endpoints"}
    assert discovery["contact"] and discovery["key_service"]
    assert datetime.fromisoformat(discovery["changeset"]) <= timezone.now()
    assert discovery["endpoints"]
    for endpoint in discovery["endpoints"]:
        assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://testserver/open311/v2"
        assert datetime.fromisoformat(endpoint["changeset"]) <= timezone.now()
        assert endpoint["type"] in {"production", "test"}
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}


# --- 2. Service list ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_2_services_have_every_field_and_allowed_values(client: Client, fmt: str) -> None:
    response = client.get(f"{API}/services.{fmt}")
    assert response.status_code == 200
    services = parse(response, fmt, "services")
    assert len(services) == Category.objects.filter(active=True).count() >= 1
    for service in services:
        assert set(service) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert service["service_code"] and isinstance(service["service_code"], str)
        assert text(service["metadata"]) in {"true", "false"}
        assert service["type"] in {"realtime", "batch", "blackbox"}
    lamp = next(s for s in services if s["service_code"] == "street-lighting")
    assert lamp["service_name"] == "Ηλεκτροφωτισμός"
    assert lamp["group"] == "Τεχνική Υπηρεσία"


@pytest.mark.parametrize("fmt", FORMATS)
def test_2_retired_categories_are_not_services(client: Client, fmt: str) -> None:
    Category.objects.filter(code="roads").update(active=False)
    services = parse(client.get(f"{API}/services.{fmt}"), fmt, "services")
    assert "roads" not in {s["service_code"] for s in services}
    assert client.get(f"{API}/services/roads.{fmt}").status_code == 404


# --- 3. Service definitions -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_3_every_metadata_service_has_a_valid_definition(client: Client, fmt: str) -> None:
    services = parse(client.get(f"{API}/services.{fmt}"), fmt, "services")
    for service in services:
        if text(service["metadata"]) != "true":
            continue
        code = service["service_code"]
        response = client.get(f"{API}/services/{code}.{fmt}")
        assert response.status_code == 200
        definition = parse(response, fmt, "service_definition")
        assert definition["service_code"] == code
        orders = [int(a["order"]) for a in definition["attributes"]]
        assert len(orders) == len(set(orders)) and min(orders) >= 1
        for attribute in definition["attributes"]:
            assert attribute["datatype"] in definitions.DATATYPES
            assert text(attribute["variable"]) in {"true", "false"}
            assert text(attribute["required"]) in {"true", "false"}
            assert attribute["code"] and attribute["description"]
            if attribute["datatype"] in {"singlevaluelist", "multivaluelist"}:
                assert attribute["values"]
                for value in attribute["values"]:
                    assert value["key"] and value["name"]
        codes = {a["code"] for a in definition["attributes"]}
        assert {"kind", "notification_channel"} <= codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_3_the_channel_attribute_offers_the_four_channels(client: Client, fmt: str) -> None:
    definition = parse(client.get(f"{API}/services/certificates.{fmt}"), fmt, "service_definition")
    channel = next(a for a in definition["attributes"] if a["code"] == "notification_channel")
    assert channel["datatype"] == "singlevaluelist"
    assert [v["key"] for v in channel["values"]] == ["email", "sms", "phone", "fax"]
    kind = next(a for a in definition["attributes"] if a["code"] == "kind")
    assert {v["key"] for v in kind["values"]} == {"request", "complaint"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_3_unknown_service_definition_is_404(client: Client, fmt: str) -> None:
    assert_errors(client.get(f"{API}/services/no-such-service.{fmt}"), fmt, 404)


# --- 4. POST --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_4_post_without_api_key_is_403(post: Callable[..., Any], fmt: str, client: Client) -> None:
    response = client.post(f"{API}/requests.{fmt}", LAMP)
    assert_errors(response, fmt, 403)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_4_post_with_unknown_service_code_is_404(post: Callable[..., Any], fmt: str) -> None:
    assert_errors(post(fmt, service_code="no-such-service"), fmt, 404)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_4_post_without_location_is_400(post: Callable[..., Any], fmt: str) -> None:
    problems = assert_errors(post(fmt, lat=None, long=None, address_string=None), fmt, 400)
    assert [p["description"] for p in problems] == [
        "Η υπηρεσία αυτή απαιτεί τοποθεσία: lat και long ή address_string ή address_id."
    ]
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_4_post_without_a_required_attribute_is_400(
    post: Callable[..., Any], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Our attributes all have defaults; the rule is checked with the kind made required.
    required_kind = definitions.Attribute(
        code="kind",
        order=1,
        description=definitions.ATTRIBUTES[0].description,
        choices=definitions.ATTRIBUTES[0].choices,
        required=True,
    )
    monkeypatch.setattr(definitions, "ATTRIBUTES", (required_kind, definitions.ATTRIBUTES[1]))
    problems = assert_errors(post(fmt), fmt, 400)
    assert any("attribute[kind]" in p["description"] for p in problems)
    assert post(fmt, **{"attribute[kind]": "request"}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_4_valid_post_returns_exactly_an_id_and_no_token(
    post: Callable[..., Any], fmt: str
) -> None:
    response = post(fmt)
    assert response.status_code in {200, 201}
    created = parse(response, fmt, "service_requests")
    assert len(created) == 1
    assert "service_request_id" in created[0] and "token" not in created[0]
    assert "account_id" in created[0] and created[0]["account_id"] is None
    service_request = ServiceRequest.objects.get()
    assert created[0]["service_request_id"] == service_request.public_id
    assert service_request.protocol in created[0]["service_notice"]


# --- 5. GET one request ---------------------------------------------------------------------


@pytest.fixture
def lamp(resident: User) -> ServiceRequest:
    return actions.do_submit_request(
        resident,
        actions.Submission(
            kind="complaint",
            category=Category.objects.get(code="street-lighting"),
            subject="Σβηστή λάμπα",
            description="Η λάμπα είναι σβηστή.",
            notify_channel="email",
            notify_address=resident.email,
            address="Μακεδονίας 12",
        ),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_5_one_request_is_a_list_of_one_with_zoned_datetimes(
    client: Client, lamp: ServiceRequest, fmt: str
) -> None:
    response = client.get(f"{API}/requests/{lamp.public_id}.{fmt}")
    assert response.status_code == 200
    found = parse(response, fmt, "service_requests")
    assert isinstance(found, list) and len(found) == 1
    request = found[0]
    assert set(request) == REQUEST_FIELDS
    assert request["service_request_id"] == lamp.public_id
    assert request["status"] in {"open", "closed"}
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert is_w3c_with_zone(request[field]), field


@pytest.mark.parametrize("fmt", FORMATS)
def test_5_unknown_request_is_404(client: Client, fmt: str) -> None:
    assert_errors(client.get(f"{API}/requests/2026-999999.{fmt}"), fmt, 404)
    assert_errors(client.get(f"{API}/requests/not-an-id.{fmt}"), fmt, 404)


# --- 6. GET requests ------------------------------------------------------------------------


def _ids(response: Any, fmt: str) -> set[str]:
    assert response.status_code == 200
    return {r["service_request_id"] for r in parse(response, fmt, "service_requests")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_6_service_request_id_overrides_the_other_filters(
    client: Client, resident: User, lamp: ServiceRequest, fmt: str
) -> None:
    other = actions.do_submit_request(
        resident,
        actions.Submission(
            kind="request",
            category=Category.objects.get(code="certificates"),
            subject="Πιστοποιητικό",
            description="Πιστοποιητικό.",
            notify_channel="email",
            notify_address=resident.email,
        ),
    )
    ServiceRequest.objects.filter(pk=other.pk).update(
        submitted_at=timezone.now() - timedelta(days=200)
    )
    url = (
        f"{API}/requests.{fmt}?service_request_id={lamp.public_id},{other.public_id}"
        "&status=closed&service_code=roads&start_date=2020-01-01T00:00:00Z"
        "&end_date=2020-01-02T00:00:00Z"
    )
    assert _ids(client.get(url), fmt) == {lamp.public_id, other.public_id}


@pytest.mark.parametrize("fmt", FORMATS)
def test_6_status_filters_open_and_closed(
    client: Client, clerk: User, lamp: ServiceRequest, resident: User, fmt: str
) -> None:
    done = actions.do_submit_request(
        resident,
        actions.Submission(
            kind="complaint",
            category=Category.objects.get(code="cleaning"),
            subject="Κάδοι",
            description="Γεμάτοι κάδοι.",
            notify_channel="email",
            notify_address=resident.email,
            address="Πλατεία Νίκης",
        ),
    )
    actions.do_change_status(done, clerk, "resolved", public_note="Άδειασαν.")
    assert _ids(client.get(f"{API}/requests.{fmt}?status=open"), fmt) == {lamp.public_id}
    assert _ids(client.get(f"{API}/requests.{fmt}?status=closed"), fmt) == {done.public_id}
    both = _ids(client.get(f"{API}/requests.{fmt}?status=open,closed"), fmt)
    assert both == {lamp.public_id, done.public_id}


@pytest.mark.parametrize("fmt", FORMATS)
def test_6_a_range_over_90_days_is_rejected(client: Client, fmt: str) -> None:
    url = f"{API}/requests.{fmt}?start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z"
    assert_errors(client.get(url), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_6_dates_apply_to_requested_datetime(
    client: Client, lamp: ServiceRequest, fmt: str
) -> None:
    filed = timezone.localtime(lamp.submitted_at)
    before = (filed - timedelta(days=10)).isoformat()
    just_before = (filed - timedelta(seconds=1)).isoformat()
    just_after = (filed + timedelta(seconds=1)).isoformat()

    def window(start: str, end: str) -> set[str]:
        params = {"start_date": start, "end_date": end}
        return _ids(client.get(f"{API}/requests.{fmt}", params), fmt)

    assert window(just_before, just_after) == {lamp.public_id}
    assert window(before, just_before) == set()


@pytest.mark.parametrize("fmt", FORMATS)
def test_6_no_more_than_1000_results(client: Client, resident: User, fmt: str) -> None:
    bulk_requests(resident, 1001)
    found = parse(client.get(f"{API}/requests.{fmt}"), fmt, "service_requests")
    assert len(found) == 1000


# --- 7. Tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_7_no_batch_services_so_no_tokens(client: Client, fmt: str) -> None:
    services = parse(client.get(f"{API}/services.{fmt}"), fmt, "services")
    assert all(s["type"] == "realtime" for s in services)
    assert_errors(client.get(f"{API}/tokens/123.{fmt}"), fmt, 404)


# --- 8. Errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_8_errors_are_always_an_error_list(
    client: Client, post: Callable[..., Any], fmt: str
) -> None:
    assert_errors(client.post(f"{API}/requests.{fmt}", {"api_key": "wrong"}), fmt, 403)
    assert_errors(post(fmt, service_code=""), fmt, 400)
    assert_errors(client.get(f"{API}/requests.{fmt}?status=pending"), fmt, 400)
    assert_errors(client.get(f"{API}/nothing-here.{fmt}"), fmt, 404)


def test_8_unknown_formats_are_404_in_xml(client: Client) -> None:
    for path in ("services.html", "discovery.csv", "requests.yaml", "services/roads.rss"):
        response = client.get(f"{API}/{path}")
        assert_errors(response, "xml", 404)
    assert_errors(client.get(f"{API}/services"), "xml", 404)
