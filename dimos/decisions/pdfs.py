"""Reading decision PDFs with pypdf: is it a real PDF, how many pages, what text."""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
MAX_TEXT_CHARS = 2_000_000  # a 300-page decision is ~1 MB of text; more is not a decision


@dataclass(frozen=True)
class PdfFacts:
    sha256: str
    page_count: int


def check(data: bytes) -> PdfFacts:
    """The facts of a PDF that opens and has pages; ValidationError for anything else."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("The selected file is not a PDF."), code="not_pdf")
    try:
        page_count = len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        page_count = 0
    if page_count == 0:
        raise ValidationError(
            _("The selected file cannot be read as a PDF. Save it again as PDF and retry."),
            code="unreadable",
        )
    return PdfFacts(sha256=hashlib.sha256(data).hexdigest(), page_count=page_count)


def extract_text(data: bytes) -> str:
    """The text of every page, pages separated by form feeds; "" for a scanned PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # a broken page must not lose the others
            logger.warning("PDF page %s: text could not be extracted", number, exc_info=True)
            text = ""
        pages.append(text.replace("\x00", ""))
        size += len(text)
        if size > MAX_TEXT_CHARS:
            break
    return "\f".join(pages)[:MAX_TEXT_CHARS]
