"""One description of a response, written as XML or as JSON by the spec's Spark convention.

A response is a root tag and a value: a list (XML: the root holding one element per item;
JSON: an array, the root dropped) or a dict (XML: the root holding one element per key; JSON:
an object). Lists inside are named by their container (`attributes` holds `attribute`s).
`None` is an empty element in XML and `null` in JSON; booleans are `true`/`false` in both.
"""

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from dimos.open311.rules import FORMATS, clean_text

ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_tag), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = clean_text(str(value))


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return str(value)  # lazy translations


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=_json_default).encode()


def respond(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    body = to_json(data) if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def errors(fmt: str, status: int, *problems: tuple[int, str]) -> HttpResponse:
    """The spec's error list: `<errors><error><code/><description/></error></errors>`."""
    data = [{"code": code, "description": str(description)} for code, description in problems]
    return respond(fmt, "errors", data, status=status)
