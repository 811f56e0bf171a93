from django.db.models import Q, QuerySet

from dimos.accounts.models import Representation, User
from dimos.payments.models import PaymentOrder, Receipt


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
