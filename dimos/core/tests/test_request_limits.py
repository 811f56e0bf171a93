"""A request Django refuses for its size or its number of files gets our Greek page, not a 500."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.accounts.models import User
from dimos.testing import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_too_many_files_get_a_clear_page(client: Client, resident: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(resident)
    files = [SimpleUploadedFile(f"{i}.pdf", PDF_BYTES) for i in range(4)]
    response = client.post("/requests/new/", {"attachments": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Το αίτημα δεν μπορεί να εξυπηρετηθεί" in page
    assert "πάρα πολλά αρχεία" in page


def test_upload_over_limit_rejected_with_a_clear_page(
    client: Client, resident: User, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(resident)
    response = client.post("/requests/new/", {"description": "α" * 2048})
    assert response.status_code == 400
    assert "πολύ μεγάλο" in response.content.decode()
