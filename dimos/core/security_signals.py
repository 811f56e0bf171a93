"""Authentication events become security log lines (login, failure, lock-out, logout)."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dimos.core.security_log import identifier_digest, security_event


@receiver(user_logged_in, dispatch_uid="dimos-security-login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event("login_succeeded", request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="dimos-security-logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event("logout", request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="dimos-security-login-failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    typed = str(credentials.get("email") or credentials.get("username") or "")
    security_event(
        "login_failed",
        request=request,
        actor=_account_id(typed),
        identifier=identifier_digest(typed) if typed else None,
    )


@receiver(user_locked_out, dispatch_uid="dimos-security-locked-out")
def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    typed = username or ""
    security_event(
        "login_locked_out",
        request=request,
        actor=_account_id(typed),
        identifier=identifier_digest(typed) if typed else None,
    )


def _account_id(email: str) -> int | None:
    """The account a failed attempt aimed at, if one exists (its id only)."""
    if not email:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip())
        .values_list("pk", flat=True)
        .first()
    )
