"""Issued documents: real PDFs with a verification code, and the public /verify/ page."""

import hashlib
import io
import sys
import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from dimos.accounts.models import User
from dimos.core import documents, pdf
from dimos.core.documents import (
    CODE_ALPHABET,
    group_code,
    issue_document,
    new_code,
    normalize_code,
    parse_code,
    revoke_document,
    verify_url,
)
from dimos.core.models import AuditEvent, IssuedDocument

pytestmark = pytest.mark.django_db

TITLE = "Αποδεικτικό κατάθεσης αιτήματος 2026/000123"


def issue(about: Any, holder: User | None, **kwargs: Any) -> IssuedDocument:
    return issue_document(
        kwargs.pop("kind", "request-receipt"),
        kwargs.pop("title", TITLE),
        "core/pdf/simple.html",
        {
            "intro": "Το αίτημά σας καταχωρίστηκε στο πρωτόκολλο του Δήμου.",
            "rows": [("Αριθμός πρωτοκόλλου", "2026/000123"), ("Θέμα", "Λακκούβα στην οδό")],
        },
        holder=holder,
        about=about,
        **kwargs,
    )


def stored_bytes(document: IssuedDocument) -> bytes:
    with default_storage.open(document.pdf.name, "rb") as f:
        return f.read()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def make_document(holder: User | None, about: Any, **fields: Any) -> IssuedDocument:
    """A row without rendering, for the page tests that do not need a real PDF."""
    document = IssuedDocument(
        kind=fields.pop("kind", "request-receipt"),
        code=fields.pop("code", new_code()),
        title=fields.pop("title", TITLE),
        holder=holder,
        object_type=about._meta.label_lower,
        object_id=str(about.pk),
        sha256="ab" * 32,
        page_count=1,
        **fields,
    )
    document.pdf.save("document.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    document.save()
    return document


# --- Issuing ------------------------------------------------------------------------------


def test_issuing_renders_a_real_pdf_with_the_greek_title_and_the_code(resident: User) -> None:
    document = issue(resident, resident)

    data = stored_bytes(document)
    assert data.startswith(b"%PDF-")
    assert document.page_count == len(PdfReader(io.BytesIO(data)).pages) >= 1
    text = pdf_text(data)
    assert TITLE in text
    assert "Αριθμός πρωτοκόλλου" in text
    assert document.display_code in text  # Latin letters too: the two Roboto subsets stay apart
    assert settings.DIMOS_MUNICIPALITY["name"] in text
    assert document.pdf.name.startswith(f"documents/{timezone.now():%Y}/")
    assert document.pdf.name.endswith(".pdf")


def test_pdf_uses_the_vendored_roboto_fonts(resident: User) -> None:
    document = issue(resident, resident)
    fonts = pdf_font_names(stored_bytes(document))
    assert {"Dimos-Latin", "Dimos-Greek"} <= fonts


def test_sha256_is_that_of_the_stored_file(resident: User) -> None:
    document = issue(resident, resident)
    assert document.sha256 == hashlib.sha256(stored_bytes(document)).hexdigest()


def test_pdf_footer_points_to_the_public_verify_address(resident: User, settings: Any) -> None:
    settings.DIMOS_PUBLIC_URL = "https://eservices.example.gr/"
    document = issue(resident, resident)
    url = f"https://eservices.example.gr/verify/{document.display_code}/"
    assert verify_url(document.code) == url
    assert url in "".join(pdf_text(stored_bytes(document)).split())


def test_verify_address_is_the_greek_one_whatever_the_active_language(settings: Any) -> None:
    from django.utils import translation

    settings.DIMOS_PUBLIC_URL = "https://eservices.example.gr"
    with translation.override("en"):
        assert verify_url("K7TX3M9P2WHD") == "https://eservices.example.gr/verify/K7TX-3M9P-2WHD/"


def test_issuing_is_audited(resident: User) -> None:
    document = issue(resident, resident)
    event = AuditEvent.objects.get(action="document.issued")
    assert event.object_id == str(document.pk)
    assert event.subject == resident
    assert event.details["sha256"] == document.sha256
    assert event.details["about"] == f"accounts.user:{resident.pk}"


def test_the_same_kind_for_the_same_object_is_issued_once(resident: User) -> None:
    first = issue(resident, resident)
    again = issue(resident, resident, title="Άλλος τίτλος")
    assert again.pk == first.pk
    assert again.title == TITLE
    assert IssuedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.issued").count() == 1


def test_another_kind_for_the_same_object_is_another_document(resident: User) -> None:
    receipt = issue(resident, resident)
    certificate = issue(resident, resident, kind="registry-certificate", title="Πιστοποιητικό")
    assert certificate.pk != receipt.pk
    assert certificate.code != receipt.code


def test_reissuing_revokes_the_old_document_with_the_reason(resident: User) -> None:
    old = issue(resident, resident)
    new = issue(resident, resident, reissue_reason="Διόρθωση του θέματος")

    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.code != old.code
    assert old.is_revoked
    assert old.revocation_reason == "Διόρθωση του θέματος"
    assert not new.is_revoked
    assert documents.valid_document_about("request-receipt", resident) == new
    assert AuditEvent.objects.filter(action="document.revoked", object_id=str(old.pk)).exists()
    assert AuditEvent.objects.get(action="document.issued", object_id=str(new.pk)).details[
        "replaces"
    ] == (old.code)


def test_an_issuer_that_loses_the_race_returns_the_winners_document(
    resident: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another worker commits the same document while this one renders."""
    real_render = documents.render_document
    winner: list[IssuedDocument] = []

    def render_while_another_commits(*args: Any) -> pdf.RenderedPdf:
        rendered = real_render(*args)
        winner.append(make_document(resident, resident))
        return rendered

    monkeypatch.setattr(documents, "render_document", render_while_another_commits)
    document = issue(resident, resident)

    assert document == winner[0]
    assert IssuedDocument.objects.count() == 1
    assert sorted(default_storage.listdir(f"documents/{timezone.now():%Y}")[1]) == [
        document.pdf.name.rsplit("/", 1)[1]  # the loser's PDF was deleted
    ]


def test_a_concurrent_insert_caught_by_the_constraint_returns_the_winner(
    resident: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the other issuer's new row is invisible to the lock; the index sees it."""
    real_render = documents.render_document
    real_valid_document = documents._valid_document
    winner: list[IssuedDocument] = []

    def render_while_another_commits(*args: Any) -> pdf.RenderedPdf:
        rendered = real_render(*args)
        winner.append(make_document(resident, resident))
        return rendered

    def invisible_to_the_lock(*args: Any, lock: bool = False) -> IssuedDocument | None:
        return None if lock else real_valid_document(*args)

    monkeypatch.setattr(documents, "render_document", render_while_another_commits)
    monkeypatch.setattr(documents, "_valid_document", invisible_to_the_lock)
    document = issue(resident, resident)

    assert document == winner[0]
    assert IssuedDocument.objects.count() == 1


def test_a_rolled_back_caller_leaves_no_document(resident: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(resident, resident)
        raise RuntimeError("the caller's action failed")
    # The PDF file may stay behind with a random name: nothing points to it, nothing serves it.
    assert not IssuedDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="document.issued").exists()


def test_a_document_is_about_a_saved_object(resident: User) -> None:
    with pytest.raises(ValueError, match="saved object"):
        issue(User(email="x@example.gr"), resident)


def test_revoking_needs_a_reason_and_happens_once(resident: User) -> None:
    document = make_document(resident, resident)
    with pytest.raises(ValidationError):
        revoke_document(document, "  ")
    revoked = revoke_document(document, "Εκδόθηκε κατά λάθος")
    assert revoked.revoked_at is not None
    with pytest.raises(ValidationError):
        revoke_document(revoked, "Ξανά")


def test_pdf_templates_cannot_load_other_files_or_the_network() -> None:
    for url in ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "../../settings.py"]:
        with pytest.raises(pdf.PdfTemplateError):
            pdf.html_to_pdf(f'<html lang="el"><body><img src="{url}" alt="x"></body></html>')


def test_missing_weasyprint_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    with pytest.raises(pdf.PdfUnavailableError, match="libpango"):
        pdf.html_to_pdf("<p>x</p>")


def test_download_is_an_attachment_with_the_title_as_name(resident: User) -> None:
    document = issue(resident, resident)
    response = documents.document_response(document)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert documents.download_name(document) == ("Αποδεικτικό κατάθεσης αιτήματος 2026-000123.pdf")
    assert b"".join(response.streaming_content) == stored_bytes(document)  # type: ignore[arg-type]


# --- Codes --------------------------------------------------------------------------------


def test_new_codes_are_twelve_unambiguous_characters() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 12 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01ILOQRU") & set(CODE_ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "K7TX-3M9P-2WHD",
        "k7tx3m9p2whd",
        "  k7tx 3m9p  2whd ",
        "K7TX–3M9P—2WHD",  # en and em dashes, as word processors type them
        "κ7τχ3μ9π2ςηδ",  # the same keys with the Greek keyboard layout on
        "Κ7ΤΧ-3Μ9Ρ-2WΗD",  # Greek capitals that look like the Latin ones
    ],
)
def test_typed_codes_are_normalised(typed: str) -> None:
    assert normalize_code(typed) == "K7TX3M9P2WHD"
    assert parse_code(typed) == "K7TX3M9P2WHD"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "required"),
        (" - ", "required"),
        ("K7TX-3M9P-2WH0", "characters"),  # zero is never used: it looks like O
        ("K7TX-3M9P-2WH!", "characters"),
        ("K7TX-3M9P", "length"),
        ("K7TX-3M9P-2WHD-K7TX", "length"),
    ],
)
def test_bad_codes_say_what_is_wrong(typed: str, error: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_code(typed)
    assert exc.value.code == error


def test_codes_are_shown_in_groups_of_four() -> None:
    assert group_code("K7TX3M9P2WHD") == "K7TX-3M9P-2WHD"


# --- The public page ----------------------------------------------------------------------


def page_of(response: Any) -> str:
    return str(response.content.decode())


def test_genuine_document_verifies_without_personal_data(client: Client, resident: User) -> None:
    resident.amka = "27038500123"
    resident.save()
    document = issue(resident, resident)

    response = client.get(f"/verify/{document.display_code}/")

    assert response.status_code == 200
    page = page_of(response)
    assert gettext("This document is genuine and valid") in page
    assert TITLE in page
    assert document.display_code in page
    assert document.sha256 in page
    assert gettext("Valid") in page
    for personal in [resident.email, "27038500123", resident.first_name, resident.last_name]:
        assert personal not in page
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.head(f"/verify/{document.display_code}/").status_code == 200


def test_revoked_document_verifies_as_revoked(client: Client, resident: User) -> None:
    document = make_document(resident, resident)
    revoke_document(document, "Αντικαταστάθηκε")

    response = client.get(f"/verify/{document.display_code}/")

    assert response.status_code == 200
    page = page_of(response)
    assert gettext("This document has been revoked") in page
    assert TITLE in page
    assert "Αντικαταστάθηκε" not in page  # the reason is for staff, not for the public
    assert gettext("This document is genuine and valid") not in page


def test_unknown_code_is_404_with_the_form_again(client: Client) -> None:
    response = client.get("/verify/K7TX-3M9P-2WHD/")
    assert response.status_code == 404
    page = page_of(response)
    assert "K7TX-3M9P-2WHD" in page
    assert 'name="code"' in page
    assert '<form class="govgr-form" method="get" action="/verify/" novalidate>' in page


def test_code_is_found_whatever_its_case_and_grouping(client: Client, resident: User) -> None:
    document = make_document(resident, resident)
    response = client.get(f"/verify/{document.code.lower()}/")
    assert response.status_code == 200
    assert document.display_code in page_of(response)


def test_the_form_leads_to_the_address_of_the_code(client: Client) -> None:
    response = client.get("/verify/", {"code": " k7tx 3m9p 2whd "})
    assert response.status_code == 302
    assert response["Location"] == "/verify/K7TX-3M9P-2WHD/"


def test_the_form_page_opens_for_anyone(client: Client) -> None:
    response = client.get("/verify/")
    assert response.status_code == 200
    assert gettext("Check a document") in page_of(response)
    assert "govgr-error-summary" not in page_of(response)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the verification code."),
        ("K" * 41, "A verification code has 12 characters, like K7TX-3M9P-2WHD."),
        ("K7TX-3M9P", "A verification code has 12 characters, like K7TX-3M9P-2WHD."),
        (
            "<script>1</script>",
            "A verification code has only digits and capital Latin letters, "
            "exactly as printed on the document.",
        ),
    ],
)
def test_bad_input_on_the_form_shows_the_error(client: Client, typed: str, message: str) -> None:
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 200
    page = page_of(response)
    assert "govgr-error-summary" in page
    assert gettext(message) in page
    assert "<script>1</script>" not in page


def test_bad_code_in_the_address_is_404_with_the_error(client: Client) -> None:
    response = client.get("/verify/NOT-A-CODE/")
    assert response.status_code == 404
    assert "govgr-error-summary" in page_of(response)


def test_verify_page_in_english(client: Client, resident: User) -> None:
    document = make_document(resident, resident)
    response = client.get(f"/en/verify/{document.display_code}/")
    assert response.status_code == 200
    page = page_of(response)
    assert '<html lang="en">' in page
    assert "This document is genuine and valid" in page


def test_lookups_are_limited_per_client(client: Client, resident: User) -> None:
    document = make_document(resident, resident)
    for _ in range(29):
        assert client.get("/verify/K7TX-3M9P-2WHD/").status_code == 404
    assert client.get(f"/verify/{document.display_code}/").status_code == 200

    response = client.get(f"/verify/{document.display_code}/")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    page = page_of(response)
    assert (
        gettext("You have checked too many codes in a short time. Please try again in 10 minutes.")
        in page
    )
    assert TITLE not in page

    other = client.get(f"/verify/{document.display_code}/", HTTP_X_REAL_IP="192.0.2.7")
    assert other.status_code == 200


def test_one_ipv6_network_is_one_client(client: Client) -> None:
    for i in range(30):
        ip = f"2001:db8:1:2::{i + 1:x}"
        assert client.get("/verify/K7TX-3M9P-2WHD/", HTTP_X_REAL_IP=ip).status_code == 404
    response = client.get("/verify/K7TX-3M9P-2WHD/", HTTP_X_REAL_IP="2001:db8:1:2:ffff::1")
    assert response.status_code == 429


def test_malformed_codes_are_not_lookups(client: Client) -> None:
    for _ in range(40):
        assert client.get("/verify/NOT-A-CODE/").status_code == 404
    assert client.get("/verify/K7TX-3M9P-2WHD/").status_code == 404  # not 429


# --- Concurrency (PostgreSQL) -------------------------------------------------------------


def _run_together(count: int, work: Any) -> tuple[list[Any], list[BaseException]]:
    from django.db import connection

    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def runner() -> None:
        try:
            barrier.wait()
            result = work()
            with lock:
                results.append(result)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.fixture
def quick_render(monkeypatch: pytest.MonkeyPatch) -> None:
    """The race is in the database; WeasyPrint is not promised to be thread-safe."""
    monkeypatch.setattr(
        documents, "render_document", lambda *a: pdf.RenderedPdf(b"%PDF-1.7 race", 1)
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_of_one_document_all_get_the_same_one(
    resident: User, quick_render: None
) -> None:
    results, errors = _run_together(8, lambda: issue(resident, resident).pk)
    assert errors == []
    assert len(set(results)) == 1
    assert IssuedDocument.objects.count() == 1
    document = IssuedDocument.objects.get()
    assert default_storage.listdir(f"documents/{timezone.now():%Y}")[1] == [
        document.pdf.name.rsplit("/", 1)[1]  # the losers' PDFs were deleted
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reissuers_leave_exactly_one_valid_document(
    resident: User, quick_render: None
) -> None:
    issue(resident, resident)
    _, errors = _run_together(6, lambda: issue(resident, resident, reissue_reason="Διόρθωση"))
    assert errors == []
    assert IssuedDocument.objects.filter(revoked_at__isnull=True).count() == 1
    assert IssuedDocument.objects.filter(revoked_at__isnull=False).count() >= 1
