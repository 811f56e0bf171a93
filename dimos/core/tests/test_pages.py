import pytest
from django.test import Client

from dimos.core.access import SERVICES

pytestmark = pytest.mark.django_db


def test_home_lists_the_nine_services_in_greek(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="el">' in page
    assert "Αιτήσεις και παράπονα" in page
    assert "Πρόστιμα ΚΟΚ" in page
    assert "Δημοτικό τέλος" in page
    assert "Αποφάσεις δημοτικού συμβουλίου" in page
    assert "Δημοσκοπήσεις" in page
    assert "Πληροφόρηση προμηθευτών" in page
    assert "Πιστοποιητικά δημοτολογίου" in page
    assert "Βεβαιώσεις ΤΑΠ" in page
    assert "Πορεία αιτήματος ή παραπόνου" in page
    assert len(SERVICES) == 9


def test_home_in_english_under_en_prefix(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    page = response.content.decode()
    assert "Requests and complaints" in page
    assert "Log in" in page and "Σύνδεση" not in page  # no fallback to the Greek catalogue


def test_home_services_kept_in_the_cache_stay_in_each_language(client: Client) -> None:
    """The list of services is built once per language and kept: Greek and English alternate."""
    for _round in range(2):
        greek = client.get("/").content.decode()
        english = client.get("/en/").content.decode()
        assert "Αιτήσεις και παράπονα" in greek and "Requests and complaints" not in greek
        assert "Requests and complaints" in english and "Αιτήσεις και παράπονα" not in english


def test_unprefixed_urls_stay_greek_whatever_the_browser_asks(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="el">' in response.content.decode()


def test_language_switch_takes_you_to_the_english_page(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accessibility/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accessibility/"
    english_page = client.get("/en/accessibility/").content.decode()
    assert '<input type="hidden" name="next" value="/accessibility/">' in english_page
    response = client.post("/i18n/setlang/", {"language": "el", "next": "/accessibility/"})
    assert response["Location"] == "/accessibility/"


def test_unbuilt_service_says_coming_soon_honestly(client: Client) -> None:
    response = client.get("/services/fines/")
    assert response.status_code == 200
    assert "δεν είναι ακόμη διαθέσιμη" in response.content.decode()


def test_unknown_service_is_404(client: Client) -> None:
    assert client.get("/services/no-such-thing/").status_code == 404


@pytest.mark.parametrize("url", ["/accessibility/", "/privacy/"])
def test_statement_pages_render(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "4727/2020" in response.content.decode() or "2016/679" in response.content.decode()


def test_every_page_links_the_accessibility_statement(client: Client) -> None:
    for url in ["/", "/accounts/login/", "/accounts/register/", "/privacy/"]:
        assert 'href="/accessibility/"' in client.get(url).content.decode(), url


def test_healthz_answers_ok_when_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError
    from django.db.backends.utils import CursorWrapper

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
