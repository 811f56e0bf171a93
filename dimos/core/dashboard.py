"""Panels on a person's "My account" page: each app registers its own, core shows them.

A panel is a function (request) -> (template name, context) or None when it has nothing to show.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest], tuple[str, dict[str, Any]] | None]
_PANELS: dict[str, Panel] = {}


def register_panel(key: str, panel: Panel) -> None:
    _PANELS[key] = panel


def panels_for(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    shown = (panel(request) for panel in _PANELS.values())
    return [p for p in shown if p is not None]
