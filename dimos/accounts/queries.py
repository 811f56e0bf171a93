from django.db.models import QuerySet

from dimos.accounts.models import Representation, User


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
