import json
import xml.etree.ElementTree as ET
from decimal import Decimal

from dimos.open311.render import errors, respond, to_json, to_xml


def test_xml_has_the_utf8_declaration_and_the_spark_mapping() -> None:
    body = to_xml(
        "service_definition",
        {
            "service_code": "roads",
            "attributes": [{"required": False, "values": [{"key": "a", "name": "Άλφα"}]}],
        },
    )
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<service_definition>')
    tree = ET.fromstring(body)  # noqa: S314 — our own output
    assert tree.findtext("attributes/attribute/required") == "false"
    assert tree.findtext("attributes/attribute/values/value/name") == "Άλφα"
    assert "Άλφα".encode() in body


def test_json_drops_the_root_and_keeps_types() -> None:
    data = json.loads(to_json([{"lat": Decimal("40.300581"), "id": "2026-000001", "x": None}]))
    assert data == [{"lat": 40.300581, "id": "2026-000001", "x": None}]


def test_none_is_an_empty_element_and_null() -> None:
    assert b"<account_id />" in to_xml("service_requests", [{"account_id": None}])
    assert to_json([{"account_id": None}]) == b'[{"account_id": null}]'


def test_text_is_escaped_and_control_characters_dropped() -> None:
    body = to_xml("errors", [{"code": 400, "description": "<b>&\x0b"}])
    assert b"&lt;b&gt;&amp;" in body
    assert ET.fromstring(body).findtext("error/description") == "<b>&"  # noqa: S314


def test_content_types() -> None:
    assert respond("xml", "services", [])["Content-Type"] == "text/xml; charset=utf-8"
    assert respond("json", "services", [])["Content-Type"] == "application/json; charset=utf-8"
    response = errors("json", 404, (404, "Δεν βρέθηκε."), (404, "Ούτε αυτό."))
    assert response.status_code == 404
    assert len(json.loads(response.content)) == 2
