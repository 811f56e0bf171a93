"""Documents the municipality issues: receipts, filing receipts, certificates.

Each is a PDF rendered from a template that extends `core/pdf/base.html`, stored through
Django's storage API, and carries a verification code and a QR code to `/verify/<code>/`,
where anyone can check that it is genuine (and not revoked) without seeing whose it is.

    document = issue_document(
        "request-receipt",
        f"Αποδεικτικό κατάθεσης αιτήματος {protocol}",
        "service_requests/pdf/receipt.html",
        {"request": service_request},
        holder=service_request.applicant,
        about=service_request,
        request=request,
    )
"""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.http import FileResponse, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.models import IssuedDocument
from dimos.core.pdf import RenderedPdf, html_to_pdf, qr_data_uri

# --- Verification codes -------------------------------------------------------------------
# 28 symbols, 12 of them: 28^12 ≈ 2^57 codes, far beyond guessing at 30 lookups per 10 minutes.
# Left out: 0 O 1 I L (look alike), U (V), Q (O; it is «;» on a Greek keyboard) and R, so that
# a Greek Ρ, which looks like P but sits on the R key, can only mean P.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPSTVWXYZ"
CODE_LENGTH = 12
CODE_INPUT_MAX_LENGTH = 40  # room for spaces and dashes, and not much more
# Codes typed with the Greek keyboard layout still on: each Greek capital becomes the Latin
# letter on the same key (and Ρ becomes P, which it looks like).
_GREEK_KEYS = str.maketrans(
    "ΑΒΨΔΕΦΓΗΙΞΚΛΜΝΟΠΡΣΤΘΩΧΥΖ",
    "ABCDEFGHIJKLMNOPPSTUVXYZ",
)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a person typed, as a stored code: « k7tx 3m9p–2whd » becomes «K7TX3M9P2WHD»."""
    text = unicodedata.normalize("NFKD", raw)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ς", "W").upper().translate(_GREEK_KEYS)  # ς is on the W key
    return _SEPARATORS.sub("", text)


def parse_code(raw: str) -> str:
    """The stored form of a typed code, or ValidationError saying what is wrong with it."""
    code = normalize_code(raw)
    if not code:
        raise ValidationError(_("Enter the verification code."), code="required")
    if any(ch not in CODE_ALPHABET for ch in code):
        raise ValidationError(
            _(
                "A verification code has only digits and capital Latin letters, "
                "exactly as printed on the document."
            ),
            code="characters",
        )
    if len(code) != CODE_LENGTH:
        raise ValidationError(
            _("A verification code has 12 characters, like K7TX-3M9P-2WHD."), code="length"
        )
    return code


def group_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_url(code: str) -> str:
    """The absolute address printed (and in the QR code) on the document; works in tasks too."""
    base = str(getattr(settings, "DIMOS_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
    with translation.override("el"):  # the Greek page, whatever language is active now
        return base + reverse("core:verify", kwargs={"code": group_code(code)})


# --- Issuing and revoking -----------------------------------------------------------------


def issue_document(
    kind: str,
    title: str,
    template: str,
    context: dict[str, Any],
    *,
    holder: Any,
    about: models.Model,
    request: HttpRequest | None = None,
    reissue_reason: str = "",
) -> IssuedDocument:
    """Render, store and record the document of `kind` about `about`, in Greek.

    Issuing the same kind for the same object again returns the document already issued,
    unrendered. With a `reissue_reason` the valid one is revoked with that reason and a new
    one is issued. Safe inside the caller's transaction: if that rolls back, the PDF stays in
    storage with a random name that nothing points to — harmless, and never served.
    """
    object_type, object_id = _about(about)
    if not reissue_reason.strip():
        existing = _valid_document(kind, object_type, object_id)
        if existing is not None:
            return existing
    document = IssuedDocument(
        kind=kind,
        code=_unused_code(),
        title=title,
        holder=holder,
        object_type=object_type,
        object_id=object_id,
        issued_at=timezone.now(),
    )
    rendered = render_document(document, template, context)
    document.sha256 = hashlib.sha256(rendered.data).hexdigest()
    document.page_count = rendered.page_count
    # Written before the row, outside any lock: the rendering and the write are the slow part.
    document.pdf.save("document.pdf", ContentFile(rendered.data), save=False)
    try:
        with transaction.atomic():
            previous = _valid_document(kind, object_type, object_id, lock=True)
            if previous is not None and not reissue_reason.strip():
                raise _IssuedMeanwhileError(previous)
            if previous is not None:
                _revoke(previous, reissue_reason, request=request)
            document.save()
            audit.record(
                "document.issued",
                document,
                request=request,
                subject=holder,
                kind=kind,
                about=f"{object_type}:{object_id}",
                sha256=document.sha256,
                replaces=previous.code if previous is not None else "",
            )
    except _IssuedMeanwhileError as lost:
        document.pdf.delete(save=False)
        return lost.document
    except IntegrityError:
        # Another issuer of the same kind and object committed first (the unique constraint
        # on valid documents held); theirs is the document.
        document.pdf.delete(save=False)
        winner = _valid_document(kind, object_type, object_id)
        if winner is None:
            raise
        return winner
    return document


def revoke_document(
    document: IssuedDocument, reason: str, *, request: HttpRequest | None = None
) -> IssuedDocument:
    """Revoke a document: it still verifies, as revoked since now."""
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        _revoke(locked, reason, request=request)
    return locked


def render_document(
    document: IssuedDocument, template: str, context: dict[str, Any]
) -> RenderedPdf:
    """The PDF of `document` (saved or not) from `template`, always in Greek."""
    link = verify_url(document.code)
    with translation.override("el"):
        html = render_to_string(
            template,
            {
                **context,
                "document": document,
                "verify_url": link,
                "qr_code": qr_data_uri(link),
                "municipality": settings.DIMOS_MUNICIPALITY,
            },
        )
    return html_to_pdf(html)


class _IssuedMeanwhileError(Exception):
    def __init__(self, document: IssuedDocument) -> None:
        self.document = document


def _about(obj: models.Model) -> tuple[str, str]:
    if obj.pk is None:
        raise ValueError("a document is about a saved object")
    return obj._meta.label_lower, str(obj.pk)


def _valid_document(
    kind: str, object_type: str, object_id: str, *, lock: bool = False
) -> IssuedDocument | None:
    documents = IssuedDocument.objects.filter(
        kind=kind, object_type=object_type, object_id=object_id, revoked_at__isnull=True
    )
    if lock:
        documents = documents.select_for_update()
    return documents.first()


def _unused_code() -> str:
    # A repeat is one in 2^57; the unique constraint is the real guard, this avoids the error.
    code = new_code()
    while IssuedDocument.objects.filter(code=code).exists():
        code = new_code()
    return code


def _revoke(document: IssuedDocument, reason: str, *, request: HttpRequest | None) -> None:
    if document.is_revoked:
        raise ValidationError(_("This document has already been revoked."), code="revoked")
    if not reason.strip():
        raise ValidationError(_("Give the reason for revoking the document."), code="reason")
    document.revoked_at = timezone.now()
    document.revocation_reason = reason.strip()
    document.save(update_fields=["revoked_at", "revocation_reason"])
    audit.record(
        "document.revoked",
        document,
        request=request,
        subject=document.holder,
        reason=document.revocation_reason,
    )


# --- Reading ------------------------------------------------------------------------------


def valid_document_about(kind: str, about: models.Model) -> IssuedDocument | None:
    """The valid document of `kind` issued about `about`, for owner-checked download pages."""
    return _valid_document(kind, *_about(about))


@dataclass(frozen=True)
class PublicFacts:
    """What /verify/ shows anyone who has the code: nothing about the holder."""

    title: str
    code: str
    issued_at: datetime
    sha256: str
    page_count: int
    revoked_at: datetime | None


def public_facts(code: str) -> PublicFacts | None:
    document = (
        IssuedDocument.objects.filter(code=code)
        .only("title", "code", "issued_at", "sha256", "page_count", "revoked_at")
        .first()
    )
    if document is None:
        return None
    return PublicFacts(
        title=document.title,
        code=document.display_code,
        issued_at=document.issued_at,
        sha256=document.sha256,
        page_count=document.page_count,
        revoked_at=document.revoked_at,
    )


def document_response(document: IssuedDocument) -> FileResponse:
    """The PDF as a download. The caller has checked that the user may have it."""
    response = FileResponse(
        document.pdf.open("rb"),
        as_attachment=True,
        filename=download_name(document),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)  # personal data: no shared or browser cache keeps it
    return response


def download_name(document: IssuedDocument) -> str:
    """«Αποδεικτικό κατάθεσης αιτήματος 2026-000123.pdf»: the title, safe as a file name."""
    name = re.sub(r"[^\w\s.-]+", "-", document.title)
    name = re.sub(r"\s+", " ", name).strip(" .-")[:100]
    return f"{name or document.kind + '-' + document.code}.pdf"
