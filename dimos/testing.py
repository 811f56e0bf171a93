"""Helpers for tests: personas are built here, the fixtures that use them are in conftest.py."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import Department, User

PASSWORD = "Correct-Horse-Battery-9"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The smallest PDF that pypdf reads (with its cross-reference table); it has no pages.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n96\n%%EOF\n"
)


def make_person(email: str, **fields: Any) -> User:
    user = User.objects.create_user(
        email,
        PASSWORD,
        first_name=fields.pop("first_name", "Άννα"),
        last_name=fields.pop("last_name", "Νικολάου"),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_staff(email: str, department_code: str) -> User:
    department, _ = Department.objects.get_or_create(
        code=department_code, defaults={"name": department_code}
    )
    user = make_person(email, is_staff=True)
    user.departments.add(department)
    group, _ = Group.objects.get_or_create(name="clerks")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "change_representation",
                "view_representation",
                "change_residencyclaim",
                "change_servicerequest",
                "view_servicerequest",
                "view_residencyclaim",
            ]
        )
    )
    user.groups.add(group)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)}
    )
    return user


def totp_now(secret: str = TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def login_with_second_factor(client: Client, user: User) -> None:
    """Log in through the real pages: password, then the authenticator code."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 302, response.content
