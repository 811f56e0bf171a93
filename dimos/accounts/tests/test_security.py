"""Sessions and logins: rotation, timeouts, lock-out, re-authentication, breached passwords."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import User
from dimos.testing import (
    BREACHED_PASSWORD,
    PASSWORD,
    login_with_second_factor,
    totp_now,
    unreachable_transport,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _session_with_a_key(client: Client) -> str:
    session = client.session
    session["probe"] = 1
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return str(session.session_key)


def _security_lines(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, object]]:
    return [
        record.security  # type: ignore[attr-defined]
        for record in caplog.records
        if record.name == "dimos.security" and record.getMessage() == event
    ]


# --- Session key and server-side end ---


def test_login_rotates_session_key(client: Client, citizen: User) -> None:
    before = _session_with_a_key(client)
    client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
    after = client.session.session_key
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_logout_deletes_server_side_session(client: Client, citizen: User) -> None:
    client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_deactivated_account_session_stops_working_at_once(client: Client, citizen: User) -> None:
    client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
    assert client.get("/accounts/me/").status_code == 200
    User.objects.filter(pk=citizen.pk).update(is_active=False)
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- Idle and absolute timeouts ---


def test_staff_session_expires_after_30min_idle(client: Client, clerk: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login_with_second_factor(client, clerk)
        clock.shift(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/staff/", follow=True)
    assert response.redirect_chain[0][0].startswith(f"{LOGIN}?next=/staff/")
    assert "Αποσυνδεθήκατε επειδή η συνεδρία σας έληξε" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_session_expires_after_12h_even_when_active(client: Client, clerk: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login_with_second_factor(client, clerk)
        for _ in range(35):  # a page every 20 minutes: never idle, 11 h 40 min in all
            clock.shift(timedelta(minutes=20))
            assert client.get("/staff/").status_code == 200
        clock.shift(timedelta(minutes=21))
        response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_citizen_idle_limit_is_longer_and_configurable(
    client: Client, citizen: User, settings: object
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
        clock.shift(timedelta(minutes=45))
        assert client.get("/accounts/me/").status_code == 200  # staff would be out by now
        clock.shift(timedelta(minutes=61))
        assert client.get("/accounts/me/").status_code == 302

    settings.DIMOS_SESSION_LIMITS = {**settings.DIMOS_SESSION_LIMITS, "person_idle": 10 * 60}  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
        clock.shift(timedelta(minutes=11))
        assert client.get("/accounts/me/").status_code == 302


def test_session_cookie_lifetime_is_the_absolute_limit() -> None:
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.DIMOS_SESSION_LIMITS["staff_idle"] == 30 * 60


# --- Failed logins: lock-out per account and address (django-axes) ---


def _fail(client: Client, email: str, times: int, ip: str = "10.0.0.7") -> None:
    for _ in range(times):
        client.post(LOGIN, {"login": email, "password": "wrong-password"}, REMOTE_ADDR=ip)


def test_login_throttled_after_10_failures_per_account_and_ip(
    client: Client, citizen: User, caplog: pytest.LogCaptureFixture
) -> None:
    _fail(client, citizen.email, 10)
    response = client.post(
        LOGIN, {"login": citizen.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Πάρα πολλές αποτυχημένες συνδέσεις" in page
    assert "15 λεπτά" in page
    assert "_auth_user_id" not in client.session
    assert _security_lines(caplog, "login_locked_out")[0]["actor"] == citizen.pk


def test_lockout_does_not_block_the_owner_from_another_address(
    client: Client, citizen: User
) -> None:
    _fail(client, citizen.email, 10, ip="203.0.113.9")  # somebody else, elsewhere
    response = client.post(
        LOGIN, {"login": citizen.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_lockout_ends_after_15_minutes(client: Client, citizen: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _fail(client, citizen.email, 10)
        clock.shift(timedelta(minutes=16))
        response = client.post(
            LOGIN, {"login": citizen.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
        )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=citizen.email).exists()  # reset on success


def test_nine_failures_still_let_the_right_password_in(client: Client, citizen: User) -> None:
    _fail(client, citizen.email.upper(), 9)  # counted as the same account, whatever the case
    response = client.post(
        LOGIN, {"login": citizen.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 302


def test_auth_success_and_failure_logged_without_secrets(
    client: Client, citizen: User, caplog: pytest.LogCaptureFixture
) -> None:
    client.post(LOGIN, {"login": citizen.email, "password": "Wrong-" + PASSWORD})
    client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
    failed = _security_lines(caplog, "login_failed")
    succeeded = _security_lines(caplog, "login_succeeded")
    assert failed[0]["actor"] == citizen.pk and len(str(failed[0]["identifier"])) == 16
    assert succeeded[0]["actor"] == citizen.pk
    assert succeeded[0]["ip"] == "127.0.0.1" and succeeded[0]["request_id"]
    text = json.dumps(failed + succeeded)
    assert PASSWORD not in text and citizen.email not in text


# --- Re-authentication before changing what secures the account ---


def test_change_email_requires_reauthentication(client: Client, citizen: User) -> None:
    client.force_login(citizen)  # a session without a recent password
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "new-address@example.gr"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not citizen.emailaddress_set.filter(email="new-address@example.gr").exists()


def test_change_phone_and_channel_require_reauthentication(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post("/accounts/me/details/", {"phone": "2461099999"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    citizen.refresh_from_db()
    assert citizen.phone != "2461099999"


def test_change_password_requires_the_current_one(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    new = "Another-Good-Pass-2026"
    client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": new, "password2": new},
    )
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_password_reset_does_not_bypass_totp(client: Client, clerk: User) -> None:
    client.post("/accounts/password/reset/", {"email": clerk.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    new = "Reset-Kozani-Pass-2026"
    client.post(form_url, {"password1": new, "password2": new})
    assert client.get("/staff/").status_code == 302  # the reset logged nobody in
    response = client.post(LOGIN, {"login": clerk.email, "password": new})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/staff/").status_code == 302  # still not in without the code
    client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert client.get("/staff/").status_code == 200


# --- Passwords that others could guess ---


def _signup(client: Client, password: str) -> str:
    response = client.post(
        "/accounts/register/citizen/",
        {
            "first_name": "Ελένη",
            "last_name": "Ιωάννου",
            "email": "new-person@example.gr",
            "password1": password,
            "password2": password,
            "accept_privacy": "on",
        },
    )
    return response.content.decode()


def test_breached_password_rejected(client: Client, db: None) -> None:
    page = _signup(client, BREACHED_PASSWORD)
    assert "Αυτός ο κωδικός έχει εμφανιστεί σε διαρροή δεδομένων" in page
    assert not User.objects.filter(email="new-person@example.gr").exists()


def test_common_password_rejected(client: Client, db: None) -> None:
    page = _signup(client, "password1234")
    assert "Πολύ κοινό συνθηματικό" in page
    assert not User.objects.filter(email="new-person@example.gr").exists()


def test_unbreached_password_accepted(client: Client, db: None) -> None:
    _signup(client, "Kozani-Lignite-Plain-77")
    assert User.objects.filter(email="new-person@example.gr").exists()


def test_breach_service_unreachable_falls_back_to_common_list(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx
    from pwned_passwords_django import api

    monkeypatch.setattr(
        api.default_client, "client", httpx.Client(transport=unreachable_transport())
    )
    assert "Πολύ κοινό συνθηματικό" in _signup(client, "password1234")
    _signup(client, BREACHED_PASSWORD)  # unknown to the common list: accepted, as designed
    assert User.objects.filter(email="new-person@example.gr").exists()


def test_setting_up_a_second_factor_requires_reauthentication(
    client: Client, citizen: User
) -> None:
    client.force_login(citizen)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
