"""The Open311 GeoReport v2 API: discovery, services, definitions, requests (GET and POST).

The format is the extension of the resource (`services.xml`, `requests/2026-000123.json`);
anything but xml or json is a resource we do not have (404). Errors are the spec's error list,
with 400, 403 (api_key) and 404; 405 and 429 too, for a wrong method and too many POSTs.
Clients are programs, not browsers: no session, no CSRF token; POST is authenticated by the
api_key it carries.
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from dimos.core import ratelimit
from dimos.open311 import actions, changeset, definitions, queries, resources, rules
from dimos.open311.forms import PostedRequestForm
from dimos.open311.models import ApiKey
from dimos.open311.render import errors, respond

View = Callable[..., HttpResponse]


def api(*methods: str) -> Callable[[View], View]:
    """What every resource checks first: its format, the method, the jurisdiction."""

    def decorator(view: View) -> View:
        @csrf_exempt
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in rules.FORMATS:
                return _unknown_format(fmt)
            if request.method not in methods:
                response = errors(
                    fmt,
                    405,
                    (405, _("Use %(methods)s here.") % {"methods": " or ".join(methods)}),
                )
                response["Allow"] = ", ".join(methods)
                return response
            jurisdiction = getattr(settings, "DIMOS_OPEN311_JURISDICTION_ID", "")
            asked = (request.POST if request.method == "POST" else request.GET).get(
                "jurisdiction_id", ""
            )
            # One jurisdiction per endpoint: the argument is optional; a wrong one is not found.
            if jurisdiction and asked.strip() and asked.strip() != jurisdiction:
                return errors(fmt, 404, (404, _("jurisdiction_id %s was not found.") % asked[:100]))
            return view(request, *args, fmt=fmt, **kwargs)

        return wrapped

    return decorator


def _unknown_format(fmt: str) -> HttpResponse:
    return errors("xml", 404, (404, _("Format %s is not offered: use xml or json.") % fmt[:20]))


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under the endpoint: the spec's 404, in the format asked for if we can tell."""
    fmt = "json" if rest.endswith(".json") else "xml"
    return errors(fmt, 404, (404, _("There is no such resource in GeoReport v2.")))


@api("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    here = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    endpoint = here.rsplit("/", 1)[0]
    return respond(fmt, "discovery", resources.discovery(endpoint, changeset.current()))


@api("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [resources.service(c) for c in queries.services()])


@api("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = queries.service(service_code)
    if category is None:
        return errors(fmt, 404, (404, _("service_code %s was not found.") % service_code[:100]))
    return respond(fmt, "service_definition", definitions.definition(category.code))


@api("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    service_request = queries.public_request(service_request_id)
    if service_request is None:
        return errors(
            fmt, 404, (404, _("service_request_id %s was not found.") % service_request_id[:100])
        )
    return respond(fmt, "service_requests", [resources.request(service_request)])


@api("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    return _search(request, fmt)


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    args = {name: request.GET.get(name, "").strip() for name in request.GET}
    ids = rules.split_list(args.get("service_request_id", ""))
    if ids:  # "This overrides all other arguments": they are not even checked
        if len(ids) > rules.MAX_RESULTS:
            return errors(
                fmt,
                400,
                (
                    400,
                    _("service_request_id: ask for at most %(max)s requests at once.")
                    % {"max": rules.MAX_RESULTS},
                ),
            )
        found = queries.requests_with_ids(ids)
    else:
        problems, filters = _filters(args)
        if problems:
            return errors(fmt, 400, *[(400, p) for p in problems])
        found = queries.requests_matching(**filters)
    return respond(fmt, "service_requests", [resources.request(r) for r in found])


def _filters(args: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """The filters of GET requests without ids, or what is wrong with them."""
    problems: list[str] = []
    statuses = set(rules.split_list(args.get("status", "")))
    if statuses - {rules.OPEN, rules.CLOSED}:
        problems.append(_("status: use open, closed, or both separated by a comma."))
    zone = timezone.get_default_timezone()
    bounds: dict[str, datetime | None] = {}
    for name in ("start_date", "end_date"):
        raw = args.get(name, "")
        bounds[name] = rules.parse_w3c(raw, zone, end=name == "end_date") if raw else None
        if raw and bounds[name] is None:
            problems.append(
                _("%(name)s: use the W3C format, for example 2026-01-31T00:00:00+02:00.")
                % {"name": name}
            )
    if problems:
        return problems, {}
    try:
        start, end = rules.date_range(bounds["start_date"], bounds["end_date"], timezone.now())
    except rules.RangeError:
        return [_("start_date and end_date: the range must run forward, 90 days at most.")], {}
    return [], {
        "codes": rules.split_list(args.get("service_code", "")),
        "statuses": statuses,
        "start": start,
        "end": end,
    }


def _within_rate(key: ApiKey) -> bool:
    """At most POSTS_PER_MINUTE per key in each minute, counted in the shared cache."""
    return ratelimit.hit(
        "open311-posts", str(key.pk), limit=rules.POSTS_PER_MINUTE, window_seconds=60
    )


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    raw_key = request.POST.get("api_key", "").strip()
    if not raw_key:
        return errors(fmt, 403, (403, _("api_key was not provided.")))
    key = queries.key_for(raw_key)
    if key is None:
        return errors(fmt, 403, (403, _("api_key is not valid, or it has been revoked.")))
    if not _within_rate(key):
        response = errors(
            fmt,
            429,
            (429, _("Too many requests with this api_key. Try again in a minute.")),
        )
        response["Retry-After"] = "60"
        return response
    service_code = request.POST.get("service_code", "").strip()
    if not service_code:
        return errors(fmt, 400, (400, _("service_code was not provided.")))
    category = queries.service(service_code)
    if category is None:
        return errors(fmt, 404, (404, _("service_code %s was not found.") % service_code[:100]))
    form = PostedRequestForm(request.POST, category=category, owner=key.owner)
    if not form.is_valid():
        return errors(fmt, 400, *[(400, p) for p in form.problems()])
    service_request = actions.do_file_request(key, form.submission(), request=request)
    return respond(fmt, "service_requests", [resources.created(service_request)])
