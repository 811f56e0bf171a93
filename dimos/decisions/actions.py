"""Every write about decisions: one transaction each, audited; PDF text read in the background."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dimos.core import audit
from dimos.decisions import pdfs, rules
from dimos.decisions.models import Body, Decision, DecisionType, ThematicCategory


@dataclass
class DecisionData:
    """The metadata of a decision, as staff enter it or Diavgeia publishes it."""

    body: Body
    protocol_number: str
    subject: str
    decision_date: date
    meeting_date: date | None = None
    decision_type: DecisionType | None = None
    categories: list[ThematicCategory] = field(default_factory=list)
    ada: str = ""
    published_at: datetime | None = None


def _apply(decision: Decision, data: DecisionData) -> None:
    serial, year = rules.split_protocol_number(data.protocol_number, data.decision_date.year)
    decision.body = data.body
    decision.protocol_number = data.protocol_number.strip()
    decision.serial = serial
    decision.year = year
    decision.subject = data.subject.strip()
    decision.decision_date = data.decision_date
    decision.meeting_date = data.meeting_date
    decision.decision_type = data.decision_type
    decision.ada = data.ada
    decision.published_at = data.published_at


def _check_unique(decision: Decision) -> None:
    """Friendly messages for the two uniqueness rules (the constraints are the guarantee)."""
    others = Decision.objects.exclude(pk=decision.pk)
    if (
        decision.serial is not None
        and others.filter(body=decision.body, year=decision.year, serial=decision.serial).exists()
    ):
        raise ValidationError(
            _("The %(body)s already has a decision %(number)s.")
            % {"body": decision.body.name, "number": f"{decision.serial}/{decision.year}"},
            code="duplicate_number",
        )
    if decision.ada and others.filter(ada=decision.ada).exists():
        raise ValidationError(
            _("Another decision has the ΑΔΑ %(ada)s.") % {"ada": decision.ada},
            code="duplicate_ada",
        )


def _attach_pdf(decision: Decision, data: bytes, facts: pdfs.PdfFacts) -> None:
    decision.pdf.save("decision.pdf", ContentFile(data), save=False)
    decision.pdf_sha256 = facts.sha256
    decision.page_count = facts.page_count
    decision.text = ""
    decision.text_extracted = False


def _save(decision: Decision) -> None:
    decision.refresh_search_fields()
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:  # a concurrent save took the number or the ΑΔΑ
        raise ValidationError(
            _("Another decision has this number or ΑΔΑ."), code="duplicate"
        ) from exc


def _extract_later(decision: Decision) -> None:
    from dimos.decisions.tasks import extract_text

    pk = decision.pk
    transaction.on_commit(lambda: extract_text.enqueue(pk), robust=True)


def do_publish_decision(
    data: DecisionData,
    pdf: bytes,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    source: str = "upload",
) -> Decision:
    """Publish a decision with its PDF; its text is read in the background."""
    facts = pdfs.check(pdf)
    with transaction.atomic():
        decision = Decision()
        _apply(decision, data)
        _check_unique(decision)
        _attach_pdf(decision, pdf, facts)
        _save(decision)
        decision.categories.set(data.categories)
        audit.record(
            "decision.published",
            decision,
            actor=actor,
            request=request,
            source=source,
            sha256=facts.sha256,
        )
        _extract_later(decision)
    return decision


def do_update_decision(
    decision: Decision,
    data: DecisionData,
    *,
    pdf: bytes | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
    source: str = "edit",
) -> Decision:
    """Change a decision's metadata and, when given, replace its PDF."""
    facts = pdfs.check(pdf) if pdf is not None else None
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        before = {
            "protocol_number": locked.protocol_number,
            "subject": locked.subject,
            "ada": locked.ada,
            "sha256": locked.pdf_sha256,
        }
        _apply(locked, data)
        _check_unique(locked)
        new_pdf = pdf is not None and facts is not None and facts.sha256 != locked.pdf_sha256
        if new_pdf:
            assert pdf is not None and facts is not None
            _attach_pdf(locked, pdf, facts)
        _save(locked)
        locked.categories.set(data.categories)
        audit.record(
            "decision.updated", locked, actor=actor, request=request, source=source, before=before
        )
        if new_pdf:
            _extract_later(locked)
    return locked


def do_revoke_decision(
    decision: Decision, reason: str, *, actor: Any = None, request: HttpRequest | None = None
) -> Decision:
    """Revoke a decision (ανάκληση): it stays findable, marked revoked, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Enter the reason for the revocation."), code="reason")
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status == Decision.Status.REVOKED:
            raise ValidationError(_("This decision is already revoked."), code="revoked")
        locked.status = Decision.Status.REVOKED
        locked.status_reason = reason
        locked.save(update_fields=["status", "status_reason", "updated_at"])
        audit.record("decision.revoked", locked, actor=actor, request=request, reason=reason)
    return locked


def do_mark_corrected(
    decision: Decision,
    correction: Decision,
    reason: str = "",
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Mark a decision as corrected by a later one (ορθή επανάληψη), linking the two."""
    if correction.pk == decision.pk:
        raise ValidationError(_("A decision cannot correct itself."), code="self")
    if correction.corrected_by_id == decision.pk:
        raise ValidationError(_("That decision is itself corrected by this one."), code="cycle")
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        locked.status = Decision.Status.CORRECTED
        locked.corrected_by = correction
        locked.status_reason = reason.strip()
        locked.save(update_fields=["status", "corrected_by", "status_reason", "updated_at"])
        audit.record(
            "decision.corrected",
            locked,
            actor=actor,
            request=request,
            correction=correction.pk,
            reason=locked.status_reason,
        )
    return locked


def do_store_extracted_text(decision_id: int) -> str:
    """Read the PDF's text into the decision (the background task). Safe to run twice."""
    decision = Decision.objects.select_related("body").filter(pk=decision_id).first()
    if decision is None:
        return "gone"
    with decision.pdf.open("rb") as file:
        data = file.read()
    text = pdfs.extract_text(data)
    with transaction.atomic():
        locked = Decision.objects.select_for_update().select_related("body").get(pk=decision_id)
        if locked.pdf_sha256 != decision.pdf_sha256:
            return "replaced"  # a newer PDF came meanwhile; its own task reads it
        locked.text = text
        locked.text_extracted = True
        locked.refresh_search_fields()
        locked.save(
            update_fields=["text", "text_extracted", "search_head", "search_text", "updated_at"]
        )
        audit.record("decision.text_extracted", locked, characters=len(text))
    return "empty" if not text.strip() else "read"
