"""The hostile upload set against the request form and the reply form: refused, nothing kept."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import DOCUMENT_SAMPLES, GREEK, Sample, stored_files
from dimos.service_requests.models import Attachment, ServiceRequest
from dimos.service_requests.tests.test_views_citizen import file_request, form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sample", DOCUMENT_SAMPLES, ids=str)
def test_request_form_refuses_every_hostile_file(
    client_for: Callable[[User], Client],
    resident: User,
    clamav: FakeClamd,
    settings: Any,
    sample: Sample,
) -> None:
    response = client_for(resident).post("/requests/new/", form_data(attachments=[sample.upload()]))
    assert response.status_code == 200
    assert GREEK[sample.code] in response.content.decode()
    assert not Attachment.objects.exists() and not ServiceRequest.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("sample", DOCUMENT_SAMPLES, ids=str)
def test_reply_form_refuses_every_hostile_file(
    client: Client, resident: User, clamav: FakeClamd, settings: Any, sample: Sample
) -> None:
    client.force_login(resident)
    mine = file_request(client)
    response = client.post(
        f"/requests/{mine.public_id}/reply/",
        {"text": "Δείτε το συνημμένο.", "attachments": [sample.upload()]},
    )
    assert response.status_code == 200
    assert GREEK[sample.code] in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(settings.MEDIA_ROOT / "uploads") == []
