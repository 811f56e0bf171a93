"""The audit log helper: one call per state change and per staff read of personal data."""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

from dimos.core.clients import client_ip
from dimos.core.models import AuditEvent
from dimos.core.security_log import security_event

__all__ = [
    "client_ip",
    "event",
    "record",
    "record_all",
    "register_read_label",
    "staff_reads_about",
]


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    subject: Any = None,
    **details: Any,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj`. Call it inside the action's transaction."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if action in _READ_LABELS:
        security_event(
            "staff_read",
            request=request,
            actor=actor,
            obj=obj,
            action=action,
            subject=getattr(subject, "pk", None),
        )
    audit_event = _row(action, obj, actor, request, subject, details)
    audit_event.save(force_insert=True)
    return audit_event


def event(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    subject: Any = None,
    **details: Any,
) -> AuditEvent:
    """The row `record` writes, not yet saved: for `record_all` (a bank statement's entries).
    Staff reads are not batched: they go through `record`, which also logs them."""
    if action in _READ_LABELS:
        raise ValueError(f"{action!r} is a staff read: use audit.record")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return _row(action, obj, actor, request, subject, details)


def _row(
    action: str,
    obj: models.Model | None,
    actor: Any,
    request: HttpRequest | None,
    subject: Any,
    details: dict[str, Any],
) -> AuditEvent:
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        subject=subject,
        ip=client_ip(request),
        details=details,
    )


def record_all(events: list[AuditEvent]) -> None:
    """Write many `event`s in one statement, inside the action's transaction."""
    AuditEvent.objects.bulk_create(events, batch_size=1000)


# What a staff read means to the citizen whose data it was, by action; apps register theirs.
_READ_LABELS: dict[str, Promise] = {}


def register_read_label(action: str, label: Promise) -> None:
    _READ_LABELS[action] = label


def staff_reads_about(person: Any, limit: int = 50) -> list[tuple[AuditEvent, Promise]]:
    """The latest times staff read this person's data, for the person to see."""
    events: QuerySet[AuditEvent] = (
        AuditEvent.objects.filter(subject=person, action__in=list(_READ_LABELS))
        .exclude(actor=person)
        .select_related("actor")[:limit]
    )
    return [(event, _READ_LABELS[event.action]) for event in events]
