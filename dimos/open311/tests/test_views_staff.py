"""The staff pages of API keys: who may open them, issuing (the key shown once), revoking."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.open311.models import ApiKey
from dimos.open311.tests.conftest import API, KEY, LAMP

pytestmark = pytest.mark.django_db

KEYS = "/open311/staff/keys/"


@pytest.fixture
def key_clerk(clerk: User) -> User:
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="open311", codename="change_apikey")
    )
    return clerk


def test_anonymous_goes_to_the_login_page(client: Client) -> None:
    response = client.get(KEYS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_people_who_are_not_staff_get_403(client: Client, resident: User) -> None:
    client.force_login(resident)
    assert client.get(KEYS).status_code == 403
    assert client.get(f"{KEYS}new/").status_code == 403


def test_staff_without_the_permission_get_403_and_change_nothing(
    client_for: Callable[[User], Client], clerk: User, api_key: ApiKey
) -> None:
    staff = client_for(clerk)
    response = staff.get(KEYS)
    assert response.status_code == 403
    assert "Δεν έχετε πρόσβαση σε αυτή τη σελίδα" in response.content.decode()
    assert staff.post(f"{KEYS}new/", {"name": "x", "owner_email": clerk.email}).status_code == 403
    assert staff.post(f"{KEYS}{api_key.pk}/revoke/").status_code == 403
    assert ApiKey.objects.count() == 1
    api_key.refresh_from_db()
    assert api_key.is_active


def test_the_list_shows_the_keys_but_never_a_whole_key(
    client_for: Callable[[User], Client], key_clerk: User, api_key: ApiKey
) -> None:
    page = client_for(key_clerk).get(KEYS).content.decode()
    assert "Εφαρμογή δοκιμών" in page
    assert api_key.prefix in page
    assert api_key.owner.email in page
    assert KEY not in page


def test_issuing_shows_the_key_once_and_stores_only_its_hash(
    client_for: Callable[[User], Client], key_clerk: User, citizen: User
) -> None:
    staff = client_for(key_clerk)
    assert staff.get(f"{KEYS}new/").status_code == 200
    response = staff.post(
        f"{KEYS}new/", {"name": "Εφαρμογή Τύπου", "owner_email": "CITIZEN@example.gr"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'<code id="api-key">([^<]+)</code>', response.content.decode())
    assert match is not None
    raw_key = match.group(1)
    key = ApiKey.objects.get()
    assert (key.name, key.owner, key.created_by) == ("Εφαρμογή Τύπου", citizen, key_clerk)
    assert key.key_hash == ApiKey.hash_of(raw_key) and raw_key not in key.key_hash
    assert key.prefix == raw_key[:8] and len(raw_key) >= 40
    assert raw_key not in staff.get(KEYS).content.decode()
    assert AuditEvent.objects.filter(action="open311.key_issued", actor=key_clerk).exists()
    # The new key files requests at once.
    filed = Client().post(f"{API}/requests.json", {**LAMP, "api_key": raw_key})
    assert filed.status_code == 200


def test_a_key_for_an_unknown_account_is_refused(
    client_for: Callable[[User], Client], key_clerk: User
) -> None:
    response = client_for(key_clerk).post(
        f"{KEYS}new/", {"name": "Εφαρμογή", "owner_email": "nobody@example.gr"}
    )
    assert response.status_code == 200
    assert "Δεν υπάρχει ενεργός λογαριασμός με αυτό το e-mail." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_asks_first_then_the_key_stops_working(
    client_for: Callable[[User], Client], key_clerk: User, api_key: ApiKey
) -> None:
    staff = client_for(key_clerk)
    confirm = staff.get(f"{KEYS}{api_key.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Η ανάκληση δεν μπορεί να αναιρεθεί." in confirm.content.decode()
    api_key.refresh_from_db()
    assert api_key.is_active
    response = staff.post(f"{KEYS}{api_key.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == KEYS
    api_key.refresh_from_db()
    assert api_key.revoked_by == key_clerk and api_key.revoked_at is not None
    assert AuditEvent.objects.filter(action="open311.key_revoked", actor=key_clerk).count() == 1
    filed = Client().post(f"{API}/requests.json", {**LAMP, "api_key": KEY})
    assert filed.status_code == 403
    # Twice changes nothing.
    staff.post(f"{KEYS}{api_key.pk}/revoke/")
    assert AuditEvent.objects.filter(action="open311.key_revoked").count() == 1


def test_revoking_an_unknown_key_is_404(
    client_for: Callable[[User], Client], key_clerk: User
) -> None:
    assert client_for(key_clerk).post(f"{KEYS}999/revoke/").status_code == 404


def test_the_staff_home_lists_the_queue_with_the_keys_in_use(
    client_for: Callable[[User], Client], key_clerk: User, api_key: ApiKey
) -> None:
    page = client_for(key_clerk).get("/staff/").content.decode()
    assert "Κλειδιά API Open311" in page
    assert KEYS in page


def test_the_staff_home_hides_the_queue_without_the_permission(
    client_for: Callable[[User], Client], clerk: User
) -> None:
    assert KEYS not in client_for(clerk).get("/staff/").content.decode()


def test_the_pages_are_in_english_under_en(
    client_for: Callable[[User], Client], key_clerk: User
) -> None:
    assert client_for(key_clerk).get(f"/en{KEYS}").status_code == 200
