"""Every write about requests and complaints: one transaction each, audited, notified."""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dimos.accounts.models import Department, User
from dimos.core import audit
from dimos.core.documents import issue_document
from dimos.core.models import IssuedDocument
from dimos.core.numbering import take_next_number
from dimos.core.uploads import IMAGE_TYPES, without_location
from dimos.notifications.actions import queue_notification
from dimos.service_requests import rules
from dimos.service_requests.models import (
    Attachment,
    Category,
    InternalNote,
    ServiceRequest,
    TimelineEntry,
)

PROTOCOL_SERIES = "service-request"
_TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I/L)


@dataclass(frozen=True)
class Submission:
    """What a citizen (or a clerk on their behalf) files."""

    kind: str
    category: Category
    subject: str
    description: str
    notify_channel: str
    notify_address: str
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    notify_every_change: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def new_tracking_code() -> str:
    return "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def do_submit_request(
    citizen: User,
    submission: Submission,
    *,
    attachments: list[Attachment] | tuple[()] = (),
    filed_by: User | None = None,
    intake: str = ServiceRequest.Intake.WEB,
    request: HttpRequest | None = None,
) -> ServiceRequest:
    """File a request: protocol number, legal deadline, first timeline step, acknowledgement."""
    now = timezone.localtime()
    category = submission.category
    with transaction.atomic():
        service_request = ServiceRequest.objects.create(
            year=now.year,
            number=take_next_number(PROTOCOL_SERIES, now.year),
            tracking_code=new_tracking_code(),
            kind=submission.kind,
            category=category,
            subject=submission.subject,
            description=submission.description,
            address=submission.address,
            latitude=submission.latitude,
            longitude=submission.longitude,
            citizen=citizen,
            filed_by=filed_by,
            intake=intake,
            notify_channel=submission.notify_channel,
            notify_address=submission.notify_address,
            notify_every_change=submission.notify_every_change,
            contact_name=submission.contact_name,
            contact_email=submission.contact_email,
            contact_phone=submission.contact_phone,
            department=category.department,
            submitted_at=now,
            answer_days=category.answer_days or rules.DEFAULT_ANSWER_DAYS,
            deadline=rules.answer_deadline(now.date(), category.answer_days, 0),
        )
        for attachment in attachments:
            attachment.request = service_request
            attachment.draft_owner = None
            attachment.save(update_fields=["request", "draft_owner"])
        TimelineEntry.objects.create(
            request=service_request,
            status=ServiceRequest.Status.SUBMITTED,
            at=now,
            by=filed_by or citizen,
            by_citizen=filed_by is None,
        )
        audit.record(
            "request.submitted",
            service_request,
            actor=filed_by or citizen,
            request=request,
            subject=citizen,
            intake=intake,
        )
        # An API client has the response as its receipt; a clerk filing for someone without
        # an e-mail tells them the number in person.
        if intake != ServiceRequest.Intake.API and _email_of(service_request) != (
            filed_by.email if filed_by else None
        ):
            queue_notification(
                citizen,
                "request_submitted",
                {"service_request": service_request},
                dedup_key=f"request:{service_request.pk}:submitted",
                channel="email",
                address=_email_of(service_request),
            )
    return service_request


def _lock(service_request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=service_request.pk)


def _pause_clock(locked: ServiceRequest, today: date) -> None:
    locked.waiting_since = today


def _restart_clock(locked: ServiceRequest, today: date) -> None:
    if locked.waiting_since is not None:
        locked.paused_days += rules.paused_days_between(locked.waiting_since, today)
        locked.waiting_since = None
        locked.deadline = rules.answer_deadline(
            timezone.localtime(locked.submitted_at).date(),
            locked.answer_days,
            locked.paused_days,
        )


def _apply_status(locked: ServiceRequest, new: rules.Status, today: date) -> None:
    if new == rules.Status.WAITING_FOR_CITIZEN:
        _pause_clock(locked, today)
    elif locked.status == rules.Status.WAITING_FOR_CITIZEN:
        _restart_clock(locked, today)
    if new == rules.Status.RESOLVED:
        locked.resolved_on = today
    if new in rules.COMPLETED and locked.answered_on is None:
        locked.answered_on = today
    locked.status = new


def _email_of(service_request: ServiceRequest) -> str:
    """Where e-mails about the request go: the address given for it, else the reporter's."""
    if service_request.notify_channel == "email" and service_request.notify_address:
        return service_request.notify_address
    return service_request.contact_email or service_request.citizen.email


def _notify_change(locked: ServiceRequest, entry: TimelineEntry) -> None:
    status = rules.Status(locked.status)
    context = {"service_request": locked, "entry": entry}
    if status in rules.COMPLETED:
        # Those who reported the same matter (marked duplicates of this one) are told with it.
        for duplicate in locked.duplicates.select_related("citizen"):
            queue_notification(
                duplicate.citizen,
                "request_completed",
                {"service_request": duplicate, "entry": entry, "original": locked},
                dedup_key=f"request:{duplicate.pk}:original-entry:{entry.pk}",
                channel=duplicate.notify_channel,
                address=duplicate.notify_address,
                department=duplicate.department,
            )
        # Seed service 1 c: told of the outcome by the means they chose.
        queue_notification(
            locked.citizen,
            "request_completed",
            context,
            dedup_key=f"request:{locked.pk}:entry:{entry.pk}:completed",
            channel=locked.notify_channel,
            address=locked.notify_address,
            department=locked.department,
        )
    elif locked.notify_every_change or status == rules.Status.WAITING_FOR_CITIZEN:
        queue_notification(
            locked.citizen,
            "request_changed",
            context,
            dedup_key=f"request:{locked.pk}:entry:{entry.pk}:changed",
            channel="email",
            address=_email_of(locked),
        )


def do_change_status(
    service_request: ServiceRequest,
    clerk: User,
    new_status: str,
    *,
    public_note: str = "",
    duplicate_of: ServiceRequest | None = None,
    forwarded_to: str = "",
    request: HttpRequest | None = None,
) -> TimelineEntry:
    """A member of staff moves a request on; the citizen sees the step and its note."""
    new = rules.Status(new_status)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock(service_request)
        if not rules.can_staff_move(rules.Status(locked.status), new):
            raise ValidationError(
                _("A request cannot move from “%(old)s” to “%(new)s”."),
                code="transition",
                params={
                    "old": locked.get_status_display(),
                    "new": ServiceRequest.Status(new).label,
                },
            )
        if new == rules.Status.REJECTED and not public_note.strip():
            raise ValidationError(_("Give the reason for the rejection."), code="reason")
        if new == rules.Status.DUPLICATE:
            if duplicate_of is None or duplicate_of.pk == locked.pk:
                raise ValidationError(_("Choose the original request."), code="original")
            locked.duplicate_of = duplicate_of
        if new == rules.Status.FORWARDED:
            if not forwarded_to.strip():
                raise ValidationError(
                    _("Say to which authority it was forwarded."), code="forwarded_to"
                )
            locked.forwarded_to = forwarded_to.strip()
        _apply_status(locked, new, today)
        locked.save()
        entry = TimelineEntry.objects.create(
            request=locked, status=new, public_note=public_note.strip(), by=clerk
        )
        audit.record(
            "request.status_changed",
            locked,
            actor=clerk,
            request=request,
            subject=locked.citizen,
            status=new,
        )
        _notify_change(locked, entry)
    service_request.refresh_from_db()
    return entry


def do_assign(
    service_request: ServiceRequest, clerk: User, assignee: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        locked = _lock(service_request)
        if not locked.is_open:
            raise ValidationError(_("A closed request cannot be assigned."), code="closed")
        locked.assignee = assignee
        moved = locked.status in (rules.Status.SUBMITTED, rules.Status.RECEIVED)
        if moved:
            locked.status = rules.Status.ASSIGNED
        locked.save()
        if moved:
            TimelineEntry.objects.create(request=locked, status=rules.Status.ASSIGNED, by=clerk)
        audit.record(
            "request.assigned",
            locked,
            actor=clerk,
            request=request,
            subject=locked.citizen,
            assignee=assignee.pk,
        )
    service_request.refresh_from_db()


def do_add_internal_note(
    service_request: ServiceRequest, clerk: User, text: str, request: HttpRequest | None = None
) -> InternalNote:
    with transaction.atomic():
        note = InternalNote.objects.create(request=service_request, author=clerk, text=text)
        audit.record("request.internal_note", service_request, actor=clerk, request=request)
    return note


def do_confirm_resolution(
    service_request: ServiceRequest, citizen: User, request: HttpRequest | None = None
) -> None:
    """The citizen agrees the matter is resolved: the request closes."""
    with transaction.atomic():
        locked = _lock(service_request)
        if locked.status != rules.Status.RESOLVED:
            raise ValidationError(_("Only a resolved request can be confirmed."), code="status")
        locked.status = rules.Status.CLOSED
        locked.save(update_fields=["status"])
        TimelineEntry.objects.create(
            request=locked, status=rules.Status.CLOSED, by=citizen, by_citizen=True
        )
        audit.record("request.confirmed", locked, actor=citizen, request=request)
    service_request.refresh_from_db()


def do_reopen(
    service_request: ServiceRequest, citizen: User, reason: str, request: HttpRequest | None = None
) -> None:
    """Not resolved after all: back to the same department, counted (issue #3)."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock(service_request)
        if not rules.may_reopen(rules.Status(locked.status), locked.resolved_on, today):
            raise ValidationError(
                _("This request can no longer be reopened. You can submit a new one."),
                code="reopen",
            )
        if not reason.strip():
            raise ValidationError(_("Tell us why the matter is not resolved."), code="reason")
        locked.status = rules.Status.IN_PROGRESS
        locked.reopen_count += 1
        locked.resolved_on = None
        locked.save(update_fields=["status", "reopen_count", "resolved_on"])
        TimelineEntry.objects.create(
            request=locked,
            status=rules.Status.IN_PROGRESS,
            public_note=reason.strip(),
            by=citizen,
            by_citizen=True,
        )
        audit.record("request.reopened", locked, actor=citizen, request=request)
    service_request.refresh_from_db()


def do_citizen_reply(
    service_request: ServiceRequest,
    citizen: User,
    text: str,
    attachments: list[Attachment] | tuple[()] = (),
    request: HttpRequest | None = None,
) -> None:
    """The citizen answers what the service asked; the clock runs again."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock(service_request)
        if locked.status != rules.Status.WAITING_FOR_CITIZEN:
            raise ValidationError(
                _("The service is not waiting for an answer from you."), code="status"
            )
        if not text.strip():
            raise ValidationError(_("Write your answer."), code="text")
        _apply_status(locked, rules.Status.IN_PROGRESS, today)
        locked.save()
        for attachment in attachments:
            attachment.request = locked
            attachment.draft_owner = None
            attachment.save(update_fields=["request", "draft_owner"])
        TimelineEntry.objects.create(
            request=locked,
            status=rules.Status.IN_PROGRESS,
            public_note=text.strip(),
            by=citizen,
            by_citizen=True,
        )
        audit.record("request.citizen_replied", locked, actor=citizen, request=request)
    service_request.refresh_from_db()


def do_store_draft_attachments(
    owner: User, files: list[tuple[UploadedFile, str]], *, keep_location: bool = False
) -> list[Attachment]:
    """Keep uploaded files until the request is filed; photos lose their GPS location unless
    the citizen chose to keep it."""
    stored = []
    with transaction.atomic():
        for upload, content_type in files:
            content: File[Any] = upload
            if content_type in IMAGE_TYPES and not keep_location:
                content = ContentFile(without_location(upload, content_type))
            attachment = Attachment(
                draft_owner=owner,
                content_type=content_type,
                size=upload.size or 0,
                uploaded_by=owner,
                original_name=(upload.name or "file")[-120:],
            )
            attachment.file.save(upload.name or "file", content, save=False)
            attachment.size = attachment.file.size
            attachment.save()
            stored.append(attachment)
    return stored


RECEIPT_KIND = "request-receipt"


def do_issue_filing_receipt(
    service_request: ServiceRequest, request: HttpRequest | None = None
) -> IssuedDocument:
    """The αποδεικτικό κατάθεσης: issued once per request, then the same PDF each time."""
    with translation.override("el"):
        title = _("Filing receipt of request %(protocol)s") % {"protocol": service_request.protocol}
        rows = [
            (_("Protocol number"), service_request.protocol),
            (
                _("Filed on"),
                date_format(timezone.localtime(service_request.submitted_at), "d/m/Y H:i"),
            ),
            (_("Kind"), service_request.get_kind_display()),
            (_("Category"), service_request.category.name),
            (_("Subject"), service_request.subject),
            (_("Handled by"), service_request.department.name),
            (_("Answer due by"), date_format(service_request.deadline, "d/m/Y")),
            (_("Tracking code"), service_request.tracking_code),
        ]
        notes = [
            _(
                "The municipality must answer within 50 days of filing (ν.2690/1999, "
                "article 4 §1α), unless a shorter deadline applies to this category. "
                "You can follow the request with its protocol number and tracking code."
            )
        ]
    return issue_document(
        RECEIPT_KIND,
        str(title),
        "core/pdf/simple.html",
        {"rows": rows, "notes": notes},
        holder=service_request.citizen,
        about=service_request,
        request=request,
    )


def do_transfer_department(
    service_request: ServiceRequest,
    clerk: User,
    department: Department,
    request: HttpRequest | None = None,
) -> None:
    """Not our department's matter: pass it to the competent one and tell the citizen
    (ν.2690/1999 art. 4 §1α: within 3 days of filing)."""
    with transaction.atomic():
        locked = _lock(service_request)
        if not locked.is_open:
            raise ValidationError(_("A closed request cannot be transferred."), code="closed")
        if department.pk == locked.department_id:
            raise ValidationError(_("Choose another department."), code="same")
        locked.department = department
        locked.assignee = None
        locked.save(update_fields=["department", "assignee"])
        entry = TimelineEntry.objects.create(
            request=locked,
            status=locked.status,
            by=clerk,
            public_note=_("Transferred to the competent department: %(department)s.")
            % {"department": department.name},
        )
        audit.record(
            "request.transferred",
            locked,
            actor=clerk,
            request=request,
            subject=locked.citizen,
            department=department.pk,
        )
        queue_notification(
            locked.citizen,
            "request_changed",
            {"service_request": locked, "entry": entry},
            dedup_key=f"request:{locked.pk}:entry:{entry.pk}:transferred",
            channel="email",
            address=_email_of(locked),
        )
    service_request.refresh_from_db()
