"""Every page of the page matrix, opened by someone who may see it, carries the security
headers and HTML that needs nothing the content security policy forbids (ASVS 5.0.0 3.4).

A page added to `PAGES` in test_page_matrix.py is covered here without further work.
"""

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.tests.test_page_matrix import (
    BUSINESS,
    PAGES,
    PERSON,
    PERSONS,
    PUBLIC,
    RESIDENT,
    STAFF,
    STAFF_PERM,
)

pytestmark = pytest.mark.django_db

# Who opens each kind of page in this crawl.
OPENER = {
    PUBLIC: "anonymous",
    PERSON: "resident",
    PERSONS: "resident",
    RESIDENT: "resident",
    BUSINESS: "representative",
    STAFF: "clerk",
    STAFF_PERM: "superclerk",
}
# Pages outside the matrix that people reach: allauth's, the admin's.
MORE_PAGES = {
    "login": ("anonymous", "/accounts/login/"),
    "password reset": ("anonymous", "/accounts/password/reset/"),
    "e-mail addresses": ("resident", "/accounts/email/"),
    "password change": ("resident", "/accounts/password/change/"),
    "two-factor": ("clerk", "/accounts/2fa/"),
    "admin index": ("superclerk", "/admin/"),
    "admin user list": ("superclerk", "/admin/accounts/user/"),
    "admin user form": ("superclerk", "/admin/accounts/user/add/"),
}
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts and styles, handlers, and
    javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        executable = (attributes.get("type") or "").lower() in JAVASCRIPT_TYPES
        if tag == "script" and "src" not in attributes and executable:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"inline <style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"<{tag} style=…> at line {self.getpos()[0]}")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.problems


def policy(header: str) -> dict[str, list[str]]:
    """The CSP header as {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    return directives


def assert_secure(response: object, who: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = policy(headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    if headers["Content-Type"].startswith("application/pdf"):
        assert csp == {"frame-ancestors": ["'none'"]}  # see PDF_POLICY
    else:
        assert csp["default-src"] == ["'self'"]
        for source in ("'unsafe-inline'", "'unsafe-eval'"):
            assert source not in csp["script-src"]
            assert source not in csp["style-src"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    if who != "anonymous":  # ASVS 5.0.0 14.3.2: personal data is never cached
        assert {"private", "no-store"} <= {d.strip() for d in headers["Cache-Control"].split(",")}
    if headers["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_security_headers_and_no_inline_code(
    client_of: Callable[[str], Client], objects: dict[str, object], name: str
) -> None:
    who, path = PAGES[name]
    response = client_of(OPENER[who]).get(path(objects), follow=True)
    assert response.status_code == 200
    assert_secure(response, OPENER[who])


@pytest.mark.parametrize("name", sorted(MORE_PAGES))
def test_account_and_admin_pages_have_security_headers_and_no_inline_code(
    client_of: Callable[[str], Client], name: str
) -> None:
    who, path = MORE_PAGES[name]
    response = client_of(who).get(path, follow=True)
    assert response.status_code == 200
    assert_secure(response, who)


def test_the_checks_find_inline_code() -> None:
    html = (
        '<p style="color:red" onclick="x()"><a href=" JavaScript:go()">a</a></p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<script type="application/json">{}</script><script src="/static/a.js"></script>'
    )
    assert len(inline_code(html)) == 5


def test_map_tiles_and_card_gateway_are_allowed_by_the_policy(client: Client) -> None:
    csp = policy(client.get("/").headers["Content-Security-Policy"])
    assert csp["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert csp["form-action"] == ["'self'"]  # the sandbox gateway is on this site
    assert csp["script-src"] == csp["style-src"] == ["'self'"]


def test_static_files_are_cacheable_for_logged_in_people(settings: object, resident: User) -> None:
    settings.WHITENOISE_USE_FINDERS = True  # type: ignore[attr-defined]
    settings.WHITENOISE_AUTOREFRESH = True  # type: ignore[attr-defined]
    visitor = Client()
    visitor.force_login(resident)
    response = visitor.get("/static/dimos/dimos.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_public_pages_stay_cacheable_for_anonymous_visitors(client: Client) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_pdf_of_a_logged_in_person_is_not_stored_and_may_open_in_the_browser_viewer(
    client_of: Callable[[str], Client], objects: dict[str, object], resident: User
) -> None:
    _, path = PAGES["service_requests:receipt"]
    response = client_of("resident").get(path(objects))
    assert response.headers["Content-Type"] == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
