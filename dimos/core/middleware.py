"""Middleware that every app shares."""

from collections.abc import Callable

from csp.constants import NONE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

# A PDF shown in the browser's own viewer: Chromium refuses to start its viewer under the
# page policy's object-src 'none' (and its viewer page uses inline styles), so a PDF keeps
# only what still matters for it: nobody may frame it.
PDF_POLICY = {"frame-ancestors": [NONE]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware: settings.CONTENT_SECURITY_POLICY for pages, PDF_POLICY for PDFs."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and response.get("Content-Type", "").startswith("application/pdf"):
            parts.config, parts.update, parts.replace = PDF_POLICY, None, None
        return parts


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
