"""The hostile upload set against a poll's document: refused, nothing kept."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import DOCUMENT_SAMPLES, GREEK, Sample, stored_files
from dimos.polls.models import Poll
from dimos.polls.tests.test_views_staff import poll_form

pytestmark = pytest.mark.django_db
GREEK_PDF_ONLY = {**GREEK, "type": "Το έγγραφο πρέπει να είναι αρχείο PDF."}


@pytest.mark.parametrize("sample", DOCUMENT_SAMPLES, ids=str)
def test_poll_document_refuses_every_hostile_file(
    client_for: Callable[[User], Client],
    poll_clerk: User,
    clamav: FakeClamd,
    settings: Any,
    sample: Sample,
) -> None:
    response = client_for(poll_clerk).post(
        "/polls/staff/new/", {**poll_form(), "document": sample.upload()}
    )
    assert response.status_code == 200
    assert GREEK_PDF_ONLY[sample.pdf_only_code] in response.content.decode()
    assert not Poll.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []
