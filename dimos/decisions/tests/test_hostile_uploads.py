"""The hostile upload set against a decision's PDF: refused, nothing kept."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import DOCUMENT_SAMPLES, GREEK, Sample, stored_files
from dimos.decisions.models import Decision
from dimos.decisions.tests.test_views import _upload

pytestmark = pytest.mark.django_db
GREEK_PDF_ONLY = {**GREEK, "type": "Το επιλεγμένο αρχείο δεν είναι PDF."}


@pytest.mark.parametrize("sample", DOCUMENT_SAMPLES, ids=str)
def test_decision_pdf_refuses_every_hostile_file(
    client_for: Callable[[User], Client],
    secretary: User,
    clamav: FakeClamd,
    settings: Any,
    sample: Sample,
) -> None:
    response = client_for(secretary).post(
        "/decisions/staff/new/", {**_upload(), "pdf": sample.upload()}
    )
    assert response.status_code == 200
    assert GREEK_PDF_ONLY[sample.pdf_only_code] in response.content.decode()
    assert not Decision.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []
