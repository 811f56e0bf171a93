from django.db.models import Q, QuerySet

from dimos.accounts.models import User
from dimos.registry.models import Person, ResidencyClaim


def pending_claims() -> QuerySet[ResidencyClaim]:
    return ResidencyClaim.objects.filter(status=ResidencyClaim.Status.PENDING).select_related(
        "account"
    )


def candidates_for(claim: ResidencyClaim) -> QuerySet[Person]:
    """Registry persons a clerk may match the claim to: same ΑΜΚΑ, or members of the μερίδα."""
    return (
        Person.objects.filter(Q(amka=claim.amka) | Q(family__number=claim.family_number))
        .select_related("family", "account")
        .order_by("family__number", "birth_date")
    )


def latest_claim_of(account: User) -> ResidencyClaim | None:
    return ResidencyClaim.objects.filter(account=account).order_by("-submitted_at").first()
