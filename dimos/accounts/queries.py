from datetime import datetime

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from dimos.accounts.models import Representation, User
from dimos.accounts.rules import ANONYMOUS_DOMAIN


def pending_representations() -> QuerySet[Representation]:
    return Representation.objects.filter(status=Representation.Status.PENDING).select_related(
        "person", "business", "business__activity_category"
    )


def representations_of(person: User) -> QuerySet[Representation]:
    return (
        Representation.objects.filter(person=person)
        .select_related("business", "business__activity_category")
        .order_by("-submitted_at")
    )


def inactive_people(last_active_before: datetime) -> QuerySet[User]:
    """People (not staff) not seen since the date, not yet anonymised; the oldest first."""
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(email__startswith="removed-", email__endswith=f"@{ANONYMOUS_DOMAIN}")
        .annotate(last_active=Coalesce("last_login", "date_joined"))
        .filter(last_active__lt=last_active_before)
        .order_by("last_active", "pk")
    )
