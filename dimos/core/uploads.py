"""Uploaded documents: the content decides the type, never the name or the browser's claim."""

import uuid
from pathlib import PurePath
from typing import Any

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PROOF_TYPES = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
_SNIFF_BYTES = 4096


def sniff(upload: UploadedFile) -> str | None:
    """The MIME type the content shows, or None when it shows nothing we know."""
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    try:
        return str(puremagic.from_string(head, mime=True))
    except puremagic.PureError:
        return None


def validate_document(upload: UploadedFile, allowed: dict[str, set[str]], max_bytes: int) -> str:
    """Check size, content type and extension; return the sniffed content type."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s."),
            code="too_big",
            params={"size": filesizeformat(max_bytes)},
        )
    content_type = sniff(upload)
    extension = PurePath(upload.name or "").suffix.lower()
    if content_type not in allowed or extension not in allowed[content_type]:
        raise ValidationError(_("The selected file must be a PDF, JPG or PNG."), code="type")
    return content_type


def random_name(instance: Any, filename: str) -> str:
    """Stored names are random: an uploaded name never reaches the file system."""
    extension = PurePath(filename).suffix.lower()[:6]
    return f"uploads/{instance._meta.label_lower}/{uuid.uuid4().hex}{extension}"
