from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def municipality(request: HttpRequest) -> dict[str, Any]:
    info = dict(settings.DIMOS_MUNICIPALITY)
    if get_language() == "en":
        info["name"] = info["name_en"]
    return {"municipality": info}
