"""What the registry holds about a person, and what closing the account does."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.registry.models import Person, ResidencyClaim


def unlink_registry_person(user: Any) -> None:
    Person.objects.filter(account=user).update(account=None)


def withdraw_pending_claims(user: Any) -> None:
    ResidencyClaim.objects.filter(account=user, status=ResidencyClaim.Status.PENDING).delete()


register(
    Section(
        key="registry_record",
        title=_("Your entry in the municipal registry"),
        model=Person,
        rows=lambda p: Person.objects.filter(account=p),
        columns=[
            ("family__number", _("family record number (μερίδα)")),
            ("family__municipal_unit", _("municipal unit")),
            "first_name",
            "last_name",
            "father_name",
            "mother_name",
            "birth_date",
            "amka",
        ],
        closure=Closure.KEEP,
        reason=_(
            "Kept: the municipal registry (Δημοτολόγιο) is kept by law, whether or not you "
            "have an account; only its link to your account is removed."
        ),
        close=unlink_registry_person,
    )
)
register(
    Section(
        key="residency_claims",
        title=_("Your requests to be verified as a resident"),
        model=ResidencyClaim,
        rows=lambda p: ResidencyClaim.objects.filter(account=p).order_by("submitted_at"),
        columns=[
            "submitted_at",
            "status",
            "decided_at",
            "rejection_reason",
            "amka",
            "family_number",
            "first_name",
            "last_name",
            "father_name",
            "mother_name",
            "birth_date",
        ],
        closure=Closure.KEEP,
        reason=_(
            "A request not yet decided is withdrawn and deleted. Decided requests are kept as "
            "the record of how you were verified (GDPR Art. 5(2))."
        ),
        close=withdraw_pending_claims,
    )
)
exclude("registry.Family", "a family record number and unit; its people are in 'registry_record'")
