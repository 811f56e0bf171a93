"""What requests and complaints hold about a person, and what closing the account does."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.service_requests.models import Attachment, ServiceRequest, TimelineEntry


def own_requests(person: Any) -> QuerySet[ServiceRequest]:
    """The person's own requests: not those an API client or a clerk filed for someone else
    under their own account (then the reporter's details are another person's data)."""
    return (
        ServiceRequest.objects.filter(citizen=person)
        .exclude(intake=ServiceRequest.Intake.API)
        .exclude(filed_by=person)
    )


def remove_contact_details(person: Any) -> None:
    """The requests stay on file; nobody can be told about them any more."""
    own_requests(person).update(
        contact_name="",
        contact_email="",
        contact_phone="",
        notify_address="",
        notify_every_change=False,
    )


def delete_drafts(person: Any) -> None:
    drafts = list(Attachment.objects.filter(draft_owner=person, request__isnull=True))
    Attachment.objects.filter(pk__in=[a.pk for a in drafts]).delete()
    for draft in drafts:
        name, storage = draft.file.name, draft.file.storage
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))  # type: ignore[misc]


_KEPT = _(
    "Kept, with your contact details removed: requests and complaints are entries of the "
    "municipality's protocol, kept under the archive rules (ν.2690/1999). Open ones are still "
    "handled, but you will not be told about them."
)

register(
    Section(
        key="requests",
        title=_("Your requests and complaints"),
        model=ServiceRequest,
        rows=lambda p: own_requests(p).order_by("year", "number"),
        columns=[
            ("year", _("Year")),
            ("number", _("Protocol number")),
            "kind",
            ("category__name", _("Category")),
            "subject",
            "description",
            "address",
            "latitude",
            "longitude",
            "status",
            "submitted_at",
            "deadline",
            "resolved_on",
            "contact_name",
            "contact_email",
            "contact_phone",
            "notify_channel",
            "notify_address",
        ],
        closure=Closure.KEEP,
        reason=_KEPT,
        close=remove_contact_details,
    )
)
register(
    Section(
        key="request_progress",
        title=_("Progress of your requests and complaints"),
        model=TimelineEntry,
        rows=lambda p: TimelineEntry.objects.filter(request__in=own_requests(p)),
        columns=[
            ("request__year", _("Year")),
            ("request__number", _("Protocol number")),
            ("status", _("Status")),
            ("public_note", _("note to the citizen")),
            ("at", _("When")),
        ],
        closure=Closure.KEEP,
        reason=_KEPT,
    )
)
register(
    Section(
        key="attachments",
        title=_("Files you sent with requests"),
        model=Attachment,
        rows=lambda p: (
            Attachment.objects.filter(request__in=own_requests(p))
            | Attachment.objects.filter(draft_owner=p, request__isnull=True)
        ),
        columns=[
            ("request__year", _("Year")),
            ("request__number", _("Protocol number")),
            ("original_name", _("File")),
            ("content_type", _("Type")),
            ("size", _("Size (bytes)")),
            ("uploaded_at", _("When")),
        ],
        file_field="file",
        closure=Closure.KEEP,
        reason=_(
            "Files of filed requests are kept with them; files you uploaded for a request you "
            "never sent are deleted."
        ),
        close=delete_drafts,
    )
)
exclude(
    "service_requests.InternalNote",
    "staff-only working notes; an access request for them is answered by the DPO [ASK]",
)
exclude("service_requests.Category", "categories of requests (reference data)")
exclude("service_requests.ResponseTemplate", "staff answer templates (reference data)")
