"""Every write about people and businesses: one transaction each, audited, notified."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dimos.accounts import queries, rules
from dimos.accounts.models import (
    ActivityCategory,
    Business,
    NotificationChannel,
    Representation,
    User,
)
from dimos.core import audit, personal_data
from dimos.core.security_log import security_event
from dimos.notifications.actions import queue_email, queue_notification
from dimos.notifications.models import Notification

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


# --- Personal data: closing an account, inactive accounts (GDPR) ---------------------------


def _erase(person: User) -> str:
    """Apply every app's closure (dimos/core/personal_data.py); returns the old e-mail."""
    old_email = person.email
    personal_data.run_closure(person)
    return old_email


def do_close_account(person: User, request: HttpRequest | None = None) -> None:
    """The person closes their account: one transaction, audited, a notice to the old address."""
    if person.is_staff or person.is_superuser:
        raise ValidationError(
            gettext_lazy("Staff accounts are closed by an administrator."), code="staff"
        )
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        old_email = _erase(person)
        audit.record("account.closed", person, actor=person, request=request, subject=person)
        queue_notification(
            person,
            "account_closed",
            {},
            dedup_key=f"account:{person.pk}:closed",
            channel=NotificationChannel.EMAIL,
            address=old_email,
        )
    security_event("account_closed", request=request, actor=person, obj=person, by="owner")


def inactivity_key(person: User) -> str:
    """One warning per spell of inactivity: a login starts a new spell, and a new key."""
    last = person.last_login or person.date_joined
    return f"account:{person.pk}:inactive-warning:{last:%Y%m%d%H%M%S}"


def do_warn_inactive(person: User) -> bool:
    """Queue the warning that the account will be anonymised; False if already warned."""
    with transaction.atomic():
        key = inactivity_key(person)
        if Notification.objects.filter(dedup_key=key).exists():
            return False
        queue_notification(
            person,
            "account_inactive",
            {"months": settings.DIMOS_INACTIVE_ANONYMISE_MONTHS},
            dedup_key=key,
            channel=NotificationChannel.EMAIL,
        )
        audit.record("account.inactivity_warned", person, subject=person)
    return True


def do_anonymise_inactive(person: User) -> None:
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        _erase(person)
        audit.record(
            "account.anonymised_inactive",
            person,
            subject=person,
            months=settings.DIMOS_INACTIVE_ANONYMISE_MONTHS,
        )
    security_event("account_closed", obj=person, by="inactivity")


def process_inactive_accounts(now: datetime) -> tuple[int, int]:
    """Warn once those inactive for DIMOS_INACTIVE_WARN_MONTHS, anonymise those inactive for
    DIMOS_INACTIVE_ANONYMISE_MONTHS. Idempotent: run it daily. Returns (warned, anonymised)."""
    warn_before, anonymise_before = rules.inactivity_cutoffs(
        now, settings.DIMOS_INACTIVE_WARN_MONTHS, settings.DIMOS_INACTIVE_ANONYMISE_MONTHS
    )
    anonymised = 0
    for person in queries.inactive_people(anonymise_before).iterator():
        do_anonymise_inactive(person)
        anonymised += 1
    warned = 0
    for person in queries.inactive_people(warn_before).filter(is_active=True).iterator():
        warned += do_warn_inactive(person)
    return warned, anonymised
