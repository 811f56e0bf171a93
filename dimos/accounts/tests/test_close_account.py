from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.test import Client

from dimos.accounts.models import Business, Representation, User
from dimos.core.models import AuditEvent
from dimos.core.tests.gdpr_samples import give_everything
from dimos.notifications.models import CallbackTask, Notification
from dimos.open311.models import ApiKey
from dimos.payments.models import Payment, PaymentOrder, Receipt
from dimos.polls.models import Participation
from dimos.registry.models import Person, ResidencyClaim
from dimos.service_requests.models import Attachment, ServiceRequest
from dimos.testing import PASSWORD, make_pending_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def recently_authenticated(client: Client, citizen: User) -> Client:
    client.force_login(citizen)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def confirm(client: Client, person: User, **overrides: str) -> object:
    return client.post(
        "/accounts/me/close/", {"email": person.email, "understood": "on", **overrides}
    )


def test_closing_asks_for_the_password_again(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.get("/accounts/me/close/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/accounts/me/close/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_page_says_in_greek_what_is_erased_and_what_is_kept(
    recently_authenticated: Client,
) -> None:
    page = recently_authenticated.get("/accounts/me/close/").content.decode()
    assert "Κλείσιμο του λογαριασμού σας" in page
    assert "Τι διαγράφεται" in page and "Τι διατηρείται και γιατί" in page
    assert "λογιστικά στοιχεία που ο Δήμος οφείλει να τηρεί" in page
    assert "ν.2690/1999" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "someone@example.gr"}, "Αυτή δεν είναι η διεύθυνση e-mail του λογαριασμού σας."),
        ({"email": ""}, "Πληκτρολογήστε τη διεύθυνση e-mail του λογαριασμού σας."),
        ({"understood": ""}, "Επιβεβαιώστε ότι καταλαβαίνετε ότι αυτό δεν αναιρείται."),
    ],
)
def test_wrong_or_missing_confirmation_changes_nothing(
    recently_authenticated: Client, citizen: User, data: dict[str, str], message: str
) -> None:
    response = confirm(recently_authenticated, citizen, **data)
    assert response.status_code == 200  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "Υπάρχει πρόβλημα" in page and message in page
    citizen.refresh_from_db()
    assert citizen.email == "citizen@example.gr" and citizen.is_active
    assert not AuditEvent.objects.filter(action="account.closed").exists()


def test_closed_account_has_no_personal_data_left(
    recently_authenticated: Client, citizen: User
) -> None:
    citizen.afm, citizen.amka, citizen.phone = "094014201", "27038500123", "2461012345"
    citizen.mobile, citizen.fax, citizen.address = "6912345678", "2461099999", "Οδός 1"
    citizen.father_name, citizen.mother_name = "Παύλος", "Ρένα"
    citizen.save()
    response = confirm(recently_authenticated, citizen)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Ο λογαριασμός σας έκλεισε" in response.content.decode()  # type: ignore[attr-defined]
    citizen.refresh_from_db()
    assert citizen.email == f"removed-{citizen.pk}@invalid.example"
    assert citizen.first_name == "" and citizen.last_name == ""
    assert citizen.father_name == "" and citizen.mother_name == ""
    assert citizen.birth_date is None
    assert citizen.afm == "" and citizen.amka == ""
    assert citizen.phone == "" and citizen.mobile == "" and citizen.fax == ""
    assert citizen.address == ""
    assert citizen.notification_channel == "email" and citizen.resident_since is None
    assert not citizen.is_active and not citizen.has_usable_password()


def test_closing_logs_out_and_ends_every_session(
    recently_authenticated: Client, citizen: User
) -> None:
    elsewhere = Client()
    elsewhere.force_login(citizen)
    assert Session.objects.count() == 2
    confirm(recently_authenticated, citizen)
    assert Session.objects.count() == 0
    assert elsewhere.get("/accounts/me/")["Location"].startswith("/accounts/login/")
    assert recently_authenticated.get("/accounts/me/")["Location"].startswith("/accounts/login/")
    assert not User.objects.filter(email="citizen@example.gr").exists()


def test_closing_sends_a_greek_confirmation_to_the_old_address(
    recently_authenticated: Client, citizen: User
) -> None:
    confirm(recently_authenticated, citizen)
    notice = Notification.objects.get(dedup_key=f"account:{citizen.pk}:closed")
    assert notice.address == "citizen@example.gr" and notice.channel == "email"
    assert notice.subject == "Ο λογαριασμός σας έκλεισε"
    assert "όπως ζητήσατε" in notice.body


def test_closing_is_audited_without_personal_data(
    recently_authenticated: Client, citizen: User
) -> None:
    confirm(recently_authenticated, citizen)
    event = AuditEvent.objects.get(action="account.closed")
    assert event.actor == citizen and event.subject == citizen
    assert "Αθανασίου" not in event.object_repr


def test_closure_erases_deletes_and_keeps_what_the_law_says(
    recently_authenticated: Client,
    citizen: User,
    business: Business,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    things = give_everything(citizen, business)
    proof_name = things["representation"].proof.name  # type: ignore[attr-defined]
    draft_name = things["draft"].file.name  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(recently_authenticated, citizen)
    # Deleted
    assert not EmailAddress.objects.filter(user=citizen).exists()
    assert not Authenticator.objects.filter(user=citizen).exists()
    assert not Representation.objects.filter(person=citizen).exists()
    assert not default_storage.exists(proof_name) and not default_storage.exists(draft_name)
    assert not Attachment.objects.filter(pk=things["draft"].pk).exists()  # type: ignore[attr-defined]
    # Kept, without contact details
    request = ServiceRequest.objects.get(pk=things["request"].pk)  # type: ignore[attr-defined]
    assert request.citizen_id == citizen.pk and request.status == "submitted"
    assert request.notify_address == "" and request.contact_phone == ""
    assert Attachment.objects.filter(pk=things["attachment"].pk).exists()  # type: ignore[attr-defined]
    # Kept as the law requires, pointing at the anonymised account
    assert PaymentOrder.objects.get(payer_person=citizen).status == "paid"
    assert Payment.objects.filter(order__payer_person=citizen).count() == 1
    assert Receipt.objects.filter(payment__order__payer_person=citizen).count() == 1
    assert Participation.objects.filter(person=citizen).count() == 1
    assert ResidencyClaim.objects.filter(account=citizen, status="approved").count() == 1
    # The registry record stays, unlinked
    registry = Person.objects.get(pk=things["registry_person"].pk)  # type: ignore[attr-defined]
    assert registry.account_id is None and registry.amka
    # Messages: no address or text; nothing more is sent or called
    message = Notification.objects.get(pk=things["notification"].pk)  # type: ignore[attr-defined]
    assert message.address == "" and message.body == ""
    assert not Notification.objects.filter(
        recipient=citizen, status__in=["pending", "calling"]
    ).exclude(dedup_key=f"account:{citizen.pk}:closed")
    assert CallbackTask.objects.get(notification__recipient=citizen).phone == ""
    assert ApiKey.objects.get(owner=citizen).revoked_at is not None


def test_pending_residency_claim_is_withdrawn(
    recently_authenticated: Client, citizen: User
) -> None:
    make_pending_claim(citizen)
    confirm(recently_authenticated, citizen)
    assert not ResidencyClaim.objects.filter(account=citizen).exists()


def test_staff_cannot_close_their_account_here(
    client_for: Callable[[User], Client], clerk: User
) -> None:
    client = client_for(clerk)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/me/close/")
    assert "Οι λογαριασμοί υπαλλήλων κλείνουν από διαχειριστή." in page.content.decode()
    confirm(client, clerk)
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.email == "clerk@example.gr"
