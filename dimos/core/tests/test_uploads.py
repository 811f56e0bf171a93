"""The one validator of uploaded documents and import files, against the hostile set."""

import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dimos.core import uploads
from dimos.core.tests.hostile_uploads import (
    DOCUMENT_SAMPLES,
    EICAR_FILE,
    GREEK,
    HERE,
    TEXT_SAMPLES,
    Sample,
)
from dimos.testing import PDF_BYTES

LIMIT = 10 * 1024 * 1024


def _refusal(check: Any, *args: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(*args)
    return caught.value


@pytest.mark.parametrize("sample", [s for s in DOCUMENT_SAMPLES if s.file != EICAR_FILE], ids=str)
def test_every_hostile_document_is_refused_with_its_greek_reason(sample: Sample) -> None:
    error = _refusal(uploads.validate_document, sample.upload(), uploads.PROOF_TYPES, LIMIT)
    assert error.code == sample.code
    with translation.override("el"):
        assert GREEK[sample.code] in " ".join(error.messages)


@pytest.mark.parametrize("sample", [s for s in TEXT_SAMPLES if s.file != EICAR_FILE], ids=str)
def test_every_hostile_import_file_is_refused(sample: Sample) -> None:
    error = _refusal(uploads.validate_text_upload, sample.upload(), LIMIT)
    assert error.code == sample.code


@pytest.mark.parametrize(
    ("name", "content_type"), [("good.pdf", "application/pdf"), ("good.jpg", "image/jpeg")]
)
def test_harmless_documents_are_accepted(name: str, content_type: str) -> None:
    upload = SimpleUploadedFile(name, (HERE / name).read_bytes())
    assert uploads.validate_document(upload, uploads.PROOF_TYPES, LIMIT) == content_type


def test_a_greek_csv_is_text() -> None:
    data = "αριθμός;πινακίδα\n1;ΚΖΗ1234\n".encode("cp1253")
    assert uploads.validate_text_upload(SimpleUploadedFile("a.csv", data), LIMIT) == data


def test_upload_extension_magic_mismatch_rejected() -> None:
    upload = SimpleUploadedFile("proof.jpg", (HERE / "good.pdf").read_bytes())
    assert _refusal(uploads.validate_document, upload, uploads.PROOF_TYPES, LIMIT).code == "type"


def test_upload_over_limit_rejected() -> None:
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"\n" * (LIMIT + 1 - len(PDF_BYTES)))
    error = _refusal(uploads.validate_document, upload, uploads.PROOF_TYPES, LIMIT)
    assert error.code == "too_big"
    with translation.override("el"):
        assert "πρέπει να είναι μικρότερο από 10,0\xa0MB" in error.messages[0]


def test_zip_bomb_rejected_before_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_unpacking(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    monkeypatch.setattr(zipfile.ZipFile, "read", no_unpacking)
    bomb = (HERE / "zip-bomb.zip").read_bytes()
    for name in ("bomb.pdf", "bomb.jpg"):
        upload = SimpleUploadedFile(name, bomb)
        assert (
            _refusal(uploads.validate_document, upload, uploads.PROOF_TYPES, LIMIT).code == "type"
        )
    refusal = _refusal(uploads.validate_text_upload, SimpleUploadedFile("bomb.csv", bomb), LIMIT)
    assert refusal.code == "not_text"


def test_active_pdf_content_is_found_by_the_parser_not_only_by_bytes() -> None:
    data = (HERE / "pdf-javascript-hidden-names.pdf").read_bytes()
    assert b"/JavaScript" not in data and b"/JS" not in data
    upload = SimpleUploadedFile("a.pdf", data)
    assert _refusal(uploads.check_pdf, upload).code == "pdf_active"


def test_stored_names_are_generated_whatever_the_sender_calls_the_file() -> None:
    class Proof:
        class _meta:  # noqa: N801 — the shape of a model's _meta
            label_lower = "accounts.representation"

    for sent in ("../../etc/passwd.pdf", "a\x00b.pdf", "ά" * 300 + ".pdf", "..\\..\\boot.ini.pdf"):
        stored = uploads.random_name(Proof(), sent)
        assert stored.startswith("uploads/accounts.representation/")
        name = stored.rsplit("/", 1)[1]
        assert len(name) == 36 and name.endswith(".pdf") and int(name[:32], 16) >= 0


def test_truncated_image_is_refused_even_after_weasyprint_relaxed_pillow() -> None:
    import weasyprint  # noqa: F401 — sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True on import
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    upload = SimpleUploadedFile("photo.jpg", (HERE / "truncated.jpg").read_bytes())
    assert _refusal(uploads.validate_document, upload, uploads.PROOF_TYPES, LIMIT).code == "image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's own setting is given back
