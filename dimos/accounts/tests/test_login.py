import re

import pytest
from django.core import mail
from django.test import Client

from dimos.accounts.models import User
from dimos.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_rotates_the_session_key(client: Client, citizen: User) -> None:
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.session.session_key
    client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_wrong_password_gives_greek_error(client: Client, citizen: User) -> None:
    response = client.post("/accounts/login/", {"login": citizen.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Υπάρχει πρόβλημα" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_session(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_link_and_sets_new_password(client: Client, citizen: User) -> None:
    client.post("/accounts/password/reset/", {"email": citizen.email})
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body
    ).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "New-Kozani-Pass-2026", "password2": "New-Kozani-Pass-2026"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("New-Kozani-Pass-2026")


def test_password_reset_for_unknown_email_reveals_nothing(client: Client, db: None) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.gr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # the "no account here" notice, so nothing is revealed on screen
    assert "nobody@example.gr" in mail.outbox[0].to


def test_password_change_needs_the_old_password(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "wrong",
            "password1": "New-Kozani-Pass-2026",
            "password2": "New-Kozani-Pass-2026",
        },
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "New-Kozani-Pass-2026",
            "password2": "New-Kozani-Pass-2026",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("New-Kozani-Pass-2026")


def test_dashboard_needs_login(client: Client) -> None:
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
