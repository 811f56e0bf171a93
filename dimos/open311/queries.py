from collections.abc import Iterable
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from dimos.open311 import rules
from dimos.open311.models import ApiKey
from dimos.service_requests.models import Category, ServiceRequest, TimelineEntry
from dimos.service_requests.queries import parse_public_id


def all_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("owner", "created_by", "revoked_by")


def active_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(revoked_at__isnull=True)


def key_for(raw_key: str) -> ApiKey | None:
    """The key a client sent, if it is one we issued and have not revoked."""
    if not raw_key:
        return None
    return (
        active_keys()
        .select_related("owner")
        .filter(key_hash=ApiKey.hash_of(raw_key), owner__is_active=True)
        .first()
    )


def services() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("department")


def service(code: str) -> Category | None:
    return services().filter(code=code).first()


def public_requests() -> QuerySet[ServiceRequest]:
    """Requests with what GET requests shows, in a fixed number of queries whatever their number.

    `status_notes` is the latest public note written by the staff: what the citizen wrote
    (a reply, the reason for reopening) is theirs and may be personal.
    """
    steps = TimelineEntry.objects.filter(request=OuterRef("pk")).order_by("-at", "-id")
    return (
        ServiceRequest.objects.select_related("category", "department")
        .annotate(
            updated_at=Subquery(steps.values("at")[:1]),
            status_notes=Subquery(
                steps.filter(by_citizen=False).exclude(public_note="").values("public_note")[:1]
            ),
        )
        .order_by("-submitted_at", "-id")
    )


def _with_public_ids(qs: QuerySet[ServiceRequest], ids: Iterable[str]) -> QuerySet[ServiceRequest]:
    wanted = Q(pk__in=[])
    for public_id in ids:
        parsed = parse_public_id(public_id)
        if parsed is not None:
            wanted |= Q(year=parsed[0], number=parsed[1])
    return qs.filter(wanted)


def public_request(public_id: str) -> ServiceRequest | None:
    return _with_public_ids(public_requests(), [public_id]).first()


def requests_with_ids(ids: list[str]) -> list[ServiceRequest]:
    """GET requests with service_request_id: these requests, whatever else was asked."""
    return list(_with_public_ids(public_requests(), ids)[: rules.MAX_RESULTS])


def requests_matching(
    *, codes: list[str], statuses: set[str], start: datetime, end: datetime
) -> list[ServiceRequest]:
    """GET requests: filed in [start, end], of these services and statuses; at most 1000,
    newest first."""
    qs = public_requests().filter(submitted_at__gte=start, submitted_at__lte=end)
    if codes:
        qs = qs.filter(category__code__in=codes)
    if statuses:
        qs = qs.filter(status__in=rules.statuses_for(statuses))
    return list(qs[: rules.MAX_RESULTS])
