"""Personas shared by every test: who they are and what they may see is spelled out here.

- resident (Δημότης): verified against the registry; may use every citizen and resident service
- other_resident: another Δημότης; must never see the resident's things (404)
- citizen (Πολίτης): e-mail verified, no registry link
- representative: approved legal representative of `business`
- clerk: staff of the registry department, with TOTP, logged in with the second factor
- clerk_elsewhere: staff of another department
"""

import logging
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import ActivityCategory, Business, Representation, User
from dimos.core.security_log import JsonFormatter
from dimos.core.tests.fake_clamd import FakeClamd, running_fake_clamd
from dimos.registry.models import Family, Person
from dimos.testing import (
    BREACHED_PASSWORD,
    PASSWORD,
    PDF_BYTES,
    TOTP_SECRET,
    breached_passwords_transport,
    login_with_second_factor,
    make_person,
    make_staff,
    secrets_in,
)


def _install_zeal() -> None:
    """What zeal's AppConfig.ready() does, done for the test run only: production never loads
    zeal, tests detect every N+1 query (reference §5 target 9)."""
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()


_install_zeal()


# Repeated single-row reads zeal reports that are not a page's N+1, each with the reason.
ZEAL_ALLOWED = [
    # allauth's own login and e-mail confirmation views read the address twice (library code,
    # once per login, not per row).
    {"model": "account.EmailAddress", "field": "get()"},
    # Bulk changes and imports apply the one-item action to each row on purpose: the row is
    # locked (select_for_update), audit-logged and its person notified exactly as for a single
    # change, so a card callback racing the import sees the same lock.
    {"model": "service_requests.ServiceRequest", "field": "get()"},  # staff bulk status change
    {"model": "payments.PaymentOrder", "field": "get()"},  # bank statement import, per entry
    {"model": "notifications.Notification", "field": "get()"},  # one notice per changed row
    # Gapless numbers (receipts, requests) are taken one by one under the counter's row lock.
    {"model": "core.Counter", "field": "get()"},
]


@pytest.fixture(autouse=True)
def _no_n_plus_one(settings: Any) -> None:
    """Every request a test makes runs in its own zeal context, as zeal's middleware gives it:
    an N+1 query anywhere in handling it (views, templates, tasks run on the spot) raises
    NPlusOneError. Per request, not per test: a test that files thirty requests in a loop
    is not an N+1 of the portal."""
    settings.ZEAL_RAISE = True
    settings.ZEAL_ALLOWLIST = ZEAL_ALLOWED
    settings.MIDDLEWARE = ["zeal.middleware.zeal_middleware", *settings.MIDDLEWARE]


@pytest.fixture(autouse=True)
def _breach_service_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches haveibeenpwned.com: the sandbox answers with the real protocol."""
    from pwned_passwords_django import api

    transport = breached_passwords_transport({BREACHED_PASSWORD: 4821})
    monkeypatch.setattr(api.default_client, "client", httpx.Client(transport=transport))


_SESSION_KEYS: set[str] = set()
_new_session_key = SessionBase._get_new_session_key


def _remembered_session_key(self: SessionBase) -> str:
    key: str = _new_session_key(self)
    _SESSION_KEYS.add(key)
    return key


SessionBase._get_new_session_key = _remembered_session_key  # type: ignore[method-assign]


class _LogLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(autouse=True)
def _no_secrets_in_logs() -> Iterator[_LogLines]:
    """Every test's log lines are scanned: no password, TOTP seed, session id, card number,
    IBAN or ΑΜΚΑ may appear in any of them (ASVS 5.0 16.2.5)."""
    handler = _LogLines()
    loggers = [logging.getLogger(), logging.getLogger("dimos.security")]
    for logger in loggers:
        logger.addHandler(handler)
    _SESSION_KEYS.clear()
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)
    known = {PASSWORD, TOTP_SECRET, *_SESSION_KEYS}
    leaks = [(found, line) for line in handler.lines if (found := secrets_in(line, known))]
    if leaks:
        pytest.fail(f"secrets in the log: {leaks[:3]}")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any, tmp_path: Any) -> None:
    cache.clear()  # rate limits (allauth, lookups) must not leak from one test to the next
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def family(db: None) -> Family:
    return Family.objects.create(number="1024", municipal_unit="Κοζάνης")


@pytest.fixture
def registry_person(family: Family) -> Person:
    return Person.objects.create(
        family=family,
        first_name="Μαρία",
        last_name="Παπαδοπούλου",
        father_name="Γεώργιος",
        mother_name="Ελένη",
        birth_date=date(1985, 3, 27),
        amka="27038500123",
    )


@pytest.fixture
def citizen(db: None) -> User:
    return make_person("citizen@example.gr", first_name="Νίκος", last_name="Αθανασίου")


@pytest.fixture
def resident(db: None) -> User:
    return make_person(
        "resident@example.gr",
        first_name="Μαρία",
        last_name="Παπαδοπούλου",
        resident_since=timezone.now(),
    )


@pytest.fixture
def other_resident(db: None) -> User:
    return make_person(
        "other@example.gr", first_name="Κώστας", last_name="Ζήσης", resident_since=timezone.now()
    )


@pytest.fixture
def business(db: None) -> Business:
    return Business.objects.create(
        afm="094014201",
        legal_name="Καφέ Το Πλατάνι Ο.Ε.",
        address="Πλατεία Νίκης 12, Κοζάνη",
        activity_category=ActivityCategory.objects.get_or_create(
            code="food-drink", defaults={"name": "Εστίαση (φαγητό και ποτό)"}
        )[0],
    )


@pytest.fixture
def representative(business: Business) -> User:
    person = make_person("rep@example.gr", first_name="Γιάννης", last_name="Καραγιάννης")
    r = Representation(
        person=person,
        business=business,
        proof_content_type="application/pdf",
        status=Representation.Status.APPROVED,
    )
    r.proof.save("proof.pdf", ContentFile(PDF_BYTES), save=False)
    r.save()
    return person


@pytest.fixture
def clerk(db: None) -> User:
    return make_staff("clerk@example.gr", "registry")


@pytest.fixture
def clerk_elsewhere(db: None) -> User:
    return make_staff("clerk2@example.gr", "technical")


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        if user.is_staff:
            login_with_second_factor(client, user)
        else:
            client.force_login(user)
        return client

    return _login


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Concurrency tests need PostgreSQL's real row locks; SQLite serialises every writer."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…); .ci/run runs it there")


@pytest.fixture
def clamav(settings: Any) -> Iterator[FakeClamd]:
    """A virus scanner (a fake clamd on loopback) that every upload goes through."""
    with running_fake_clamd() as server:
        settings.DIMOS_CLAMAV_URL = server.url
        yield server
