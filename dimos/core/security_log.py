"""Security events as one JSON line each, on the `dimos.security` logger (ASVS 5.0 16.2, 16.3).

Every line says when (UTC), what (`event`), who (`actor`: the account id, never a name), from
where (`ip`, `request_id`, `path`) and to what (`object`). What it must never say: passwords,
session ids, card data, a full IBAN or an ΑΜΚΑ — `test_logs.py` scans every test's log lines.
"""

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from dimos.core.clients import client_ip

logger = logging.getLogger("dimos.security")

# The events operators can alert on; anything else is a programming error (see test_logs.py).
EVENTS = {
    "login_succeeded",
    "login_failed",
    "login_locked_out",
    "logout",
    "access_denied",
    "payment_callback_rejected",
    "staff_read",
    "export",
    "account_closed",
    "upload_refused_virus",
    "upload_scanner_unavailable",
}


def security_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | str | None = None,
    level: int = logging.INFO,
    **details: Any,
) -> None:
    """Log one security event; `details` must hold no personal data beyond ids."""
    if event not in EVENTS:
        raise ValueError(f"unknown security event {event!r}")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    record: dict[str, Any] = {
        "event": event,
        "actor": getattr(actor, "pk", actor),
        "object": _object_label(obj),
    }
    if request is not None:
        record |= {
            "ip": client_ip(request),
            "request_id": getattr(request, "request_id", ""),
            "method": request.method,
            "path": request.path,
        }
    logger.log(level, event, extra={"security": record | details})


def _object_label(obj: models.Model | str | None) -> str | None:
    if obj is None or isinstance(obj, str):
        return obj
    return f"{obj._meta.label_lower}:{obj.pk}"


def identifier_digest(identifier: str) -> str:
    """A short stable digest of a typed login name: failures correlate, nothing typed is kept
    (people type their password into the e-mail field)."""
    return hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:16]


class JsonFormatter(logging.Formatter):
    """One JSON object per line, time in UTC: what log shippers (journald, Loki, ELK) expect."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= getattr(record, "security", {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Give every request an id (or keep the proxy's X-Request-ID) and send it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _looks_like_id(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if response.status_code == 403:
            security_event("access_denied", request=request, status=403)
        return response


def _looks_like_id(value: str) -> bool:
    return 8 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
