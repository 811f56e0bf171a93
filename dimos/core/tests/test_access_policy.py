import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from dimos.accounts.models import User
from dimos.core.access import SERVICES_BY_KEY, Role, can_use, roles_of, service_required

pytestmark = pytest.mark.django_db


@service_required("requests")
def requests_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("requests page")


@service_required("business_tax")
def tax_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("tax page")


@service_required("decisions")
def decisions_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("decisions page")


def call(view: object, user: object) -> HttpResponse:
    request = RequestFactory().get("/x/")
    request.user = user  # type: ignore[assignment]
    return view(request)  # type: ignore[operator,no-any-return]


def test_seed_defaults(resident: User, citizen: User, representative: User) -> None:
    assert can_use(resident, SERVICES_BY_KEY["requests"])
    assert not can_use(citizen, SERVICES_BY_KEY["requests"])
    assert can_use(citizen, SERVICES_BY_KEY["fines"])
    assert can_use(resident, SERVICES_BY_KEY["polls"])
    assert can_use(representative, SERVICES_BY_KEY["business_tax"])
    assert not can_use(resident, SERVICES_BY_KEY["business_tax"])
    assert can_use(citizen, SERVICES_BY_KEY["property_levy"])
    assert not can_use(citizen, SERVICES_BY_KEY["registry"])


def test_roles_of_each_persona(resident: User, citizen: User, representative: User) -> None:
    assert roles_of(resident) == {Role.PUBLIC, Role.CITIZEN, Role.RESIDENT}
    assert roles_of(citizen) == {Role.PUBLIC, Role.CITIZEN}
    assert Role.REPRESENTATIVE in roles_of(representative)


def test_citizen_is_told_how_to_become_a_resident(citizen: User) -> None:
    response = call(requests_view, citizen)
    assert response.status_code == 403
    page = response.content.decode()
    assert "/registry/resident/" in page
    assert "Δημότης" in page


def test_resident_is_told_how_to_register_a_business(resident: User) -> None:
    response = call(tax_view, resident)
    assert response.status_code == 403
    assert "/accounts/me/businesses/new/" in response.content.decode()


def test_anonymous_is_sent_to_login() -> None:
    from django.contrib.auth.models import AnonymousUser

    response = call(decisions_view, AnonymousUser())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_municipality_can_open_a_service_to_the_public(settings: object) -> None:
    from django.contrib.auth.models import AnonymousUser

    settings.DIMOS_SERVICE_ACCESS = {"decisions": ["public"]}  # type: ignore[attr-defined]
    assert call(decisions_view, AnonymousUser()).content == b"decisions page"


def test_home_marks_coming_soon_services(client: Client) -> None:
    page = client.get("/").content.decode()
    assert page.count("Έρχεται σύντομα") == 3  # suppliers, registry, ΤΑΠ
