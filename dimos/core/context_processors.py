from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_from_path


def municipality(request: HttpRequest) -> dict[str, Any]:
    info = dict(settings.DIMOS_MUNICIPALITY)
    if get_language() == "en":
        info["name"] = info["name_en"]
    return {"municipality": info}


def language_switch(request: HttpRequest) -> dict[str, Any]:
    """The current path without its language prefix, for the language switch's `next`.

    Django's set_language cannot translate a prefixed path while Greek (unprefixed) is active.
    """
    path = request.get_full_path()
    prefix = get_language_from_path(request.path_info)
    if prefix and path.startswith(f"/{prefix}/"):
        path = path[len(prefix) + 1 :]
    return {"language_neutral_path": path}
