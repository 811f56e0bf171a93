"""Writes of the registry: residency claims, matched automatically or decided by a clerk."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dimos.accounts.actions import do_mark_resident
from dimos.core import audit
from dimos.notifications.actions import queue_email
from dimos.registry.models import Person, ResidencyClaim
from dimos.registry.rules import Identity, is_exact_match


def _identity_of_person(person: Person) -> Identity:
    return Identity(
        amka=person.amka or "",
        family_number=person.family.number,
        first_name=person.first_name,
        last_name=person.last_name,
        father_name=person.father_name,
        mother_name=person.mother_name,
        birth_date=person.birth_date,
    )


def _identity_of_claim(claim: ResidencyClaim) -> Identity:
    return Identity(
        amka=claim.amka,
        family_number=claim.family_number,
        first_name=claim.first_name,
        last_name=claim.last_name,
        father_name=claim.father_name,
        mother_name=claim.mother_name,
        birth_date=claim.birth_date,
    )


def _exact_match(claim: ResidencyClaim) -> Person | None:
    person = (
        Person.objects.select_for_update()
        .select_related("family")
        .filter(amka=claim.amka, account__isnull=True)
        .first()
    )
    if person and is_exact_match(_identity_of_claim(claim), _identity_of_person(person)):
        return person
    return None


def _link(claim: ResidencyClaim, person: Person, clerk: Any, request: HttpRequest | None) -> None:
    if person.account_id is not None and person.account_id != claim.account_id:
        raise ValidationError(
            _("This registered person is already linked to another account."), code="linked"
        )
    person.account = claim.account
    person.save(update_fields=["account"])
    claim.person = person
    claim.record_decision(clerk, approve=True)
    claim.save()
    do_mark_resident(claim.account, request=request, actor=clerk)
    audit.record(
        "residency.approved",
        claim,
        actor=clerk,
        request=request,
        subject=claim.account,
        automatic=clerk is None,
    )
    queue_email(
        claim.account,
        "residency_approved",
        {"claim": claim},
        dedup_key=f"residency:{claim.pk}:decided",
    )


def do_claim_residency(
    account: Any, data: dict[str, Any], request: HttpRequest | None = None
) -> ResidencyClaim:
    """Record the claim; an exact match with the registry verifies the resident at once."""
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the constraint may fire under a race
                claim = ResidencyClaim.objects.create(account=account, **data)
        except IntegrityError:  # one live claim per account
            raise ValidationError(
                _("You have already asked to be verified as a resident."), code="duplicate"
            ) from None
        audit.record("residency.claimed", claim, actor=account, request=request, subject=account)
        person = _exact_match(claim)
        if person is not None:
            _link(claim, person, None, request)
    return claim


def do_decide_claim(
    claim: ResidencyClaim,
    clerk: Any,
    *,
    approve: bool,
    person: Person | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    with transaction.atomic():
        locked = ResidencyClaim.objects.select_for_update().get(pk=claim.pk)
        if approve:
            if person is None:
                raise ValidationError(_("Choose the registered person."), code="person")
            _link(locked, Person.objects.select_for_update().get(pk=person.pk), clerk, request)
        else:
            locked.record_decision(clerk, approve=False, reason=reason)
            locked.save()
            audit.record(
                "residency.rejected",
                locked,
                actor=clerk,
                request=request,
                subject=locked.account,
                reason=locked.rejection_reason,
            )
            queue_email(
                locked.account,
                "residency_rejected",
                {"claim": locked},
                dedup_key=f"residency:{locked.pk}:decided",
            )
    claim.refresh_from_db()
