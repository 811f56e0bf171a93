"""Every write about people and businesses: one transaction each, audited, notified."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dimos.accounts.models import ActivityCategory, Business, Representation, User
from dimos.core import audit
from dimos.notifications.actions import queue_email

_DUPLICATE = gettext_lazy(
    "You have already asked to represent this business, or you already represent it."
)


def do_update_profile(person: User, changes: dict[str, Any], request: HttpRequest) -> None:
    with transaction.atomic():
        for key, value in changes.items():
            setattr(person, key, value)
        person.save(update_fields=list(changes))
        audit.record(
            "profile.updated", person, request=request, subject=person, fields=sorted(changes)
        )


def do_request_representation(
    person: User,
    *,
    afm: str,
    legal_name: str,
    address: str,
    activity_category: ActivityCategory,
    proof: UploadedFile,
    proof_content_type: str,
    request: HttpRequest | None = None,
) -> Representation:
    """A person asks to be recognised as the legal representative of a business."""
    live = Representation.objects.filter(person=person, business__afm=afm).exclude(
        status=Representation.Status.REJECTED
    )
    if live.exists():
        raise ValidationError(_DUPLICATE, code="duplicate")
    try:
        with transaction.atomic():
            business, created = Business.objects.get_or_create(
                afm=afm,
                defaults={
                    "legal_name": legal_name,
                    "address": address,
                    "activity_category": activity_category,
                },
            )
            representation = Representation.objects.create(
                person=person,
                business=business,
                proof=proof,
                proof_content_type=proof_content_type,
            )
            if created:
                audit.record("business.registered", business, request=request, actor=person)
            audit.record(
                "representation.requested",
                representation,
                request=request,
                actor=person,
                subject=person,
            )
    except IntegrityError:
        raise ValidationError(_DUPLICATE, code="duplicate") from None
    return representation


def do_decide_representation(
    representation: Representation,
    clerk: User,
    *,
    approve: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    with transaction.atomic():
        locked = Representation.objects.select_for_update().get(pk=representation.pk)
        locked.record_decision(clerk, approve=approve, reason=reason)
        locked.save()
        audit.record(
            "representation.approved" if approve else "representation.rejected",
            locked,
            actor=clerk,
            request=request,
            subject=locked.person,
            reason=locked.rejection_reason,
        )
        queue_email(
            locked.person,
            "representation_approved" if approve else "representation_rejected",
            {"representation": locked},
            dedup_key=f"representation:{locked.pk}:decided",
        )
    representation.refresh_from_db()


def do_mark_resident(
    person: User, *, request: HttpRequest | None = None, actor: User | None = None
) -> None:
    """The registry verified this person as a Δημότης (called inside its transaction)."""
    person.resident_since = timezone.now()
    person.save(update_fields=["resident_since"])
    audit.record("person.resident_verified", person, actor=actor, request=request, subject=person)
