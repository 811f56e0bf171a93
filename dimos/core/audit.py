"""The audit log helper: one call per state change and per staff read of personal data."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from dimos.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy REMOTE_ADDR is the proxy; the proxy must set X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


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
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        subject=subject,
        ip=client_ip(request),
        details=details,
    )
