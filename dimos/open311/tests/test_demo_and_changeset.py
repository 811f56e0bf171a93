import io
import json
from datetime import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from dimos.accounts.demo import STAFF_GROUP
from dimos.open311 import changeset
from dimos.open311.demo import DEMO_API_KEY, load
from dimos.open311.models import ApiKey
from dimos.open311.tests.conftest import API, LAMP
from dimos.service_requests.models import Category, ServiceRequest

pytestmark = pytest.mark.django_db


def test_the_demo_key_files_requests_and_loading_twice_changes_nothing(client: Client) -> None:
    out = io.StringIO()
    load(out)
    load(out)
    assert DEMO_API_KEY in out.getvalue()
    key = ApiKey.objects.get()
    assert key.owner.email == "open311-demo@example.gr"
    assert key.key_hash == ApiKey.hash_of("dimos-demo-open311-key")
    assert Group.objects.get(name=STAFF_GROUP).permissions.filter(codename="change_apikey")
    response = client.post(f"{API}/requests.json", {**LAMP, "api_key": DEMO_API_KEY})
    assert response.status_code == 200
    assert ServiceRequest.objects.get().citizen == key.owner


def _changeset(client: Client) -> datetime:
    return datetime.fromisoformat(
        json.loads(client.get(f"{API}/discovery.json").content)["changeset"]
    )


def test_changing_a_service_moves_the_changeset(client: Client) -> None:
    before = _changeset(client)
    assert before == changeset.DEFINITIONS_CHANGED
    roads = Category.objects.get(code="roads")
    roads.name = "Δρόμοι και πεζοδρόμια"
    roads.save()
    after = _changeset(client)
    assert after > before
    roads.department.save()
    assert _changeset(client) >= after
