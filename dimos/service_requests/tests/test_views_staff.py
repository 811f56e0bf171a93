import pytest
from django.core import mail
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.service_requests import actions
from dimos.service_requests.models import Category, ResponseTemplate, ServiceRequest
from dimos.testing import make_staff

pytestmark = pytest.mark.django_db


def file(
    citizen: User, code: str = "street-lighting", subject: str = "Σβηστή λάμπα"
) -> ServiceRequest:
    return actions.do_submit_request(
        citizen,
        actions.Submission(
            kind="complaint",
            category=Category.objects.get(code=code),
            subject=subject,
            description="Περιγραφή.",
            notify_channel="email",
            notify_address=citizen.email,
            address="Μακεδονίας 12",
        ),
    )


@pytest.fixture
def technical_clerk(db: None) -> User:
    return make_staff("tech@example.gr", "technical")


def test_queue_shows_the_departments_requests_by_deadline(
    client_for: object, technical_clerk: User, resident: User
) -> None:
    lamp = file(resident)
    file(resident, code="certificates", subject="Πιστοποιητικό")  # another department
    page = client_for(technical_clerk).get("/requests/staff/").content.decode()  # type: ignore[operator]
    assert lamp.protocol in page
    assert "Πιστοποιητικό" not in page


def test_another_departments_request_is_404(
    client_for: object, clerk: User, resident: User
) -> None:
    lamp = file(resident)  # technical department; `clerk` is in the registry department
    staff = client_for(clerk)  # type: ignore[operator]
    assert staff.get(f"/requests/staff/{lamp.public_id}/").status_code == 404
    assert (
        staff.post(
            f"/requests/staff/{lamp.public_id}/", {"action": "status", "status": "resolved"}
        ).status_code
        == 404
    )
    lamp.refresh_from_db()
    assert lamp.status == "submitted"


def test_clerk_assigns_moves_on_and_resolves_with_a_note(
    client_for: object,
    technical_clerk: User,
    resident: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    lamp = file(resident)
    staff = client_for(technical_clerk)  # type: ignore[operator]
    url = f"/requests/staff/{lamp.public_id}/"
    page = staff.get(url).content.decode()
    assert resident.email in page
    assert AuditEvent.objects.filter(action="request.viewed", actor=technical_clerk).exists()
    staff.post(url, {"action": "assign", "assignee": technical_clerk.pk})
    staff.post(
        url, {"action": "status", "status": "in_progress", "public_note": "Το συνεργείο έρχεται."}
    )
    staff.post(url, {"action": "note", "text": "Χρειάζεται καλάθι."})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = staff.post(
            url,
            {"action": "status", "status": "resolved", "public_note": "Η λάμπα αντικαταστάθηκε."},
        )
    assert response.status_code == 302
    lamp.refresh_from_db()
    assert lamp.assignee == technical_clerk and lamp.status == "resolved"
    assert [e.status for e in lamp.timeline.all()] == [
        "submitted",
        "assigned",
        "in_progress",
        "resolved",
    ]
    assert lamp.internal_notes.get().text == "Χρειάζεται καλάθι."
    assert "Η λάμπα αντικαταστάθηκε." in mail.outbox[0].body


def test_rejection_without_reason_is_refused_and_changes_nothing(
    client_for: object, technical_clerk: User, resident: User
) -> None:
    lamp = file(resident)
    staff = client_for(technical_clerk)  # type: ignore[operator]
    response = staff.post(
        f"/requests/staff/{lamp.public_id}/",
        {"action": "status", "status": "rejected", "public_note": ""},
    )
    assert response.status_code == 200
    assert "Υπάρχει πρόβλημα" in response.content.decode()
    lamp.refresh_from_db()
    assert lamp.status == "submitted"


def test_a_status_not_allowed_from_here_is_refused(
    client_for: object, technical_clerk: User, resident: User
) -> None:
    lamp = file(resident)
    response = client_for(technical_clerk).post(  # type: ignore[operator]
        f"/requests/staff/{lamp.public_id}/", {"action": "status", "status": "closed"}
    )
    assert response.status_code == 200
    lamp.refresh_from_db()
    assert lamp.status == "submitted"


def test_response_template_fills_an_empty_note(
    client_for: object, technical_clerk: User, resident: User
) -> None:
    lamp = file(resident)
    template = ResponseTemplate.objects.create(
        status="resolved", title="Λάμπα", text="Αντικαταστάθηκε η λάμπα. Ευχαριστούμε."
    )
    client_for(technical_clerk).post(  # type: ignore[operator]
        f"/requests/staff/{lamp.public_id}/",
        {"action": "status", "status": "resolved", "template": template.pk},
    )
    assert lamp.timeline.last().public_note == template.text  # type: ignore[union-attr]


def test_duplicate_by_protocol_number(
    client_for: object, technical_clerk: User, resident: User, other_resident: User
) -> None:
    original = file(resident)
    copy = file(other_resident)
    staff = client_for(technical_clerk)  # type: ignore[operator]
    response = staff.post(
        f"/requests/staff/{copy.public_id}/",
        {"action": "status", "status": "duplicate", "duplicate_of": "2099/1"},
    )
    assert response.status_code == 200
    staff.post(
        f"/requests/staff/{copy.public_id}/",
        {"action": "status", "status": "duplicate", "duplicate_of": original.protocol},
    )
    copy.refresh_from_db()
    assert copy.duplicate_of == original


def test_bulk_status_change(client_for: object, technical_clerk: User, resident: User) -> None:
    first, second = file(resident), file(resident)
    staff = client_for(technical_clerk)  # type: ignore[operator]
    staff.post(
        "/requests/staff/bulk/",
        {"requests": [first.pk, second.pk], "status": "received", "public_note": ""},
    )
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {"received"}


def test_bulk_cannot_touch_another_departments_requests(
    client_for: object, clerk: User, resident: User
) -> None:
    lamp = file(resident)
    client_for(clerk).post(
        "/requests/staff/bulk/",
        {  # type: ignore[operator]
            "requests": [lamp.pk],
            "status": "resolved",
        },
    )
    lamp.refresh_from_db()
    assert lamp.status == "submitted"


def test_overdue_filter(client_for: object, technical_clerk: User, resident: User) -> None:
    import datetime

    late = file(resident, subject="Παλιό")
    ServiceRequest.objects.filter(pk=late.pk).update(deadline=datetime.date(2020, 1, 1))
    file(resident, subject="Νέο")
    page = client_for(technical_clerk).get("/requests/staff/?overdue=1").content.decode()  # type: ignore[operator]
    assert "Παλιό" in page and "Νέο" not in page


def test_queue_query_count_does_not_grow(
    client_for: object, technical_clerk: User, resident: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(technical_clerk)  # type: ignore[operator]
    file(resident)
    with CaptureQueriesContext(connection) as one:
        staff.get("/requests/staff/")
    for _ in range(10):
        file(resident)
    with CaptureQueriesContext(connection) as many:
        staff.get("/requests/staff/")
    assert len(many) == len(one)


def test_citizens_cannot_open_the_back_office(client: Client, resident: User) -> None:
    lamp = file(resident)
    client.force_login(resident)
    assert client.get("/requests/staff/").status_code == 403
    assert client.get(f"/requests/staff/{lamp.public_id}/").status_code == 403


def test_clerk_files_for_a_caller_without_an_account(
    client_for: object, technical_clerk: User
) -> None:
    staff = client_for(technical_clerk)  # type: ignore[operator]
    response = staff.post(
        "/requests/staff/new/",
        {
            "intake": "phone",
            "contact_name": "Γεώργιος Ιωάννου",
            "contact_phone": "6911111111",
            "kind": "complaint",
            "category": Category.objects.get(code="roads").pk,
            "subject": "Λακκούβα",
            "description": "Μεγάλη λακκούβα στη Δημοκρατίας.",
            "address": "Δημοκρατίας 20",
            "notify_channel": "phone",
            "notify_address": "6911111111",
        },
    )
    filed = ServiceRequest.objects.get()
    assert response["Location"] == f"/requests/staff/{filed.public_id}/"
    assert filed.intake == "phone" and filed.filed_by == technical_clerk
    assert filed.contact_name == "Γεώργιος Ιωάννου" and filed.notify_channel == "phone"
    assert not mail.outbox  # no e-mail to give: the clerk tells the number on the phone


def test_clerk_files_into_the_persons_account_when_it_exists(
    client_for: object, technical_clerk: User, resident: User
) -> None:
    client_for(technical_clerk).post(
        "/requests/staff/new/",
        {  # type: ignore[operator]
            "intake": "counter",
            "contact_name": resident.get_full_name(),
            "contact_email": resident.email.upper(),
            "kind": "request",
            "category": Category.objects.get(code="other").pk,
            "subject": "Ερώτηση",
            "description": "Πότε περνά το απορριμματοφόρο;",
            "notify_channel": "email",
            "notify_address": resident.email,
        },
    )
    assert ServiceRequest.objects.get().citizen == resident


@pytest.mark.parametrize(
    ("field", "value"), [("contact_name", ""), ("intake", "carrier-pigeon"), ("notify_address", "")]
)
def test_filing_for_someone_refuses_bad_input(
    client_for: object, technical_clerk: User, field: str, value: str
) -> None:
    data = {
        "intake": "phone",
        "contact_name": "Α Β",
        "kind": "complaint",
        "category": Category.objects.get(code="other").pk,
        "subject": "Θ",
        "description": "Π",
        "notify_channel": "email",
        "notify_address": "a@example.gr",
        field: value,
    }
    response = client_for(technical_clerk).post("/requests/staff/new/", data)  # type: ignore[operator]
    assert response.status_code == 200 and "Υπάρχει πρόβλημα" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_transfer_to_the_competent_department_tells_the_citizen(
    client_for: object,
    technical_clerk: User,
    resident: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    lamp = file(resident)
    cleaning = Category.objects.get(code="cleaning").department
    staff = client_for(technical_clerk)  # type: ignore[operator]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        staff.post(
            f"/requests/staff/{lamp.public_id}/", {"action": "transfer", "department": cleaning.pk}
        )
    lamp.refresh_from_db()
    assert lamp.department == cleaning
    assert cleaning.name in lamp.timeline.last().public_note  # type: ignore[union-attr]
    assert len(mail.outbox) == 1 and cleaning.name in mail.outbox[0].body
    assert staff.get(f"/requests/staff/{lamp.public_id}/").status_code == 404  # not ours now


def test_reporters_of_duplicates_are_told_when_the_original_is_resolved(
    technical_clerk: User,
    resident: User,
    other_resident: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    original = file(resident)
    copy = file(other_resident)
    actions.do_change_status(copy, technical_clerk, "duplicate", duplicate_of=original)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.do_change_status(
            original, technical_clerk, "resolved", public_note="Η λάμπα αλλάχτηκε."
        )
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {resident.email, other_resident.email}
    assert original.protocol in told[other_resident.email].body
    assert "Η λάμπα αλλάχτηκε." in told[other_resident.email].body
