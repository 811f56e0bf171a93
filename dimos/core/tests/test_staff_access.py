import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dimos.accounts.models import User
from dimos.testing import PASSWORD, login_with_second_factor

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/staff/",
    "/accounts/staff/representations/",
    "/registry/staff/claims/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_is_sent_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_citizens_are_refused_with_an_explanation(
    client: Client, resident: User, representative: User, url: str
) -> None:
    for person in (resident, representative):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 403
        assert "υπαλλήλους του δήμου" in response.content.decode()


def test_staff_login_asks_for_the_authenticator_code(client: Client, clerk: User) -> None:
    response = client.post("/accounts/login/", {"login": clerk.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # not logged in before the second factor


def test_wrong_authenticator_code_keeps_staff_out(client: Client, clerk: User) -> None:
    client.post("/accounts/login/", {"login": clerk.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


def test_staff_with_second_factor_opens_staff_home(client: Client, clerk: User) -> None:
    login_with_second_factor(client, clerk)
    response = client.get("/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/accounts/staff/representations/" in page
    assert "/registry/staff/claims/" in page


@pytest.mark.parametrize("url", [*STAFF_PAGES, "/admin/"])
def test_staff_session_without_second_factor_is_refused(
    client: Client, clerk: User, url: str
) -> None:
    client.force_login(clerk)  # a session that never went through the authenticator code
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] in ("/staff/second-factor/", f"/admin/login/?next={url}")


def test_staff_without_authenticator_is_asked_to_set_one_up(client: Client, clerk: User) -> None:
    Authenticator.objects.filter(user=clerk).delete()
    client.force_login(clerk)
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/second-factor/"
    assert "/accounts/2fa/totp/activate/" in response.content.decode()


def test_staff_cannot_remove_their_authenticator(client: Client, clerk: User) -> None:
    login_with_second_factor(client, clerk)
    client.post("/accounts/2fa/totp/deactivate/", {})
    assert Authenticator.objects.filter(user=clerk, type="totp").exists()


def test_admin_opens_for_superuser_with_second_factor(client: Client, clerk: User) -> None:
    clerk.is_superuser = True
    clerk.save()
    login_with_second_factor(client, clerk)
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_sends_to_the_portal_login(client: Client, db: None) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_queue_permissions_sees_no_queues(
    client: Client, clerk_elsewhere: User
) -> None:
    clerk_elsewhere.groups.clear()
    login_with_second_factor(client, clerk_elsewhere)
    page = client.get("/staff/").content.decode()
    assert "/accounts/staff/representations/" not in page
