"""Sessions end after inactivity and after an absolute lifetime, stricter for staff.

ASVS 5.0 7.3.1/7.3.2; NIST SP 800-63B AAL2 (staff: 30 minutes idle, 12 hours in all). The
limits are settings (DIMOS_SESSION_LIMITS); a session without a start time (older than this
code) starts counting now.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

STARTED = "dimos_session_started"
LAST_SEEN = "dimos_session_last_seen"
# Saving the session on every request would be a write per page; a minute's precision will do.
_LAST_SEEN_PRECISION = 60


def limits_for(user: Any) -> tuple[int, int]:
    """(idle seconds, absolute seconds) for this account."""
    limits = settings.DIMOS_SESSION_LIMITS
    if user.is_staff:
        return limits["staff_idle"], limits["staff_absolute"]
    return limits["person_idle"], limits["person_absolute"]


def session_expired(session: Any, user: Any, now: float) -> bool:
    idle, absolute = limits_for(user)
    started = session.get(STARTED, now)
    last_seen = session.get(LAST_SEEN, now)
    return now - last_seen > idle or now - started > absolute


@receiver(user_logged_in, dispatch_uid="dimos-session-started")
def _start_counting(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if session_expired(request.session, request.user, now):
                return self._log_out(request)
            self._touch(request, now)
        return self.get_response(request)

    @staticmethod
    def _touch(request: HttpRequest, now: float) -> None:
        session = request.session
        session.setdefault(STARTED, now)
        if now - session.get(LAST_SEEN, 0) >= _LAST_SEEN_PRECISION:
            session[LAST_SEEN] = now

    @staticmethod
    def _log_out(request: HttpRequest) -> HttpResponse:
        logout(request)  # flushes the server-side session
        messages.info(
            request,
            _("You were logged out because your session expired. Please log in again."),
        )
        return redirect_to_login(request.get_full_path())
