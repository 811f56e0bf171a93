from types import SimpleNamespace
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import gettext as _

from dimos.accounts.models import SignupDoor

# Where a person who came in through a door goes after their first login to finish it.
DOOR_NEXT_STEP = {
    SignupDoor.RESIDENT: "registry:claim",
    SignupDoor.BUSINESS: "accounts:business_new",
}


def next_step_for_door(door: str) -> str:
    return resolve_url(DOOR_NEXT_STEP.get(door, "accounts:dashboard"))  # type: ignore[call-overload]


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.signup_door = form.cleaned_data.get("door") or SignupDoor.CITIZEN
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth signs its e-mails with the site's name: make it the municipality's portal.
        with translation.override("el"):
            site = SimpleNamespace(
                name=f"{settings.DIMOS_MUNICIPALITY['name']} – {_('e-Services')}",
                domain=get_current_site(self.request).domain,
            )
            super().send_mail(template_prefix, email, {"current_site": site, **context})

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        return next_step_for_door(email_address.user.signup_door)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if request.user.is_staff:
            return resolve_url("core:staff_home")
        return super().get_login_redirect_url(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Any) -> bool:
        # Staff must keep their second factor: the back office requires it.
        return not authenticator.user.is_staff
