from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth

from dimos.accounts.models import User
from dimos.service_requests.models import Attachment, ServiceRequest, TimelineEntry

OPEN_STATUSES = ["submitted", "received", "assigned", "in_progress", "waiting"]


def requests_of(citizen: User, state: str = "") -> QuerySet[ServiceRequest]:
    qs = ServiceRequest.objects.filter(citizen=citizen).select_related("category")
    if state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif state == "done":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    return qs.order_by("-submitted_at")


def parse_public_id(public_id: str) -> tuple[int, int] | None:
    year, _sep, number = public_id.partition("-")
    if year.isdigit() and number.isdigit():
        return int(year), int(number)
    return None


def with_details(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return qs.select_related(
        "category", "department", "duplicate_of", "citizen", "assignee"
    ).prefetch_related(
        Prefetch("timeline", queryset=TimelineEntry.objects.order_by("at", "id")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
    )


def own_request(citizen: User, public_id: str) -> ServiceRequest | None:
    """The citizen's own request by its public id; anyone else's is simply not found."""
    parsed = parse_public_id(public_id)
    if parsed is None:
        return None
    year, number = parsed
    return (
        with_details(ServiceRequest.objects.filter(citizen=citizen))
        .filter(year=year, number=number)
        .first()
    )


def drafts_of(owner: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(draft_owner=owner, request__isnull=True)


def tracked_request(year: int, number: int, code: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(year=year, number=number, tracking_code=code)
        .prefetch_related("timeline")
        .first()
    )


def staff_queue(
    clerk: User,
    *,
    state: str = "open",
    category: str = "",
    overdue: bool = False,
    mine: bool = False,
    today: Any = None,
) -> QuerySet[ServiceRequest]:
    """The requests of the clerk's departments, soonest deadline first."""
    qs = ServiceRequest.objects.filter(department__in=clerk.departments.all()).select_related(
        "category", "assignee", "department"
    )
    if state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif state in {s.value for s in ServiceRequest.Status}:
        qs = qs.filter(status=state)
    if category:
        qs = qs.filter(category__code=category)
    if overdue and today is not None:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    if mine:
        qs = qs.filter(assignee=clerk)
    return qs.order_by("deadline", "year", "number")


def staff_request(clerk: User, public_id: str) -> ServiceRequest | None:
    """A request of one of the clerk's departments; another department's is not found."""
    parsed = parse_public_id(public_id)
    if parsed is None:
        return None
    year, number = parsed
    qs = with_details(ServiceRequest.objects.filter(department__in=clerk.departments.all()))
    return (
        qs.prefetch_related("internal_notes__author", "timeline__by")
        .filter(year=year, number=number)
        .first()
    )


def colleagues_of(clerk: User, service_request: ServiceRequest) -> QuerySet[User]:
    return User.objects.filter(
        is_staff=True, is_active=True, departments=service_request.department_id
    ).order_by("last_name", "first_name")


@dataclass(frozen=True)
class CategoryStats:
    name: str
    received: int
    answered: int
    answered_in_time: int
    open_overdue: int
    reopened: int

    @property
    def in_time_share(self) -> int | None:
        """Per cent of the answered that were answered within the legal deadline."""
        return round(100 * self.answered_in_time / self.answered) if self.answered else None

    @property
    def reopen_share(self) -> int | None:
        return round(100 * self.reopened / self.answered) if self.answered else None


def statistics(year: int, today: date) -> list[CategoryStats]:
    """Per category, for requests filed in `year`; one query whatever the number of rows."""
    open_q = Q(status__in=OPEN_STATUSES)
    rows = (
        ServiceRequest.objects.filter(year=year)
        .values("category__name", "category__position")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(answered_on__isnull=False)),
            answered_in_time=Count("id", filter=Q(answered_on__lte=F("deadline"))),
            open_overdue=Count("id", filter=open_q & Q(deadline__lt=today)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
        )
        .order_by("category__position", "category__name")
    )
    return [
        CategoryStats(
            name=r["category__name"],
            received=r["received"],
            answered=r["answered"],
            answered_in_time=r["answered_in_time"],
            open_overdue=r["open_overdue"],
            reopened=r["reopened"],
        )
        for r in rows
    ]


def received_per_month(year: int) -> list[tuple[int, int]]:
    """(month, requests received) for every month of `year` that has any."""
    rows = (
        ServiceRequest.objects.filter(year=year)
        .annotate(month=ExtractMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [(r["month"], r["n"]) for r in rows]
