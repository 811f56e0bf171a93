"""The hostile upload set against the import of bank statements: refused, nothing applied."""

from collections.abc import Callable

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import GREEK, TEXT_SAMPLES, Sample
from dimos.payments.models import Payment, StatementImport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sample", TEXT_SAMPLES, ids=str)
def test_statement_import_refuses_every_hostile_file(
    client_for: Callable[[User], Client], clerk: User, clamav: FakeClamd, sample: Sample
) -> None:
    clerk.is_superuser = True
    clerk.save()
    response = client_for(clerk).post("/payments/staff/import/", {"file": sample.upload()})
    assert response.status_code == 200
    assert GREEK[sample.code] in response.content.decode()
    assert not StatementImport.objects.exists() and not Payment.objects.exists()
