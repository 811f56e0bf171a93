import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from dimos.accounts.models import User
from dimos.service_requests import actions
from dimos.service_requests.models import Attachment, Category, ServiceRequest
from dimos.testing import PDF_BYTES

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (40.0, 18.0, 0.0), 3: "E", 4: (21.0, 47.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "complaint",
        "category": str(Category.objects.get(code="street-lighting").pk),
        "subject": "Σβηστή λάμπα",
        "description": "Η λάμπα έξω από το 12 είναι σβηστή.",
        "address": "Μακεδονίας 12, Κοζάνη",
        "notify_channel": "email",
        "notify_address": "resident@example.gr",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def file_request(client: Client, **overrides: object) -> ServiceRequest:
    response = client.post("/requests/new/", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/requests/new/check/"
    response = client.post("/requests/new/check/")
    assert response.status_code == 302
    return ServiceRequest.objects.latest("pk")


def test_resident_files_a_complaint_through_the_check_page(
    client: Client, resident: User, django_capture_on_commit_callbacks: object
) -> None:
    client.force_login(resident)
    form = client.get("/requests/new/").content.decode()
    assert 'value="resident@example.gr"' in form  # prefilled from the profile
    client.post(
        "/requests/new/",
        form_data(attachments=[SimpleUploadedFile("lamp.jpg", jpeg_with_gps(), "image/jpeg")]),
    )
    check = client.get("/requests/new/check/").content.decode()
    assert "Σβηστή λάμπα" in check and "lamp.jpg" in check
    assert "Τεχνική Υπηρεσία" in check
    assert not ServiceRequest.objects.exists()  # nothing is filed before "Submit"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/requests/new/check/")
    service_request = ServiceRequest.objects.get()
    assert response["Location"] == f"/requests/{service_request.public_id}/submitted/"
    page = client.get(response["Location"]).content.decode()
    assert service_request.protocol in page and service_request.tracking_code in page
    assert service_request.attachments.count() == 1
    assert service_request.protocol in mail.outbox[0].subject


def test_photo_location_is_removed_unless_kept(client: Client, resident: User) -> None:
    client.force_login(resident)
    stripped = file_request(
        client, attachments=[SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")]
    )
    kept = file_request(
        client,
        keep_photo_location="on",
        attachments=[SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg")],
    )
    with Image.open(stripped.attachments.get().file) as image:
        assert 0x8825 not in image.getexif() and image.getexif()[0x010F] == "PhoneMaker"
    with Image.open(kept.attachments.get().file) as image:
        assert 0x8825 in image.getexif()


def test_check_page_cannot_be_opened_directly(client: Client, resident: User) -> None:
    client.force_login(resident)
    response = client.get("/requests/new/check/")
    assert response["Location"] == "/requests/new/"
    assert client.post("/requests/new/check/")["Location"] == "/requests/new/"
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": None}, "αίτημα ή παράπονο"),
        ({"category": None}, "Επιλέξτε"),
        ({"subject": ""}, "θέμα"),
        ({"description": "x" * 4001}, "4.000"),
        ({"address": ""}, "διεύθυνση"),
        ({"notify_channel": "sms", "notify_address": "12ab"}, "10 ψηφίων"),
        ({"notify_channel": "email", "notify_address": "not-mail"}, "name@example.gr"),
        ({"attachments": [SimpleUploadedFile("x.jpg", b"MZ\x90\x00" * 20)]}, "PDF, JPG"),
        ({"attachments": [SimpleUploadedFile("x.jpg", PDF_BYTES)]}, "PDF, JPG"),
        ({"attachments": [SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40)]}, "εικόνα"),
        ({"attachments": [SimpleUploadedFile(f"{i}.pdf", PDF_BYTES) for i in range(6)]}, "5"),
    ],
)
def test_bad_input_is_refused_in_greek_and_nothing_is_kept(
    client: Client, resident: User, overrides: dict[str, object], message: str
) -> None:
    client.force_login(resident)
    response = client.post("/requests/new/", form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Υπάρχει πρόβλημα" in page and message in page
    assert not Attachment.objects.exists()
    assert "service_request_draft" not in client.session


def test_citizens_who_are_not_residents_are_told_how_to_become_one(
    client: Client, citizen: User
) -> None:
    client.force_login(citizen)
    response = client.get("/requests/new/")
    assert response.status_code == 403
    assert "/registry/resident/" in response.content.decode()


def test_another_residents_request_receipt_and_files_are_404(
    client: Client, resident: User, other_resident: User
) -> None:
    client.force_login(resident)
    mine = file_request(client, attachments=[SimpleUploadedFile("p.pdf", PDF_BYTES)])
    file_id = mine.attachments.get().pk
    client.force_login(other_resident)
    for url in [
        f"/requests/{mine.public_id}/",
        f"/requests/{mine.public_id}/submitted/",
        f"/requests/{mine.public_id}/attachments/{file_id}/",
        f"/requests/{mine.public_id}/reply/",
        f"/requests/{mine.public_id}/reopen/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/requests/{mine.public_id}/confirm/").status_code == 404
    assert mine.public_id not in client.get("/requests/").content.decode()


def test_owner_downloads_their_attachment(client: Client, resident: User) -> None:
    client.force_login(resident)
    mine = file_request(client, attachments=[SimpleUploadedFile("p.pdf", PDF_BYTES)])
    response = client.get(f"/requests/{mine.public_id}/attachments/{mine.attachments.get().pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_my_requests_filters_and_shows_status(client: Client, resident: User, clerk: User) -> None:
    client.force_login(resident)
    first = file_request(client, subject="Πρώτο")
    file_request(client, subject="Δεύτερο")
    actions.do_change_status(first, clerk, "resolved", public_note="Έγινε.")
    assert "Πρώτο" not in client.get("/requests/?state=open").content.decode()
    done = client.get("/requests/?state=done").content.decode()
    assert "Πρώτο" in done and "Επιλύθηκε" in done


def test_my_requests_query_count_does_not_grow(
    client: Client, resident: User, django_assert_max_num_queries: object
) -> None:
    client.force_login(resident)
    file_request(client)
    import django.db

    with django.test.utils.CaptureQueriesContext(django.db.connection) as one:
        client.get("/requests/")
    for _ in range(5):
        file_request(client)
    with django.test.utils.CaptureQueriesContext(django.db.connection) as many:
        client.get("/requests/")
    assert len(many) == len(one)


def test_detail_shows_timeline_deadline_and_public_notes(
    client: Client, resident: User, clerk: User
) -> None:
    client.force_login(resident)
    mine = file_request(client)
    actions.do_change_status(mine, clerk, "waiting", public_note="Ποιος αριθμός κολόνας;")
    page = client.get(f"/requests/{mine.public_id}/").content.decode()
    assert "Ποιος αριθμός κολόνας;" in page
    assert mine.deadline.strftime("%d/%m/%Y") in page
    response = client.post(f"/requests/{mine.public_id}/reply/", {"text": ""})
    assert response.status_code == 200 and "Υπάρχει πρόβλημα" in response.content.decode()
    client.post(f"/requests/{mine.public_id}/reply/", {"text": "Η κολόνα 1043."})
    mine.refresh_from_db()
    assert mine.status == "in_progress"


def test_internal_notes_never_reach_the_citizen(
    client: Client, resident: User, clerk: User
) -> None:
    client.force_login(resident)
    mine = file_request(client)
    actions.do_add_internal_note(mine, clerk, "Ο πολίτης έχει κάνει 5 παράπονα φέτος.")
    assert "5 παράπονα" not in client.get(f"/requests/{mine.public_id}/").content.decode()


def test_resolved_request_is_reopened_or_confirmed(
    client: Client, resident: User, clerk: User
) -> None:
    client.force_login(resident)
    mine = file_request(client)
    actions.do_change_status(mine, clerk, "resolved", public_note="Αλλάχτηκε η λάμπα.")
    response = client.post(f"/requests/{mine.public_id}/reopen/", {"reason": ""})
    assert response.status_code == 200
    client.post(f"/requests/{mine.public_id}/reopen/", {"reason": "Πάλι σβηστή."})
    mine.refresh_from_db()
    assert mine.status == "in_progress" and mine.reopen_count == 1
    actions.do_change_status(mine, clerk, "resolved")
    client.post(f"/requests/{mine.public_id}/confirm/")
    mine.refresh_from_db()
    assert mine.status == "closed"


def test_public_tracking_shows_only_the_timeline(
    client: Client, resident: User, clerk: User
) -> None:
    client.force_login(resident)
    mine = file_request(client, description="Το τηλέφωνό μου είναι 6912345678.")
    actions.do_change_status(mine, clerk, "waiting", public_note="Κυρία Παπαδοπούλου, καλέστε μας.")
    client.logout()
    response = client.post(
        "/requests/track/", {"protocol": mine.protocol, "code": mine.tracking_code.lower()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Αναμένεται απάντησή σας" in page
    for secret in [
        "6912345678",
        "Παπαδοπούλου",
        "Σβηστή λάμπα",
        "resident@example.gr",
        "Μακεδονίας",
    ]:
        assert secret not in page, secret


def test_tracking_with_a_wrong_code_finds_nothing_and_is_rate_limited(
    client: Client, resident: User
) -> None:
    client.force_login(resident)
    mine = file_request(client)
    client.logout()
    response = client.post("/requests/track/", {"protocol": mine.protocol, "code": "WRONG12345"})
    assert response.status_code == 404
    for _ in range(25):
        response = client.post(
            "/requests/track/", {"protocol": mine.protocol, "code": "WRONG12345"}
        )
    assert response.status_code == 429
    response = client.post(
        "/requests/track/", {"protocol": mine.protocol, "code": mine.tracking_code}
    )
    assert response.status_code == 429  # even the right code waits: no oracle for guessers


def test_tracking_form_bad_input(client: Client, db: None) -> None:
    response = client.post("/requests/track/", {"protocol": "abc", "code": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026/000123" in page and "Υπάρχει πρόβλημα" in page


def test_filing_receipt_is_a_verifiable_pdf_only_for_its_owner(
    client: Client, resident: User, other_resident: User
) -> None:
    import pypdf

    client.force_login(resident)
    mine = file_request(client)
    response = client.get(f"/requests/{mine.public_id}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert mine.protocol in text and mine.tracking_code in text
    again = b"".join(client.get(f"/requests/{mine.public_id}/receipt.pdf").streaming_content)  # type: ignore[attr-defined]
    assert again == pdf  # issued once, the same document every time
    client.force_login(other_resident)
    assert client.get(f"/requests/{mine.public_id}/receipt.pdf").status_code == 404
