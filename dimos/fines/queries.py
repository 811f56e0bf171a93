"""Reads that pages share: the select_related / prefetch are here, once."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from dimos.accounts.models import User
from dimos.fines import rules
from dimos.fines.models import FineCategory, PaymentPolicy, Ticket
from dimos.payments.models import Payment, PaymentOrder

PAYABLE_KIND = "fine"


def policy_on(day: date) -> PaymentPolicy | None:
    """The row of the rule table in force for a violation on `day`."""
    return (
        PaymentPolicy.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def categories_on(day: date) -> QuerySet[FineCategory]:
    return FineCategory.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def category_on(code: str, article: str, day: date) -> FineCategory | None:
    """Category `code` in force on `day`; for Ε4 the row of the article (amounts per article)."""
    key = rules.normalise_code(code)
    article_key = rules.normalise_code(article)
    candidates = [c for c in categories_on(day) if rules.normalise_code(c.code) == key]
    specific = [
        c for c in candidates if c.article and rules.normalise_code(c.article) == article_key
    ]
    general = [c for c in candidates if not c.article]
    found = specific or general
    return found[0] if found else None


def ticket_by_number(number: str) -> Ticket | None:
    return Ticket.objects.filter(number_key=rules.normalise_code(number)).first()


def find_ticket(number: str, plate: str) -> Ticket | None:
    """Both must match; the caller never says which one did not."""
    number_key, plate_key = rules.normalise_code(number), rules.normalise_code(plate)
    if not number_key or not plate_key:
        return None
    return (
        Ticket.objects.filter(number_key=number_key, plate_key=plate_key)
        .select_related("category")
        .first()
    )


def orders_of_ticket(ticket: Ticket) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(payable_kind=PAYABLE_KIND, payable_id=str(ticket.pk))


def with_receipts(qs: QuerySet[PaymentOrder]) -> QuerySet[PaymentOrder]:
    return qs.prefetch_related(
        Prefetch(
            "payments",
            queryset=Payment.objects.filter(state=Payment.State.APPLIED).select_related("receipt"),
            to_attr="applied_payments",
        )
    )


def visible_ticket(person: User, number_key: str, found: list[int]) -> Ticket | None:
    """A ticket the person may see: found with number and plate in this session, or one they
    entered or paid from their account. Anyone else's is simply not found."""
    ticket = Ticket.objects.filter(number_key=number_key).select_related("category").first()
    if ticket is None:
        return None
    if ticket.pk in found or ticket.entered_by_id == person.pk:
        return ticket
    if orders_of_ticket(ticket).filter(payer_person=person).exists():
        return ticket
    return None


@dataclass(frozen=True)
class PaidFine:
    ticket: Ticket
    orders: list[PaymentOrder]


def fines_of(person: User) -> list[PaidFine]:
    """ "My fines": tickets paid (wholly or partly) from the account, with their receipts.
    Three queries whatever the number of tickets."""
    orders = list(
        with_receipts(
            PaymentOrder.objects.filter(
                payer_person=person, payable_kind=PAYABLE_KIND, paid_cents__gt=0
            ).order_by("-created_at")
        )
    )
    tickets = Ticket.objects.select_related("category").in_bulk(
        {int(o.payable_id) for o in orders if o.payable_id.isdigit()}
    )
    by_ticket: dict[int, list[PaymentOrder]] = {}
    for order in orders:
        if order.payable_id.isdigit() and int(order.payable_id) in tickets:
            by_ticket.setdefault(int(order.payable_id), []).append(order)
    return [
        PaidFine(tickets[pk], found)
        for pk, found in sorted(
            by_ticket.items(), key=lambda item: tickets[item[0]].issued_at, reverse=True
        )
    ]


def staff_tickets(q: str = "", status: str = "") -> QuerySet[Ticket]:
    qs = Ticket.objects.select_related("category")
    if q:
        key = rules.normalise_code(q)
        qs = qs.filter(Q(number_key=key) | Q(plate_key=key) | Q(place__icontains=q.strip()))
    if status == "provisional":
        qs = qs.filter(provisional=True)
    elif status in Ticket.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-issued_at", "-id")


def reconcile_queue() -> QuerySet[Ticket]:
    """Fines to reconcile: refunds due, balances owed after registration, plate mismatches."""
    return (
        Ticket.objects.filter(needs_review=True)
        .select_related("category", "entered_by")
        .order_by("issued_at", "id")
    )
