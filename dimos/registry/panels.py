from typing import Any

from django.http import HttpRequest

from dimos.core.dashboard import register_panel


def residency_panel(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    from dimos.registry.queries import latest_claim_of

    if not request.user.is_authenticated:
        return None
    return "registry/panel_residency.html", {"claim": latest_claim_of(request.user)}


def register() -> None:
    register_panel("residency", residency_panel)
