"""The access policy: which role may use which service. One table, the seed's defaults.

A municipality opens a service wider with the DIMOS_SERVICE_ACCESS setting, e.g.
``{"decisions": ["public"]}``. The roles of a person come from ``user.roles()`` (accounts).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dimos.core.roles import ROLE_LABELS, Role


@dataclass(frozen=True)
class Service:
    key: str
    title: Promise
    summary: Promise
    default_roles: frozenset[Role]
    url_name: str | None = None  # None: not built yet, the page says "coming soon"

    @property
    def roles(self) -> frozenset[Role]:
        configured = settings.DIMOS_SERVICE_ACCESS.get(self.key)
        return frozenset(Role(r) for r in configured) if configured else self.default_roles

    @property
    def available(self) -> bool:
        return self.url_name is not None

    def role_labels(self) -> list[Promise]:
        return [ROLE_LABELS[r] for r in Role if r in self.roles]


_RESIDENTS = frozenset({Role.RESIDENT})
_PERSONS = frozenset({Role.RESIDENT, Role.CITIZEN})
_BUSINESSES = frozenset({Role.REPRESENTATIVE})

# The nine services of the seed, in its order. Defaults from the seed; DESIGN.md "Who uses it".
SERVICES: tuple[Service, ...] = (
    Service(
        "requests",
        _("Requests and complaints"),
        _(
            "Submit a request or a complaint about street lighting, cleaning, roads, "
            "certificates or anything else, and follow its progress."
        ),
        _RESIDENTS,
        url_name="service_requests:mine",
    ),
    Service(
        "fines",
        _("Traffic fines (ΚΟΚ)"),
        _(
            "Find and pay a parking or traffic fine of the municipal police, by card or "
            "web banking, and get proof at once."
        ),
        _PERSONS,
        url_name="fines:start",
    ),
    Service(
        "business_tax",
        _("Municipal tax"),
        _(
            "See the paid and the next debts of your business, have the tax computed, and pay "
            "it online."
        ),
        _BUSINESSES,
        url_name="business_tax:home",
    ),
    Service(
        "decisions",
        _("Council decisions"),
        _(
            "Search the decisions of the municipal council by number, subject and date, "
            "and print or save them as PDF."
        ),
        _PERSONS,
        url_name="decisions:search",
    ),
    Service(
        "polls",
        _("Polls"),
        _("Take part in the municipality's polls, once per poll, and see their results."),
        _PERSONS,
        url_name="polls:list",
    ),
    Service(
        "suppliers",
        _("Supplier information"),
        _("Suppliers of the municipality follow their invoices and payments."),
        _BUSINESSES,
    ),
    Service(
        "registry",
        _("Registry certificates"),
        _("Get certificates from the municipal registry (Δημοτολόγιο) for you and your family."),
        _RESIDENTS,
    ),
    Service(
        "property_levy",
        _("ΤΑΠ certificates"),
        _("Get the certificate that no property levy (ΤΑΠ) is owed on a property you own."),
        _PERSONS,
    ),
    Service(
        "request_progress",
        _("Progress of a request or complaint"),
        _("Follow the progress of a request or complaint you have submitted."),
        _RESIDENTS,
        url_name="service_requests:track",
    ),
)
SERVICES_BY_KEY = {s.key: s for s in SERVICES}


def roles_of(user: Any) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset({Role.PUBLIC})
    return frozenset({Role.PUBLIC, *user.roles()})


def can_use(user: Any, service: Service) -> bool:
    return bool(roles_of(user) & service.roles)


V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def service_required(key: str) -> Callable[[V], V]:
    """Open the view only to the roles of service `key`; explain to anyone else what they need."""
    service = SERVICES_BY_KEY[key]

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if can_use(request.user, service):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return render(request, "core/needs_role.html", {"service": service}, status=403)

        return wrapped  # type: ignore[return-value]

    return decorator


def used_second_factor(request: HttpRequest) -> bool:
    """Whether this session's login was confirmed with the authenticator app (allauth MFA)."""
    records: Iterable[dict[str, Any]] = get_authentication_records(request, request.user)
    return any(r.get("method") == "mfa" for r in records)


def staff_required(view: V) -> V:
    """Staff pages: a staff account, logged in with its second factor in this session."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff:
            return render(request, "core/staff_only.html", status=403)
        if not used_second_factor(request):
            return redirect("core:staff_second_factor")
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def staff_permission_required(permission: str) -> Callable[[V], V]:
    """Staff pages (second factor included) for staff holding `permission`; other staff get
    403 — the page itself refuses, not only the staff home's list of queues (ASVS 8.3.1)."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                return render(request, "core/staff_only.html", status=403)
            return view(request, *args, **kwargs)

        return staff_required(wrapped)  # type: ignore[return-value]

    return decorator
