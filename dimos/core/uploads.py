"""Uploaded documents: the content decides the type, never the name or the browser's claim."""

import io
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
    if content_type.startswith("image/"):
        _check_image_decodes(upload)
    return content_type


def _check_image_decodes(upload: UploadedFile) -> None:
    """A file that only starts like an image is not one."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The selected image cannot be read."), code="image") from None
    finally:
        upload.seek(0)


def random_name(instance: Any, filename: str) -> str:
    """Stored names are random: an uploaded name never reaches the file system."""
    extension = PurePath(filename).suffix.lower()[:6]
    return f"uploads/{instance._meta.label_lower}/{uuid.uuid4().hex}{extension}"


IMAGE_TYPES = {"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}}
_GPS_IFD = 0x8825  # the EXIF tag that holds the GPS location


def without_location(upload: UploadedFile, content_type: str) -> bytes:
    """The image's bytes without its EXIF GPS location (the rest of EXIF is kept).

    Decoding the image also proves it is one: a file that only starts like a JPEG is refused.
    """
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            exif = image.getexif()
            exif.pop(_GPS_IFD, None)
            out = io.BytesIO()
            fmt = "JPEG" if content_type == "image/jpeg" else "PNG"
            params: dict[str, Any] = {"exif": exif.tobytes()} if exif else {}
            if fmt == "JPEG":
                params["quality"] = 90
            image.save(out, format=fmt, **params)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The selected image cannot be read."), code="image") from None
    finally:
        upload.seek(0)
    return out.getvalue()


def issued_document_name(instance: Any, filename: str) -> str:
    """Issued PDFs get random names too: a name must never tell whose document it is."""
    return f"documents/{instance.issued_at:%Y}/{uuid.uuid4().hex}.pdf"
