"""What django-axes counts failed logins by."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def typed_login(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The e-mail typed at login (allauth passes it as `email`; its form field is `login`),
    lower-cased so that «Maria@…» and «maria@…» count as one account."""
    typed = (credentials or {}).get("email") or (credentials or {}).get("username")
    if not typed and request is not None:
        typed = request.POST.get("login", "")
    return str(typed or "").strip().lower()


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out login gets (429: try later), in the person's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "account/locked_out.html", {"cooloff_minutes": minutes}, status=429)
