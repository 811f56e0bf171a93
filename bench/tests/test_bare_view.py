"""The bare view `make bench` measures pages against exists only when the runner asks."""

import importlib
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import clear_url_caches

import dimos.urls


@pytest.fixture
def urls_with_bare_view(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.DIMOS_BENCH_BARE_VIEW = True  # type: ignore[attr-defined]
    importlib.reload(dimos.urls)
    clear_url_caches()
    yield
    settings.DIMOS_BENCH_BARE_VIEW = False  # type: ignore[attr-defined]
    importlib.reload(dimos.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_the_bare_view_does_not_exist_by_default(client: Client) -> None:
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.django_db
def test_the_bare_view_answers_ok_when_the_setting_is_on(
    client: Client, urls_with_bare_view: None
) -> None:
    response = client.get("/bench/bare/")

    assert response.status_code == 200
    assert response.content == b"ok"
    # Through the full middleware stack: the security headers are there.
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
