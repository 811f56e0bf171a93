"""The hostile upload set: every upload form in the portal must refuse each of these.

The files beside this module are written by scripts/make_hostile_uploads.py; README.md says what
each one is. Two samples are made here instead: the EICAR test string (so that virus scanners on
developers' machines leave the checkout alone) and the over-limit file (10 MB need not be in git).
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

HERE = Path(__file__).resolve().parent
# The antivirus test file (eicar.org), in two halves so that no file in the repository is one.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_FILE = "(EICAR, made in the test)"


@dataclass(frozen=True)
class Sample:
    file: str  # in this folder
    upload_name: str  # the name the sender gives it
    code: str  # the ValidationError code a PDF/JPG/PNG upload gets

    def content(self) -> bytes:
        return EICAR if self.file == EICAR_FILE else (HERE / self.file).read_bytes()

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.upload_name, self.content(), "application/octet-stream")

    @property
    def pdf_only_code(self) -> str:
        """The code where only PDFs are accepted: whatever is not a PDF is of the wrong type."""
        return "type" if self.code in {"image", "image_too_large", "archive"} else self.code

    def __str__(self) -> str:
        return f"{self.file} as {self.upload_name}"


DOCUMENT_SAMPLES = [
    Sample("windows-program.bin", "invoice.pdf", "type"),
    Sample("windows-program.bin", "photo.jpg", "type"),
    Sample("linux-program.bin", "photo.png", "type"),
    Sample("archive.zip", "document.pdf", "type"),
    Sample("zip-bomb.zip", "document.pdf", "type"),
    Sample("polyglot-pdf-html.pdf", "document.pdf", "markup"),
    Sample("pdf-javascript.pdf", "document.pdf", "pdf_active"),
    Sample("pdf-javascript-hidden-names.pdf", "document.pdf", "pdf_active"),
    Sample("pdf-launch.pdf", "document.pdf", "pdf_active"),
    Sample("pdf-embedded-file.pdf", "document.pdf", "pdf_active"),
    Sample("pdf-junk-before-header.pdf", "document.pdf", "type"),
    Sample("pdf-encrypted.pdf", "document.pdf", "pdf_encrypted"),
    Sample("html-page.html", "report.pdf", "markup"),
    Sample("svg-with-script.svg", "image.png", "markup"),
    Sample("jpeg-then-html.jpg", "photo.jpg", "markup"),
    Sample("jpeg-then-zip.jpg", "photo.jpg", "archive"),
    Sample("gif-then-html.gif", "photo.png", "markup"),
    Sample("truncated.jpg", "photo.jpg", "image"),
    Sample("pixel-bomb.png", "photo.png", "image_too_large"),
    Sample("empty.bin", "document.pdf", "empty"),
    Sample(EICAR_FILE, "document.pdf", "virus"),
    Sample(EICAR_FILE, "photo.jpg", "virus"),
]

TEXT_SAMPLES = [
    Sample("windows-program.bin", "tickets.csv", "not_text"),
    Sample("linux-program.bin", "statement.xml", "not_text"),
    Sample("archive.zip", "data.csv", "not_text"),
    Sample("zip-bomb.zip", "data.csv", "not_text"),
    Sample("random-binary.bin", "data.csv", "not_text"),
    Sample("good.pdf", "data.csv", "not_text"),
    Sample("good.jpg", "data.csv", "not_text"),
    Sample("html-page.html", "data.csv", "markup"),
    Sample("svg-with-script.svg", "statement.xml", "markup"),
    Sample("empty.bin", "data.csv", "empty"),
    Sample(EICAR_FILE, "data.csv", "virus"),
]

# What a person reads for each refusal (a part of the Greek sentence).
GREEK = {
    "type": "πρέπει να είναι PDF, JPG ή PNG",
    "markup": "κώδικα ιστοσελίδας",
    "pdf_active": "αυτόματες ενέργειες",
    "pdf_encrypted": "προστατεύεται με κωδικό",
    "pdf_unreadable": "δεν μπορεί να διαβαστεί ως PDF",
    "archive": "συμπιεσμένο αρχείο (zip)",
    "image": "εικόνα δεν μπορεί να διαβαστεί",
    "image_too_large": "πάρα πολλά εικονοστοιχεία",
    "empty": "κενό",
    "virus": "περιέχει ιό",
    "scanner_unavailable": "Δοκιμάστε ξανά αργότερα",
    "not_text": "δεν είναι αρχείο κειμένου",
}


def stored_files(media_root: Path) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]
