"""The documented production environment (the last step of .ci/run) gives a deployment that
Django's own checks find nothing to say about, secure cookies and HSTS; a wrong one refuses to
start. Settings are read in a fresh Python process, as a server would."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.testing import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[3]
# As in the last step of .ci/run; keep the two the same.
PRODUCTION_ENV = {
    "DIMOS_PRODUCTION": "true",
    "SECRET_KEY": "ci-only-" + "k" * 20 + "x3Yq9PzR7vW2mN5tL8sB4hJ6dF1gC0aE",
    "ALLOWED_HOSTS": "eservices.example.gr",
    "DIMOS_PUBLIC_URL": "https://eservices.example.gr",
    "DIMOS_IBAN": "GR8300000000000000012345678",
}
SECURITY_SETTINGS = [
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "DEBUG",
    "CONTENT_SECURITY_POLICY",
]
PRINT_SETTINGS = (
    "import json, sys, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({n: getattr(settings, n) for n in sys.argv[1:]}))"
)


def run_python(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Python in a clean environment: only what a server would be given, no developer .env."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    clean |= {
        "DJANGO_SETTINGS_MODULE": "dimos.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        **env,
    }
    return subprocess.run(  # noqa: S603 — our own interpreter and manage.py, fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The security settings as production computes them."""
    tmp = tmp_path_factory.mktemp("production")
    done = run_python(["-c", PRINT_SETTINGS, *SECURITY_SETTINGS], tmp, **PRODUCTION_ENV)
    assert done.returncode == 0, done.stderr
    values: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return values


def test_check_deploy_clean_with_production_settings(tmp_path: Path) -> None:
    done = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION_ENV
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (" not in output


def test_production_settings_are_the_secure_ones(production: dict[str, Any]) -> None:
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert production["SESSION_COOKIE_SECURE"] is production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_HSTS_SECONDS"] >= 31536000  # ASVS 5.0.0 3.4.1: a year at least
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"


def test_card_gateway_origin_is_allowed_as_form_target_in_production(tmp_path: Path) -> None:
    done = run_python(
        ["-c", PRINT_SETTINGS, "CONTENT_SECURITY_POLICY"],
        tmp_path,
        **PRODUCTION_ENV,
        DIMOS_CARDLINK_URL="https://ecommerce.cardlink.gr/vpos/shophandlermpi",
        DIMOS_MAP_TILES="https://{s}.tiles.example.gr/{z}/{x}/{y}.png",
    )
    assert done.returncode == 0, done.stderr
    directives = json.loads(done.stdout.strip().splitlines()[-1])["CONTENT_SECURITY_POLICY"][
        "DIRECTIVES"
    ]
    assert directives["form-action"] == ["'self'", "https://ecommerce.cardlink.gr"]
    assert directives["img-src"] == ["'self'", "data:", "https://*.tiles.example.gr"]


@pytest.fixture
def production_security(settings: Any, production: dict[str, Any]) -> None:
    """This test process, switched to production's security settings."""
    for name in SECURITY_SETTINGS:
        value = production[name]
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)


@pytest.mark.django_db
@pytest.mark.usefixtures("production_security")
def test_security_headers_hsts_csp_nosniff_referrer() -> None:
    response = Client().get("/", secure=True)
    assert response.status_code == 200
    assert (
        response.headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.usefixtures("production_security")
def test_plain_http_is_sent_to_https() -> None:
    response = Client().get("/accessibility/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accessibility/"


@pytest.mark.django_db
@pytest.mark.usefixtures("production_security")
def test_session_and_csrf_cookies_host_prefix_secure_httponly_samesite(citizen: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/accounts/login/", secure=True)
    csrf = form.cookies["__Host-csrftoken"]
    response = browser.post(
        "/accounts/login/",
        {"login": citizen.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
        headers={"referer": "https://testserver/accounts/login/"},
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    # A __Host- cookie must be Secure, for path "/" and without a Domain (RFC 6265bis 4.1.3.2).
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
        assert cookie["samesite"] == "Lax"
    assert session["httponly"] is True
    assert "sessionid" not in response.cookies and "csrftoken" not in form.cookies


@pytest.mark.parametrize(
    "change, message",
    [
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"SECRET_KEY": "dimos-development-only-not-secret"}, "its own SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "its own SECRET_KEY"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DIMOS_IBAN": ""}, "DIMOS_IBAN"),
        ({"DIMOS_SANDBOX": "true"}, "The sandbox (DIMOS_SANDBOX) must be off in production"),
        ({"DIMOS_PUBLIC_URL": "http://eservices.example.gr"}, "https://"),
    ],
    ids=["debug", "default-secret", "short-secret", "no-secret", "no-iban", "sandbox", "http"],
)
def test_production_refuses_to_start_when_misconfigured(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    env = {k: v for k, v in {**PRODUCTION_ENV, **change}.items() if v}
    done = run_python(["-c", PRINT_SETTINGS, "DEBUG"], tmp_path, **env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert message in done.stderr
