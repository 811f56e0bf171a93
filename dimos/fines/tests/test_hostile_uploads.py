"""The hostile upload set against the import of police tickets: refused, nothing registered."""

from collections.abc import Callable

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.tests.fake_clamd import FakeClamd
from dimos.core.tests.hostile_uploads import GREEK, TEXT_SAMPLES, Sample
from dimos.fines.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sample", TEXT_SAMPLES, ids=str)
def test_ticket_import_refuses_every_hostile_file(
    client_for: Callable[[User], Client], fines_clerk: User, clamav: FakeClamd, sample: Sample
) -> None:
    response = client_for(fines_clerk).post("/fines/staff/import/", {"file": sample.upload()})
    assert response.status_code == 200
    assert GREEK[sample.code] in response.content.decode()
    assert not Ticket.objects.exists()
