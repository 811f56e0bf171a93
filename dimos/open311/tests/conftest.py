"""Fixtures of the Open311 tests: an API key, a client application's account, POST helpers."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.testing import make_person

API = "/open311/v2"
KEY = "test-open311-key-0123456789"


@pytest.fixture
def app_account(db: None) -> User:
    return make_person("app@example.gr", first_name="Εφαρμογή", last_name="Πολιτών")


@pytest.fixture
def api_key(app_account: User) -> Any:
    from dimos.open311.actions import do_issue_key

    key, _raw = do_issue_key("Εφαρμογή δοκιμών", app_account, None, raw_key=KEY)
    return key


LAMP = {
    "service_code": "street-lighting",
    "lat": "40.300581",
    "long": "21.788039",
    "address_string": "Μακεδονίας 12, Κοζάνη",
    "description": "Σβηστή λάμπα έξω από το 12.\nΕδώ και μια εβδομάδα.",
    "first_name": "Ελένη",
    "last_name": "Ρεπόρτερ",
    "email": "eleni.reporter@example.gr",
    "phone": "6971234567",
}


@pytest.fixture
def post(client: Client, api_key: Any) -> Callable[..., Any]:
    """POST requests.<fmt> with the test key and the lamp report, changed by keyword."""

    def _post(fmt: str = "json", **fields: Any) -> Any:
        data = {"api_key": KEY, **LAMP, **fields}
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"{API}/requests.{fmt}", data)

    return _post
