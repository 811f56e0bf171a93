from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from dimos.accounts.models import Representation, User
from dimos.payments.models import Payment, PaymentOrder, Receipt


def _mine(person: User) -> Q:
    """Orders a person may see: their own, and those of the businesses they represent."""
    businesses = Representation.objects.filter(
        person=person, status=Representation.Status.APPROVED
    ).values("business_id")
    return Q(payer_person=person) | Q(payer_business__in=businesses)


def orders_of(person: User) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(_mine(person)).select_related("payer_business")


def own_order(person: User, rf: str) -> PaymentOrder | None:
    return orders_of(person).filter(rf=rf).first()


def receipts_of(person: User) -> QuerySet[Receipt]:
    return (
        Receipt.objects.filter(payment__order__in=orders_of(person))
        .select_related("payment", "payment__order")
        .order_by("-issued_at")
    )


def own_receipt(person: User, year: int, number: int) -> Receipt | None:
    return receipts_of(person).filter(year=year, number=number).first()


def search_orders(
    q: str = "", status: str = "", date_from: Any = None, date_to: Any = None
) -> QuerySet[PaymentOrder]:
    qs = PaymentOrder.objects.select_related("payer_business")
    if q:
        compact = "".join(q.split()).upper()
        qs = qs.filter(Q(rf=compact) | Q(payer_name__icontains=q) | Q(description__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-created_at")


def review_queue() -> QuerySet[Payment]:
    """Money waiting for a clerk: unmatched credits, partial or excess payments, reversals."""
    return (
        Payment.objects.filter(resolved_by__isnull=True)
        .filter(Q(state=Payment.State.REVIEW) | ~Q(review_reason=""))
        .select_related("order")
        .order_by("received_at")
    )


def daily_totals(days: int = 14) -> list[Any]:
    """Money applied per day and method, for the last `days` days; one query."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        Payment.objects.filter(state=Payment.State.APPLIED, received_at__date__gte=since)
        .annotate(day=TruncDate("received_at"))
        .values("day", "method")
        .annotate(total=Sum("amount_cents"), count=Count("id"))
        .order_by("-day", "method")
    )
