"""Helpers for tests: personas are built here, the fixtures that use them are in conftest.py."""

import hashlib
import re
import time
from typing import TYPE_CHECKING, Any

import httpx
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from stdnum import iban, luhn
from stdnum.gr import amka

from dimos.accounts.models import Department, User

if TYPE_CHECKING:
    from dimos.registry.models import ResidencyClaim
    from dimos.service_requests.models import ServiceRequest

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

    now = timezone.now().timestamp()
    if 30 - now % 30 < 2:  # the code would expire before the server checks it: wait for the next
        time.sleep(30 - now % 30 + 0.1)
        now = timezone.now().timestamp()
    return format_hotp_value(hotp_value(secret, int(now) // 30))


def login_with_second_factor(client: Client, user: User) -> None:
    """Log in through the real pages: password, then the authenticator code."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 302, response.content


# --- Have I Been Pwned, sandboxed: the real range API's protocol, a local list of breaches ---

BREACHED_PASSWORD = "Kozani-Summer-2024!"  # in the sandbox's breach list, nowhere else


def breached_passwords_transport(breached: dict[str, int]) -> httpx.MockTransport:
    """GET /range/<first 5 hex of SHA-1> → `SUFFIX:COUNT` lines, padded with zero-count lines
    as the real API does when asked for `Add-Padding` (api.pwnedpasswords.com/range)."""
    hashes = {
        hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper(): n
        for p, n in breached.items()
    }

    def answer(request: httpx.Request) -> httpx.Response:
        prefix = request.url.path.rsplit("/", 1)[-1].upper()
        if len(prefix) != 5:
            return httpx.Response(400, text="The hash prefix was not in a valid format")
        lines = [f"{h[5:]}:{n}" for h, n in hashes.items() if h.startswith(prefix)]
        lines += [f"{'0' * 30}{i:05X}:0" for i in range(3)]  # padding
        return httpx.Response(200, text="\r\n".join(lines))

    return httpx.MockTransport(answer)


def unreachable_transport() -> httpx.MockTransport:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("sandbox: the breach service is unreachable", request=request)

    return httpx.MockTransport(refuse)


# --- What must never reach a log line (ASVS 5.0 16.2.5) ---

# A number stands alone: not a piece of a hex id, a decimal or a longer number.
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z.])\d(?:[ -]?\d){12,18}(?![0-9A-Za-z.])")
_ELEVEN_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{11}(?![0-9A-Za-z])")
_IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")


def secrets_in(text: str, known_secrets: set[str]) -> list[str]:
    """The kinds of secret found in `text`: known passwords, TOTP seeds and session ids, card
    numbers (Luhn-valid 13–19 digits), IBANs (check digits valid) and ΑΜΚΑ (valid)."""
    found = [f"known secret {s[:3]}…" for s in known_secrets if s and s in text]
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if luhn.is_valid(digits):
            found.append(f"card number {digits[:4]}…")
    for match in _IBAN_LIKE.finditer(text):
        if iban.is_valid(match.group()):
            found.append(f"IBAN {match.group()[:4]}…")
    for match in _ELEVEN_DIGITS.finditer(text):
        if amka.is_valid(match.group()):
            found.append(f"ΑΜΚΑ {match.group()[:3]}…")
    return found


# --- Things people file, for tests that need one ---


def file_request(person: User, **fields: Any) -> "ServiceRequest":
    """A request (or complaint) filed by `person` through the real action, in the registry
    department's category unless told otherwise."""
    from dimos.service_requests import actions
    from dimos.service_requests.models import Category

    defaults: dict[str, Any] = {
        "kind": "request",
        "category": Category.objects.get(code="certificates"),
        "subject": "Πιστοποιητικό",
        "description": "Χρειάζομαι πιστοποιητικό.",
        "notify_channel": "email",
        "notify_address": person.email,
    }
    return actions.do_submit_request(person, actions.Submission(**{**defaults, **fields}))


def make_pending_claim(account: User, **fields: Any) -> "ResidencyClaim":
    """A residency claim waiting for a clerk (its details match nobody in the registry)."""
    from dimos.registry.models import ResidencyClaim

    details: dict[str, Any] = {
        "amka": "27038500123",
        "family_number": "1",
        "first_name": "Ν",
        "last_name": "Α",
        "father_name": "Π",
        "mother_name": "Μ",
        "birth_date": "1980-01-01",
    }
    return ResidencyClaim.objects.create(account=account, **{**details, **fields})
