import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from dimos.accounts.models import SignupDoor, User

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Ελένη",
    "last_name": "Ιωάννου",
    "email": "eleni@example.gr",
    "password1": "Kozani-Lake-Polyfytos-7",
    "password2": "Kozani-Lake-Polyfytos-7",
    "accept_privacy": "on",
}


def confirmation_link() -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_register_page_offers_the_three_doors(client: Client) -> None:
    page = client.get("/accounts/register/").content.decode()
    for url in [
        "/accounts/register/resident/",
        "/accounts/register/citizen/",
        "/accounts/register/business/",
    ]:
        assert f'href="{url}"' in page


@pytest.mark.parametrize("door", ["citizen", "resident", "business"])
def test_signup_creates_one_person_account_and_sends_verification(
    client: Client, door: str
) -> None:
    response = client.post(f"/accounts/register/{door}/", {**GOOD, "door": door})
    assert response.status_code == 302
    user = User.objects.get(email="eleni@example.gr")
    assert user.signup_door == door
    assert user.get_full_name() == "Ελένη Ιωάννου"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_citizen_cannot_log_in_before_verifying_email(client: Client) -> None:
    client.post("/accounts/register/citizen/", {**GOOD, "door": "citizen"})
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": GOOD["email"], "password": GOOD["password1"]}
    )
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_citizen_door_end_to_end_verification_then_dashboard(client: Client) -> None:
    client.post("/accounts/register/citizen/", {**GOOD, "door": "citizen"})
    link = confirmation_link()
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    assert EmailAddress.objects.get(email=GOOD["email"]).verified
    page = client.get("/accounts/me/").content.decode()
    assert "Ελένη Ιωάννου" in page


def test_resident_door_continues_to_the_registry_step(client: Client) -> None:
    client.post("/accounts/register/resident/", {**GOOD, "door": "resident"})
    response = client.post(confirmation_link())
    assert response["Location"] == "/registry/resident/"


def test_business_door_continues_to_registering_the_business(client: Client) -> None:
    client.post("/accounts/register/business/", {**GOOD, "door": "business"})
    response = client.post(confirmation_link())
    assert response["Location"] == "/accounts/me/businesses/new/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Εισάγετε το όνομά σας."),
        ("last_name", "", "Εισάγετε το επώνυμό σας."),
        ("email", "", "Εισάγετε τη διεύθυνση e-mail σας."),
        ("email", "not-an-email", "name@example.gr"),
        ("accept_privacy", "", "πολιτική απορρήτου"),
    ],
)
def test_signup_bad_input_shows_greek_error_and_saves_nothing(
    client: Client, field: str, value: str, message: str
) -> None:
    data = {**GOOD, field: value}
    if not value:
        data.pop(field)
    response = client.post("/accounts/register/citizen/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Πρόβλημα:" in page
    assert "Υπάρχει πρόβλημα" in page
    assert message in page
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("password", ["12345678901", "password123", "short"])
def test_weak_passwords_are_refused(client: Client, password: str) -> None:
    response = client.post(
        "/accounts/register/citizen/", {**GOOD, "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert "Υπάρχει πρόβλημα" in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client: Client) -> None:
    response = client.post("/accounts/register/citizen/", {**GOOD, "password2": "Other-Pass-991"})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_second_account_with_same_email_is_not_created(client: Client, citizen: User) -> None:
    client.post("/accounts/register/citizen/", {**GOOD, "email": citizen.email.upper()})
    assert User.objects.filter(email__iexact=citizen.email).count() == 1


def test_forged_door_value_is_refused(client: Client) -> None:
    response = client.post("/accounts/register/citizen/", {**GOOD, "door": "staff"})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_door_cannot_make_anyone_staff(client: Client) -> None:
    client.post(
        "/accounts/register/citizen/",
        {**GOOD, "is_staff": "on", "is_superuser": "on", "resident_since": "2020-01-01"},
    )
    user = User.objects.get(email=GOOD["email"])
    assert not user.is_staff and not user.is_superuser and not user.is_resident
    assert user.signup_door == SignupDoor.CITIZEN


def test_verification_email_is_greek_and_signed_by_the_municipality(client: Client) -> None:
    client.post("/accounts/register/citizen/", {**GOOD, "door": "citizen"})
    message = mail.outbox[0]
    assert "επιβεβαιώσετε" in message.subject
    assert "Δήμος Κοζάνης – Ηλεκτρονικές υπηρεσίες" in message.body
