"""The hostile upload set against the import of municipal tax debts: refused, nothing issued."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.business_tax.models import Debt
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import GREEK, TEXT_SAMPLES, Sample

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sample", TEXT_SAMPLES, ids=str)
def test_debt_import_refuses_every_hostile_file(
    client_for: Callable[[User], Client],
    tax_clerk: User,
    fees: Any,
    clamav: FakeClamd,
    sample: Sample,
) -> None:
    response = client_for(tax_clerk).post(
        "/business-tax/staff/debts/import/", {"file": sample.upload()}
    )
    assert response.status_code == 200
    assert GREEK[sample.code] in response.content.decode()
    assert not Debt.objects.exists()
