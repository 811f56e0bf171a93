"""Audit rows written many at once (a bank statement's) are the rows `record` writes."""

import pytest
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import User
from dimos.core import audit
from dimos.core.models import AuditEvent

pytestmark = pytest.mark.django_db
FIELDS = ("action", "actor", "object_type", "object_id", "object_repr", "subject", "ip", "details")


def test_events_written_together_are_the_rows_record_writes(citizen: User, clerk: User) -> None:
    audit.record("thing.checked", citizen, actor=clerk, subject=citizen, reason="α", n=1)
    one = list(AuditEvent.objects.values_list(*FIELDS))
    AuditEvent.objects.all().delete()
    audit.record_all(
        [audit.event("thing.checked", citizen, actor=clerk, subject=citizen, reason="α", n=1)]
    )
    assert list(AuditEvent.objects.values_list(*FIELDS)) == one
    assert AuditEvent.objects.get().at is not None


def test_a_staff_read_cannot_be_written_in_bulk(citizen: User) -> None:
    audit.register_read_label("test.read_in_bulk", _("test"))
    with pytest.raises(ValueError):
        audit.event("test.read_in_bulk", citizen, subject=citizen)
