"""Every URL is accounted for: the whole URL configuration is walked, and each pattern either
refuses an anonymous visitor or is on an explicit allow-list with its reason.

This covers every namespace — ours, allauth's (`account_*`, `mfa_*`), the admin, the Open311
API, the sandbox, `healthz`, `i18n/` — in Greek (no prefix) and under `/en/`. Static files are
served by WhiteNoise's middleware and media are never routed: neither is in the URL
configuration. Who may open each of our pages is test_page_matrix.py's table (PAGES); here the
same table is checked for the two personas it does not cover: staff of another department and
staff without their second factor. Object pages, with real objects, are test_object_matrix.py.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

from dimos.accounts.models import User
from dimos.core.staff import StaffQueue, all_queues, queues_for
from dimos.core.tests.test_page_matrix import (
    BUSINESS,
    PAGES,
    PERSONS,
    PUBLIC,
    RESIDENT,
    STAFF,
    STAFF_PERM,
    opens,
)
from dimos.testing import make_staff

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"; unnamed patterns are named by their route text
    route: str  # the whole route, for messages and for the unnamed ones
    keys: tuple[str, ...]  # the keyword arguments the route takes
    localized: bool  # under i18n_patterns: also served under /en/


def _keys(pattern: RoutePattern | RegexPattern | LocalePrefixPattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def walk_urlconf() -> list[Route]:
    routes: list[Route] = []

    def walk(
        patterns: list[URLPattern | URLResolver],
        namespace: str,
        prefix: str,
        keys: tuple[str, ...],
        localized: bool,
    ) -> None:
        for p in patterns:
            here = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
                walk(
                    p.url_patterns,
                    inner or namespace,
                    here,
                    keys + _keys(p.pattern),
                    localized or isinstance(p.pattern, LocalePrefixPattern),
                )
            else:
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                routes.append(Route(name, here, keys + _keys(p.pattern), localized))

    walk(get_resolver().url_patterns, "", "", (), False)
    return routes


# A sample value for every keyword argument of every route, so that each can be reversed.
# Objects that do not exist are fine here: anonymous visitors must be refused before any look-up
# (test_object_matrix.py opens every object page with real objects).
SAMPLES: dict[str, object] = {
    "pk": 1,
    "question_pk": 1,
    "year": 2026,
    "number": 1,
    "key": "sample-key",  # core:service (slug), fines ticket key, allauth e-mail key
    "code": "ABCD-EFGH-JKLM",  # core:verify
    "public_id": "2026-000001",
    "service_request_id": "2026-000001",
    "service_code": "street-lighting",
    "rf": "RF18539007547034",
    "attempt": "A0000001",
    "afm": "094014201",
    "fmt": "json",
    "rest": "nothing-here.json",  # open311:not_found
    "uidb36": "1",  # allauth password reset from key
    "object_id": "1",  # admin
    "id": "1",  # admin: a user's password change
    "content_type_id": "1",  # admin:view_on_site
    "app_label": "core",  # admin:app_list
    "url": "nothing-here/",  # admin catch-all
}

# Patterns without a name, with the reason and a path to try them anonymously.
UNNAMED: dict[str, tuple[str, str]] = {
    # Django's admin adds, per model, a redirect from <object_id>/ to <object_id>/change/.
    r"^admin/\w+/\w+/<path:object_id>/$": (
        "admin's redirect to the change page",
        "/admin/accounts/user/1/",
    ),
    r"^admin/\(\?P<url>\.\*\)\$$": ("admin's catch-all (404 or slash redirect)", "/admin/nothing/"),
}

# Anonymous GET opens these, on purpose.
ANONYMOUS_ALLOWED: dict[str, str] = {
    "healthz": "load balancers' health check; says only ok/error and the database vendor",
    "set_language": "Django's language switch (a redirect back)",
    "core:home": "the public home page",
    "core:service": "the public description of each service",
    "core:accessibility": "the accessibility statement (Directive 2016/2102)",
    "core:privacy": "the privacy notice (GDPR art. 13)",
    "core:verify_form": "anyone checks that a document is genuine",
    "core:verify": "anyone checks a document by its code (rate-limited, 404 when unknown)",
    "core:staff_second_factor": "answers 404 to anyone who is not logged-in staff",
    "accounts:register": "the choice of registration door",
    "accounts:register_citizen": "sign-up as a citizen",
    "accounts:register_resident": "sign-up as a resident",
    "accounts:register_business": "sign-up as a business representative",
    "service_requests:track": "progress of a request by its tracking code (rate-limited)",
    "service_requests:statistics": "public statistics of requests, no personal data",
    "account_login": "the login page",
    "account_logout": "the logout page (a redirect when not logged in)",
    "account_inactive": "allauth's 'account inactive' notice",
    "account_signup": "allauth's sign-up (our doors wrap it)",
    "account_email_verification_sent": "allauth's 'check your e-mail' notice",
    "account_reset_password": "password reset: ask for the e-mail",
    "account_reset_password_done": "password reset: e-mail sent",
    "account_reset_password_from_key": "password reset: the link from the e-mail (bad key: error)",
    "account_reset_password_from_key_done": "password reset: done",
    "account_confirm_email": "e-mail confirmation link (bad key: error page)",
    "account_confirm_login_code": "allauth login-by-code step (redirects without a pending login)",
    "mfa_authenticate": "the second-factor step of login (redirects without a pending login)",
    "open311:discovery": "GeoReport v2: public by the spec",
    "open311:services": "GeoReport v2: public by the spec",
    "open311:service_definition": "GeoReport v2: public by the spec",
    "open311:requests": "GeoReport v2 GET: public by the spec; no reporter's personal data",
    "open311:request": "GeoReport v2 GET: public by the spec; no reporter's personal data",
    "open311:not_found": "GeoReport v2's own 404 for anything else under the endpoint",
    "admin:login": "redirects to our login page",
    "admin:logout": "Django's admin logout",
    "admin:jsi18n": "the admin's JavaScript translation catalogue, no data",
}

# Whoever calls these is not a browser with a session: no CSRF token, so they are csrf_exempt.
CSRF_EXEMPT: dict[str, str] = {
    "open311:discovery": "GeoReport v2 API: clients are programs; POST is authenticated by api_key",
    "open311:services": "GeoReport v2 API (GET only; other methods: 405)",
    "open311:service_definition": "GeoReport v2 API (GET only; other methods: 405)",
    "open311:requests": "GeoReport v2 API: POST is authenticated by its api_key",
    "open311:request": "GeoReport v2 API (GET only; other methods: 405)",
    "open311:not_found": "GeoReport v2 API's 404",
    "payments:card_return": "the card gateway posts here; its signed digest proves it",
    "sandbox:cardlink_vpos": "the sandbox gateway, posted to by our own payment page",
}

FORM = "application/x-www-form-urlencoded"
LOGIN_PAGES = ("/accounts/login/", "/en/accounts/login/", "/admin/login/", "/en/admin/login/")
REFUSALS = {401, 403, 404, 405}


def named_routes() -> list[Route]:
    return [r for r in walk_urlconf() if r.name]


def route_names() -> list[str]:
    return sorted({r.name for r in named_routes()})


def _unnamed_reason(route: Route) -> str | None:
    return next((why for rx, (why, _) in UNNAMED.items() if re.match(rx, route.route)), None)


def paths_of(name: str) -> Iterator[str]:
    """The Greek path of the URL named `name`, and its /en/ path when it has one."""
    route = next(r for r in named_routes() if r.name == name)
    kwargs = {k: SAMPLES[k] for k in route.keys}
    yield reverse(name, kwargs=kwargs)
    if route.localized:
        with translation.override("en"):
            yield reverse(name, kwargs=kwargs)


def refuses_anonymous(response: object) -> bool:
    status = response.status_code  # type: ignore[attr-defined]
    if status == 302:
        return str(response["Location"]).startswith(LOGIN_PAGES)  # type: ignore[index]
    return status in REFUSALS


def test_urlconf_has_no_unnamed_patterns_and_all_kwargs_have_samples() -> None:
    routes = walk_urlconf()
    unnamed = [r.route for r in routes if not r.name and _unnamed_reason(r) is None]
    assert unnamed == [], "name these patterns or list them in UNNAMED with a reason"
    missing = {(r.name or r.route, k) for r in routes for k in r.keys if k not in SAMPLES}
    assert missing == set(), "give these keyword arguments a sample value in SAMPLES"
    for name in route_names():
        assert list(paths_of(name))  # every name reverses with its samples
    stale = (set(ANONYMOUS_ALLOWED) | set(CSRF_EXEMPT) | set(RECORDED_WHEN_REFUSED)) - set(
        route_names()
    )
    assert stale == set(), "these allow-listed names no longer exist"


def test_i18n_patterns_are_walked_in_both_languages() -> None:
    localized = [r for r in named_routes() if r.localized]
    assert {"core:home", "account_login", "admin:index"} <= {r.name for r in localized}
    assert list(paths_of("core:home")) == ["/", "/en/"]
    assert not any(r.localized for r in named_routes() if r.name.startswith("open311:"))


@pytest.mark.parametrize("name", route_names())
def test_every_named_url_requires_auth_or_is_allowlisted(client: Client, name: str) -> None:
    for path in paths_of(name):
        response = client.get(path)
        assert response.status_code < 500, path
        if name not in ANONYMOUS_ALLOWED:
            assert refuses_anonymous(response), (
                path,
                response.status_code,
                response.get("Location"),
            )


@pytest.mark.parametrize("route", sorted(UNNAMED))
def test_unnamed_patterns_refuse_anonymous_visitors(client: Client, route: str) -> None:
    _, path = UNNAMED[route]
    assert refuses_anonymous(client.get(path)) or client.get(path).status_code == 301


def row_counts(*, leaving_out: set[str]) -> dict[str, int]:
    """The number of rows of every table, in one query. Sessions are always left out: refusing
    an anonymous visitor may start a session (allauth remembers where they were going)."""
    models = [
        m
        for m in apps.get_models()
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.label not in {"sessions.Session", *leaving_out}
    ]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # noqa: S608 (our tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, row, strict=True)}


# What an anonymous unsafe request may add, on purpose: the trace of a refused attempt.
RECORDED_WHEN_REFUSED: dict[str, set[str]] = {
    # A forged or unsigned gateway response raises an alert for the payments staff.
    "payments:card_return": {"payments.GatewayAlert"},
}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("name", route_names())
def test_anonymous_unsafe_methods_rejected(name: str, method: str) -> None:
    """Even with a valid CSRF token (the test client skips the check), anonymous writes change
    nothing anywhere and never fail with a 500."""
    client = Client()
    leaving_out = RECORDED_WHEN_REFUSED.get(name, set())
    before = row_counts(leaving_out=leaving_out)
    for path in paths_of(name):
        response = client.generic(
            method, path, b"", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, (path, response.status_code)
        if name not in ANONYMOUS_ALLOWED:
            assert refuses_anonymous(response) or response.status_code == 400, path
    assert row_counts(leaving_out=leaving_out) == before


@pytest.mark.parametrize("name", route_names())
def test_csrf_exempt_views_are_listed(name: str) -> None:
    route = next(r for r in named_routes() if r.name == name)
    callback = get_resolver().resolve(next(paths_of(route.name))).func
    assert bool(getattr(callback, "csrf_exempt", False)) == (name in CSRF_EXEMPT)


def test_csrf_is_enforced_for_anonymous_forms() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x@example.gr", "password": "x"})
    assert response.status_code == 403


# --- Roles: test_page_matrix.py covers anonymous, citizen, resident, representative and the
# registry clerk; these are the two personas it leaves out.


@pytest.fixture
def staff_without_second_factor(db: None) -> User:
    return make_staff("no2fa@example.gr", "technical")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_staff_without_second_factor(
    client: Client, staff_without_second_factor: User, objects: dict[str, object], name: str
) -> None:
    """Staff who logged in with the password only: every staff page sends them to the second
    factor; the people's pages treat them as the citizen (Πολίτης) they also are."""
    who, path = PAGES[name]
    client.force_login(staff_without_second_factor)
    response = client.get(path(objects))
    if who in (STAFF, STAFF_PERM):
        assert response.status_code == 302
        assert response["Location"] == "/staff/second-factor/"
    elif who == RESIDENT:
        assert response.status_code == 403
    elif who == BUSINESS:
        assert response.status_code in (403, 404)
    else:
        assert who in (PUBLIC, PERSONS, "person")
        assert opens(response)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_clerk_of_another_department(
    client_for: Callable[[User], Client],
    clerk_elsewhere: User,
    objects: dict[str, object],
    name: str,
) -> None:
    """Like the registry clerk, except that another department's request is not found."""
    who, path = PAGES[name]
    response = client_for(clerk_elsewhere).get(path(objects))
    if name in OTHER_DEPARTMENT_NOT_FOUND:
        assert response.status_code == 404
    elif who in (RESIDENT, STAFF_PERM):
        assert response.status_code == 403
    elif who == BUSINESS:
        assert response.status_code in (403, 404)
    else:
        assert opens(response)


# Pages of PAGES whose object belongs to the registry department (the matrix's request is a
# certificates request): staff of other departments do not find it.
OTHER_DEPARTMENT_NOT_FOUND = {"service_requests:staff_handle"}


ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/registry/residencyclaim/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["citizen", "resident", "representative"])
def test_people_never_open_the_admin(
    client: Client, path: str, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_PAGES)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_without_second_factor_never_open_the_admin(
    client: Client, staff_without_second_factor: User, path: str
) -> None:
    client.force_login(staff_without_second_factor)
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/second-factor/"


@pytest.mark.parametrize(
    "path", ["/admin/accounts/user/", "/admin/fines/ticket/", "/admin/mfa/authenticator/"]
)
def test_clerk_without_the_model_permission_is_refused_in_the_admin(
    client_for: Callable[[User], Client], clerk_elsewhere: User, path: str
) -> None:
    assert client_for(clerk_elsewhere).get(path).status_code == 403


# --- Every back-office queue declares the permission that opens it (dimos/core/staff.py); the
# staff home hides the others, and the pages themselves refuse them too (ASVS v5.0.0-8.3.1:
# hiding a link is not authorization).


def _queues() -> dict[str, StaffQueue]:
    return {q.key: q for q in all_queues()}


@pytest.fixture
def staff_without_permissions(db: None) -> User:
    user = make_staff("noperm@example.gr", "technical")
    user.groups.clear()
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("key", sorted(_queues()))
def test_staff_without_the_queues_permission_are_refused(
    client_for: Callable[[User], Client], staff_without_permissions: User, key: str
) -> None:
    queue = _queues()[key]
    browser = client_for(staff_without_permissions)
    assert browser.get(reverse(queue.url_name)).status_code == 403
    assert queue not in [q for q, _ in queues_for(staff_without_permissions)]


@pytest.mark.parametrize("key", sorted(_queues()))
def test_staff_with_the_queues_permission_open_it(
    client_for: Callable[[User], Client], staff_without_permissions: User, key: str
) -> None:
    queue = _queues()[key]
    app_label, codename = queue.permission.split(".")
    staff_without_permissions.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    browser = client_for(User.objects.get(pk=staff_without_permissions.pk))
    assert browser.get(reverse(queue.url_name)).status_code == 200
