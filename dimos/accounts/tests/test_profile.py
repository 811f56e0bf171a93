import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.testing import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Νίκος",
    "last_name": "Αθανασίου",
    "father_name": "Παύλος",
    "mother_name": "Ρένα",
    "birth_date": "1980-05-01",
    "afm": "094014201",
    "amka": "27038500123",
    "phone": "2461012345",
    "mobile": "6912345678",
    "fax": "",
    "address": "Πλατεία Νίκης 1, 50100 Κοζάνη",
    "notification_channel": "sms",
}


@pytest.fixture
def recently_authenticated(client: Client, citizen: User) -> Client:
    client.force_login(citizen)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def test_changing_details_asks_for_the_password_again(client: Client, citizen: User) -> None:
    client.force_login(citizen)  # a session with no recent password entry
    response = client.get("/accounts/me/details/")
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


def test_person_saves_their_details_and_it_is_audited(
    recently_authenticated: Client, citizen: User
) -> None:
    response = recently_authenticated.post("/accounts/me/details/", GOOD)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.afm == "094014201" and citizen.amka == "27038500123"
    assert citizen.notification_channel == "sms"
    event = AuditEvent.objects.get(action="profile.updated")
    assert "afm" in event.details["fields"] and event.subject == citizen


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"afm": "123456789"}, "ΑΦΜ"),
        ({"amka": "12345678901"}, "ΑΜΚΑ"),
        ({"first_name": ""}, "Εισάγετε το όνομά σας."),
        ({"birth_date": "1980-13-45"}, "ημερομηνία γέννησης"),
        ({"notification_channel": "sms", "mobile": ""}, "Εισάγετε τον αριθμό"),
        ({"notification_channel": "fax", "fax": ""}, "Εισάγετε τον αριθμό"),
        ({"notification_channel": "pigeon"}, "Επιλέξτε πώς θέλετε"),
    ],
)
def test_bad_details_are_refused_and_nothing_changes(
    recently_authenticated: Client, citizen: User, overrides: dict[str, str], message: str
) -> None:
    response = recently_authenticated.post("/accounts/me/details/", {**GOOD, **overrides})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Υπάρχει πρόβλημα" in page and message in page
    citizen.refresh_from_db()
    assert citizen.afm == "" and citizen.mother_name == ""


def test_amka_of_another_account_is_refused(
    recently_authenticated: Client, citizen: User, resident: User
) -> None:
    resident.amka = "27038500123"
    resident.save()
    response = recently_authenticated.post("/accounts/me/details/", GOOD)
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.amka == ""


def test_posting_role_fields_changes_no_role(recently_authenticated: Client, citizen: User) -> None:
    recently_authenticated.post(
        "/accounts/me/details/",
        {**GOOD, "is_staff": "on", "is_superuser": "on", "resident_since": "2020-01-01T00:00"},
    )
    citizen.refresh_from_db()
    assert not citizen.is_staff and not citizen.is_superuser and not citizen.is_resident
