"""Discovery's `changeset`: the last time the services or their definitions changed.

Clients cache the service list and the definitions until the changeset moves. Categories and
departments (the services and their groups) move it when saved or deleted; the attributes of
the definitions live in code (definitions.py), so changing them means moving DEFINITIONS_CHANGED.
"""

from datetime import UTC, datetime
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from dimos.open311.models import Changeset

DEFINITIONS_CHANGED = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
_SENDERS = ("service_requests.Category", "accounts.Department")


def current() -> datetime:
    row = Changeset.objects.filter(pk=1).first()
    if row is None:
        return DEFINITIONS_CHANGED
    return max(row.changed_at, DEFINITIONS_CHANGED)


def touch() -> None:
    Changeset.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})


def _changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # loaddata: the fixture says what the data was, not that it changed now
        touch()


def connect() -> None:
    for sender in _SENDERS:
        post_save.connect(_changed, sender=sender, dispatch_uid=f"open311-changeset-save-{sender}")
        post_delete.connect(
            _changed, sender=sender, dispatch_uid=f"open311-changeset-delete-{sender}"
        )
