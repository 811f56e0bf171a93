"""Uploaded documents: the content decides the type, never the name or the browser's claim.

Every upload is checked in one place, in this order: size, the virus scanner (when one is
configured), web-page code anywhere near the start, the type the content begins with, and then
the content itself: a PDF must open, unencrypted and without active content; an image must decode.
"""

import io
import logging
import re
import threading
import uuid
import zipfile
from pathlib import PurePath
from typing import Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dimos.core import antivirus
from dimos.core.security_log import security_event

_TRUNCATION_FLAG = threading.Lock()  # guards Pillow's process-wide LOAD_TRUNCATED_IMAGES

PROOF_TYPES = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
}
PDF_ONLY = {"application/pdf": {".pdf"}}
_SNIFF_BYTES = 4096
# What browsers treat as a web page or script, wherever the file says it is something else.
_MARKUP = re.compile(rb"<(?:html|script|svg|iframe|!doctype\s+html)", re.IGNORECASE)
# Active content of a PDF (ISO 32000-1 §12.6 actions, §7.11 embedded files, §12.7.8 XFA forms).
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"}
_PDF_ACTIVE_KEYS |= {"/RichMedia", "/RichMediaContent", "/XFA"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/Rendition"}
_PDF_ACTIVE_BYTES = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z])"
)
MAX_IMAGE_PIXELS = 89_478_485  # Pillow's own limit: a photo of 16,000 × 5,600 pixels
_PDF_MAX_OBJECTS = 500_000  # far above a 300-page decision; a bigger object graph is an attack


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    return head


def sniff(upload: UploadedFile) -> str | None:
    """The MIME type whose magic bytes the content begins with, or None."""
    try:
        matches = puremagic.magic_string(_head(upload))
    except (puremagic.PureError, ValueError):
        return None
    # A signature found further in (a PDF header after junk, a zip after an image) is no type.
    return next((str(m.mime_type) for m in matches if m.offset == 0 and m.mime_type), None)


def validate_document(upload: UploadedFile, allowed: dict[str, set[str]], max_bytes: int) -> str:
    """Check size, viruses, content type, extension and the content; return the content type."""
    check_size(upload, max_bytes)
    check_for_viruses(upload)
    check_no_markup(upload)
    content_type = sniff(upload)
    extension = PurePath(upload.name or "").suffix.lower()
    if content_type not in allowed or extension not in allowed[content_type]:
        raise ValidationError(_("The selected file must be a PDF, JPG or PNG."), code="type")
    check_no_archive(upload)
    if content_type == "application/pdf":
        check_pdf(upload)
    if content_type.startswith("image/"):
        _check_image_decodes(upload)
    return content_type


def check_size(upload: UploadedFile, max_bytes: int) -> None:
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s."),
            code="too_big",
            params={"size": filesizeformat(max_bytes)},
        )


def check_no_markup(upload: UploadedFile) -> None:
    """A file that a browser could take for a web page is refused, whatever else it also is."""
    if _MARKUP.search(_head(upload)):
        raise ValidationError(
            _("The selected file contains web page code (HTML or script) and cannot be accepted."),
            code="markup",
        )


def check_no_archive(upload: UploadedFile) -> None:
    """A picture or PDF that a zip reader also opens (a "GIFAR") is refused, unpacked never."""
    upload.seek(0)
    hidden_archive = zipfile.is_zipfile(upload)
    upload.seek(0)
    if hidden_archive:
        raise ValidationError(
            _("The selected file also contains an archive (zip) and cannot be accepted."),
            code="archive",
        )


def check_for_viruses(upload: UploadedFile) -> None:
    """Scan with ClamAV when DIMOS_CLAMAV_URL is set; no answer means no upload (fail closed)."""
    url = getattr(settings, "DIMOS_CLAMAV_URL", "")
    if not url:
        return
    try:
        verdict = antivirus.scan(upload, url)
    except antivirus.ScannerUnavailableError as exc:
        security_event("upload_scanner_unavailable", level=logging.ERROR, error=str(exc))
        raise ValidationError(
            _("We cannot check files for viruses right now. Please try again later."),
            code="scanner_unavailable",
        ) from None
    if not verdict.clean:
        security_event(
            "upload_refused_virus",
            level=logging.WARNING,
            signature=verdict.signature,
            size=upload.size,
        )
        raise ValidationError(
            _("The selected file contains a virus and was not accepted."), code="virus"
        )


def check_pdf(upload: UploadedFile) -> None:
    """The PDF opens with pypdf, is not encrypted, and carries no scripts, files or launches."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        active = not encrypted and _has_active_content(reader.trailer)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise ValidationError(
            _("The selected file cannot be read as a PDF. Save it again as PDF and retry."),
            code="pdf_unreadable",
        ) from None
    if encrypted:
        raise ValidationError(
            _("The selected PDF is protected by a password. Save it without protection and retry."),
            code="pdf_encrypted",
        )
    if active or _PDF_ACTIVE_BYTES.search(data):
        raise ValidationError(
            _(
                "The selected PDF contains scripts, embedded files or automatic actions, "
                "which we do not accept. Print it to a new PDF and retry."
            ),
            code="pdf_active",
        )


def _has_active_content(trailer: Any) -> bool:
    """Walk every object reachable from the trailer: catalog, pages, annotations, actions."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [trailer]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        visited += 1
        if visited > _PDF_MAX_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(item, DictionaryObject):
            if _PDF_ACTIVE_KEYS & set(item.keys()) or item.get("/S") in _PDF_ACTIVE_ACTIONS:
                return True
            pending.extend(item.raw_get(key) for key in item.keys())  # noqa: SIM118
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _check_image_decodes(upload: UploadedFile) -> None:
    """A file that only starts like an image is not one: every pixel must decode."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image, _TRUNCATION_FLAG:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            # WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when
            # imported; a truncated upload must still fail here.
            tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            try:
                image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The selected image has too many pixels. Make it smaller and retry."),
            code="image_too_large",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The selected image cannot be read."), code="image") from None
    finally:
        upload.seek(0)


# What never begins a CSV or XML file: programs, archives, office workbooks, PDFs and images.
_BINARY_STARTS = (
    b"MZ",  # Windows program
    b"\x7fELF",  # Linux program
    b"PK\x03\x04",  # zip, and the xlsx/docx built on it
    b"PK\x05\x06",  # empty zip
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"\xd0\xcf\x11\xe0",  # old Office (xls, doc)
    b"%PDF",
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG",
    b"GIF8",
)


def validate_text_upload(upload: UploadedFile, max_bytes: int) -> bytes:
    """An import file (CSV, XML) must be text: its bytes, or a ValidationError in Greek."""
    check_size(upload, max_bytes)
    check_for_viruses(upload)
    check_no_markup(upload)
    upload.seek(0)
    data: bytes = upload.read()
    upload.seek(0)
    if data.startswith(_BINARY_STARTS) or b"\x00" in data:
        raise ValidationError(
            _(
                "The selected file is not a text file (like CSV). Choose the file itself, "
                "not a workbook, an archive or a program."
            ),
            code="not_text",
        )
    return data


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
