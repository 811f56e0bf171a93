"""Middleware that every app shares."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class NoStoreForPeopleMiddleware:
    """Nothing answered to a logged-in person is kept by the browser or a proxy cache.

    Their pages, PDFs and exports carry personal data (ASVS 5.0.0 14.3.2); public pages and
    static files (served by WhiteNoise before this runs) stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
