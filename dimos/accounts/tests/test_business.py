import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.accounts.models import Business, Representation, User
from dimos.core.models import AuditEvent
from dimos.testing import PDF_BYTES

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def business_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "afm": "094014201",
        "legal_name": "Φούρνος Η Κοζάνη Ο.Ε.",
        "address": "Δημοκρατίας 5, 50100 Κοζάνη",
        "activity_category": "1",
        "proof": SimpleUploadedFile("proof.pdf", PDF_BYTES, "application/pdf"),
        "declaration": "on",
    }
    from dimos.accounts.models import ActivityCategory

    data["activity_category"] = str(ActivityCategory.objects.get(code="retail").pk)
    data.update(overrides)
    return data


def test_citizen_registers_a_business_and_waits_for_the_clerk(
    client: Client, citizen: User
) -> None:
    client.force_login(citizen)
    response = client.post("/accounts/me/businesses/new/", business_form())
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/businesses/sent/"
    representation = Representation.objects.get(person=citizen)
    assert representation.status == Representation.Status.PENDING
    assert representation.business.afm == "094014201"
    assert representation.proof_content_type == "application/pdf"
    assert "proof" not in representation.proof.name  # stored under a random name
    assert AuditEvent.objects.filter(action="representation.requested").count() == 1
    assert "representative" not in citizen.roles()


def test_form_page_renders_with_labels(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    page = client.get("/accounts/me/businesses/new/").content.decode()
    assert 'for="id_afm"' in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"afm": "123456789"}, "ΑΦΜ"),
        ({"afm": ""}, "ΑΦΜ"),
        ({"legal_name": ""}, "επωνυμία"),
        ({"declaration": ""}, "νόμιμος εκπρόσωπος"),
        ({"activity_category": "99999"}, "δραστηριότητα"),
        ({"proof": SimpleUploadedFile("proof.pdf", b"MZ\x90\x00" + b"\x00" * 60)}, "PDF"),
        ({"proof": SimpleUploadedFile("proof.exe", PDF_BYTES)}, "PDF"),
        ({"proof": SimpleUploadedFile("proof.pdf", PNG_BYTES)}, "PDF"),
        ({"proof": SimpleUploadedFile("proof.pdf", b"")}, "κενό"),
    ],
)
def test_bad_business_input_is_refused_in_greek_and_nothing_saved(
    client: Client, citizen: User, overrides: dict[str, object], message: str
) -> None:
    client.force_login(citizen)
    data = business_form(**overrides)
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post("/accounts/me/businesses/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Υπάρχει πρόβλημα" in page
    assert message in page
    assert not Business.objects.exists()
    assert not Representation.objects.exists()


def test_oversized_proof_is_refused(client: Client, citizen: User, settings: object) -> None:
    settings.DIMOS_PROOF_MAX_BYTES = 1024  # type: ignore[attr-defined]
    client.force_login(citizen)
    big = SimpleUploadedFile("proof.pdf", PDF_BYTES + b"0" * 2048)
    response = client.post("/accounts/me/businesses/new/", business_form(proof=big))
    assert response.status_code == 200
    assert "μικρότερο" in response.content.decode()
    assert not Representation.objects.exists()


def test_asking_twice_for_the_same_business_is_refused(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    client.post("/accounts/me/businesses/new/", business_form())
    response = client.post("/accounts/me/businesses/new/", business_form())
    assert response.status_code == 200
    assert Representation.objects.count() == 1


def test_a_business_may_have_several_representatives(
    client: Client, citizen: User, representative: User, business: Business
) -> None:
    client.force_login(citizen)
    response = client.post("/accounts/me/businesses/new/", business_form(afm=business.afm))
    assert response.status_code == 302
    assert business.representations.count() == 2
    business.refresh_from_db()
    assert business.legal_name == "Καφέ Το Πλατάνι Ο.Ε."  # a claimant cannot rename it


def test_anonymous_cannot_register_a_business(client: Client, db: None) -> None:
    response = client.get("/accounts/me/businesses/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def pending_for(citizen: User, client: Client) -> Representation:
    client.force_login(citizen)
    client.post("/accounts/me/businesses/new/", business_form())
    client.logout()
    return Representation.objects.get(person=citizen)


def test_clerk_approves_and_the_person_becomes_representative(
    client: Client,
    citizen: User,
    clerk: User,
    client_for: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    representation = pending_for(citizen, client)
    staff = client_for(clerk)  # type: ignore[operator]
    queue = staff.get("/accounts/staff/representations/").content.decode()
    assert "Φούρνος Η Κοζάνη Ο.Ε." in queue
    detail = staff.get(f"/accounts/staff/representations/{representation.pk}/")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(action="representation.viewed", actor=clerk).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = staff.post(
            f"/accounts/staff/representations/{representation.pk}/", {"decision": "approve"}
        )
    assert response.status_code == 302
    representation.refresh_from_db()
    assert representation.status == Representation.Status.APPROVED
    assert representation.decided_by == clerk
    citizen = User.objects.get(pk=citizen.pk)
    assert "representative" in citizen.roles()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "Φούρνος Η Κοζάνη Ο.Ε." in mail.outbox[0].body


def test_clerk_must_give_a_reason_to_reject(
    client: Client,
    citizen: User,
    clerk: User,
    client_for: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    representation = pending_for(citizen, client)
    staff = client_for(clerk)  # type: ignore[operator]
    url = f"/accounts/staff/representations/{representation.pk}/"
    response = staff.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "Εισάγετε τον λόγο" in response.content.decode()
    representation.refresh_from_db()
    assert representation.status == Representation.Status.PENDING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        staff.post(url, {"decision": "reject", "reason": "Το έγγραφο δεν αφορά την επιχείρηση."})
    representation.refresh_from_db()
    assert representation.status == Representation.Status.REJECTED
    assert "Το έγγραφο δεν αφορά την επιχείρηση." in mail.outbox[0].body


def test_decided_request_leaves_the_queue_and_cannot_be_decided_again(
    client: Client, citizen: User, clerk: User, client_for: object
) -> None:
    representation = pending_for(citizen, client)
    staff = client_for(clerk)  # type: ignore[operator]
    url = f"/accounts/staff/representations/{representation.pk}/"
    staff.post(url, {"decision": "approve"})
    assert staff.post(url, {"decision": "reject", "reason": "x"}).status_code == 404
    representation.refresh_from_db()
    assert representation.status == Representation.Status.APPROVED


def test_clerk_downloads_proof_as_attachment_and_it_is_audited(
    client: Client, citizen: User, clerk: User, client_for: object
) -> None:
    representation = pending_for(citizen, client)
    staff = client_for(clerk)  # type: ignore[operator]
    response = staff.get(f"/accounts/staff/representations/{representation.pk}/proof/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(
        action="representation.proof_downloaded", actor=clerk, subject=citizen
    ).exists()


def test_citizen_cannot_open_the_staff_queue_or_proofs(
    client: Client, citizen: User, representative: User
) -> None:
    representation = Representation.objects.get(person=representative)
    client.force_login(citizen)
    assert client.get("/accounts/staff/representations/").status_code == 403
    response = client.get(f"/accounts/staff/representations/{representation.pk}/proof/")
    assert response.status_code == 403
