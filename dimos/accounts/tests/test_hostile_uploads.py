"""The hostile upload set against the business registration's proof: refused, nothing kept."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import Business, Representation, User
from dimos.accounts.tests.test_business import business_form
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import DOCUMENT_SAMPLES, GREEK, Sample, stored_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sample", DOCUMENT_SAMPLES, ids=str)
def test_business_proof_refuses_every_hostile_file(
    client_for: Callable[[User], Client],
    citizen: User,
    clamav: FakeClamd,
    settings: Any,
    sample: Sample,
) -> None:
    response = client_for(citizen).post(
        "/accounts/me/businesses/new/", business_form(proof=sample.upload())
    )
    assert response.status_code == 200
    assert GREEK[sample.code] in response.content.decode()
    assert (
        not Representation.objects.exists()
        and not Business.objects.filter(afm="094014201").exists()
    )
    assert stored_files(settings.MEDIA_ROOT) == []
