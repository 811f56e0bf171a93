"""Error pages are ours, in Greek, and say what to do next — never Django's English defaults."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_greek_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Η σελίδα δεν βρέθηκε" in response.content.decode()


def test_expired_form_is_a_greek_403_that_says_nothing_was_saved(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "a@example.gr", "password": "x"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Η φόρμα είχε λήξει" in page
    assert "Δεν αποθηκεύτηκε τίποτα" in page


def test_server_error_page_is_greek_and_needs_no_database(rf: RequestFactory) -> None:
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Λυπούμαστε, κάτι πήγε στραβά" in response.content.decode()
