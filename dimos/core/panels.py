from typing import Any

from django.http import HttpRequest

from dimos.core.audit import staff_reads_about
from dimos.core.dashboard import register_panel


def staff_reads_panel(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    if not request.user.is_authenticated:
        return None
    return "core/panel_staff_reads.html", {"reads": staff_reads_about(request.user)}


def register() -> None:
    register_panel("staff_reads", staff_reads_panel)
