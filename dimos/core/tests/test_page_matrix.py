"""Every page of ours, for every persona: it opens for those who may see it, refuses the rest.

A new URL in the core, accounts or registry namespaces fails `test_every_page_is_in_the_matrix`
until it is added here with who may open it.
"""

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dimos.accounts.models import User

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone: opens
PERSON = "person"  # logged-in people: opens; anonymous: to the login page
STAFF_PERM = "staff+permission"  # as STAFF, and only with the page's own permission
PERSONS = "persons"  # residents and citizens: opens; representatives (citizens too) also
BUSINESS = "business"  # the business's approved representative: opens; others: 403/404
RESIDENT = "resident"  # residents: opens; other people and staff: 403; anonymous: to login
STAFF = "staff"  # staff with the second factor: opens; people: 403; anonymous: to login
# "Opens" is 200, or a redirect along the journey (e.g. sign-up when already logged in goes to
# the account page) — never to the login page, never a refusal.

# url name -> (who, path builder taking the fixtures' objects)
PAGES: dict[str, tuple[str, Callable[[dict[str, object]], str]]] = {
    "core:home": (PUBLIC, lambda o: "/"),
    "core:service": (PUBLIC, lambda o: "/services/polls/"),
    "core:accessibility": (PUBLIC, lambda o: "/accessibility/"),
    "core:privacy": (PUBLIC, lambda o: "/privacy/"),
    "core:verify_form": (PUBLIC, lambda o: "/verify/"),
    "accounts:register": (PUBLIC, lambda o: "/accounts/register/"),
    "accounts:register_citizen": (PUBLIC, lambda o: "/accounts/register/citizen/"),
    "accounts:register_resident": (PUBLIC, lambda o: "/accounts/register/resident/"),
    "accounts:register_business": (PUBLIC, lambda o: "/accounts/register/business/"),
    "accounts:dashboard": (PERSON, lambda o: "/accounts/me/"),
    "accounts:my_data": (PERSON, lambda o: "/accounts/me/data/"),
    "accounts:my_data_download": (PERSON, lambda o: "/accounts/me/data/download/"),
    "accounts:close_account": (PERSON, lambda o: "/accounts/me/close/"),
    "accounts:business_new": (PERSON, lambda o: "/accounts/me/businesses/new/"),
    "accounts:business_sent": (PERSON, lambda o: "/accounts/me/businesses/sent/"),
    "registry:claim": (PERSON, lambda o: "/registry/resident/"),
    "registry:claim_status": (PERSON, lambda o: "/registry/resident/status/"),
    "core:staff_home": (STAFF, lambda o: "/staff/"),
    "accounts:staff_representations": (STAFF, lambda o: "/accounts/staff/representations/"),
    "accounts:staff_representation": (
        STAFF,
        lambda o: f"/accounts/staff/representations/{o['representation'].pk}/",  # type: ignore[attr-defined]
    ),
    "accounts:staff_representation_proof": (
        STAFF,
        lambda o: f"/accounts/staff/representations/{o['representation'].pk}/proof/",  # type: ignore[attr-defined]
    ),
    "registry:staff_claims": (STAFF, lambda o: "/registry/staff/claims/"),
    "registry:staff_claim": (STAFF, lambda o: f"/registry/staff/claims/{o['claim'].pk}/"),  # type: ignore[attr-defined]
    "service_requests:mine": (RESIDENT, lambda o: "/requests/"),
    "service_requests:new": (RESIDENT, lambda o: "/requests/new/"),
    "service_requests:check": (RESIDENT, lambda o: "/requests/new/check/"),
    "service_requests:track": (PUBLIC, lambda o: "/requests/track/"),
    "service_requests:statistics": (PUBLIC, lambda o: "/requests/statistics/"),
    "service_requests:detail": (RESIDENT, lambda o: f"/requests/{o['request'].public_id}/"),  # type: ignore[attr-defined]
    "service_requests:submitted": (
        RESIDENT,
        lambda o: f"/requests/{o['request'].public_id}/submitted/",
    ),  # type: ignore[attr-defined]
    "service_requests:receipt": (
        RESIDENT,
        lambda o: f"/requests/{o['request'].public_id}/receipt.pdf",
    ),  # type: ignore[attr-defined]
    "service_requests:reply": (RESIDENT, lambda o: f"/requests/{o['request'].public_id}/reply/"),  # type: ignore[attr-defined]
    "service_requests:reopen": (RESIDENT, lambda o: f"/requests/{o['request'].public_id}/reopen/"),  # type: ignore[attr-defined]
    "service_requests:confirm": (
        RESIDENT,
        lambda o: f"/requests/{o['request'].public_id}/confirm/",
    ),  # type: ignore[attr-defined]
    "service_requests:attachment": (
        RESIDENT,
        lambda o: f"/requests/{o['request'].public_id}/attachments/{o['attachment'].pk}/",  # type: ignore[attr-defined]
    ),
    "service_requests:staff_queue": (STAFF, lambda o: "/requests/staff/"),
    "service_requests:staff_bulk": (STAFF, lambda o: "/requests/staff/bulk/"),
    "service_requests:staff_new": (STAFF, lambda o: "/requests/staff/new/"),
    "notifications:staff_failed": (STAFF_PERM, lambda o: "/notifications/staff/failed/"),
    "notifications:staff_callbacks": (STAFF_PERM, lambda o: "/notifications/staff/callbacks/"),
    "notifications:sandbox_sms": (STAFF_PERM, lambda o: "/notifications/sandbox/sms/"),
    "open311_staff:keys": (STAFF_PERM, lambda o: "/open311/staff/keys/"),
    "open311_staff:issue": (STAFF_PERM, lambda o: "/open311/staff/keys/new/"),
    "payments:mine": (PERSON, lambda o: "/payments/"),
    "payments:staff_orders": (STAFF_PERM, lambda o: "/payments/staff/"),
    "payments:staff_order_new": (STAFF_PERM, lambda o: "/payments/staff/new/"),
    "payments:staff_order": (STAFF_PERM, lambda o: f"/payments/staff/orders/{o['order'].pk}/"),  # type: ignore[attr-defined]
    "payments:staff_import": (STAFF_PERM, lambda o: "/payments/staff/import/"),
    "payments:staff_review": (STAFF_PERM, lambda o: "/payments/staff/review/"),
    "fines:start": (PERSONS, lambda o: "/fines/"),
    "fines:lookup": (PERSONS, lambda o: "/fines/find/"),
    "fines:enter": (PERSONS, lambda o: "/fines/enter/"),
    "fines:check": (PERSONS, lambda o: "/fines/enter/check/"),
    "fines:mine": (PERSONS, lambda o: "/fines/mine/"),
    "fines:staff_tickets": (STAFF_PERM, lambda o: "/fines/staff/"),
    "fines:staff_register": (STAFF_PERM, lambda o: "/fines/staff/register/"),
    "fines:staff_import": (STAFF_PERM, lambda o: "/fines/staff/import/"),
    "fines:staff_reconcile": (STAFF_PERM, lambda o: "/fines/staff/reconcile/"),
    "business_tax:home": (BUSINESS, lambda o: "/business-tax/"),
    "business_tax:business": (BUSINESS, lambda o: "/business-tax/094014201/"),
    "business_tax:declare": (BUSINESS, lambda o: "/business-tax/094014201/declare/"),
    "business_tax:staff_businesses": (STAFF_PERM, lambda o: "/business-tax/staff/"),
    "business_tax:staff_debts": (STAFF_PERM, lambda o: "/business-tax/staff/debts/"),
    "business_tax:staff_debt_new": (STAFF_PERM, lambda o: "/business-tax/staff/debts/new/"),
    "business_tax:staff_import": (STAFF_PERM, lambda o: "/business-tax/staff/debts/import/"),
    "business_tax:staff_reports": (STAFF_PERM, lambda o: "/business-tax/staff/reports/"),
    "polls:list": (PERSONS, lambda o: "/polls/"),
    "polls:staff_list": (STAFF_PERM, lambda o: "/polls/staff/"),
    "polls:staff_new": (STAFF_PERM, lambda o: "/polls/staff/new/"),
    "decisions:search": (PERSONS, lambda o: "/decisions/"),
    "decisions:staff_list": (STAFF_PERM, lambda o: "/decisions/staff/"),
    "decisions:staff_new": (STAFF_PERM, lambda o: "/decisions/staff/new/"),
    "service_requests:staff_handle": (
        STAFF,
        lambda o: f"/requests/staff/{o['request'].public_id}/",
    ),  # type: ignore[attr-defined]
}
# Pages that are not pages of a role: the 2FA explanation (404 unless staff) is tested apart.
# core:verify answers 404 for unknown codes by design; test_documents.py covers it.
# Object pages behind a permission are covered, with their objects, by their apps' own tests.
NOT_IN_MATRIX = {
    "core:staff_second_factor",
    "accounts:profile",
    "core:verify",
    "notifications:staff_failed_handled",
    "notifications:staff_callback",
    "open311_staff:revoke",
    # One person's payment objects, covered with their objects in dimos/payments/tests:
    "payments:order",
    "payments:card_start",
    "payments:card_return",
    "payments:card_done",
    "payments:receipt_pdf",
    "payments:staff_import_done",
    "payments:staff_review_item",
    "payments:staff_alert_handled",
    # Objects of one ticket or one business's declarations and debts: covered with their
    # objects (and the 404 for everyone else) in dimos/fines/tests and dimos/business_tax/tests.
    "fines:ticket",
    "fines:pay",
    "fines:staff_ticket",
    "business_tax:check",
    "business_tax:declared",
    "business_tax:declaration_pdf",
    "business_tax:debt",
    "business_tax:pay",
    "business_tax:staff_business",
    "business_tax:staff_debt",
    # One poll's or one decision's pages: covered with their objects (open/closed polls,
    # eligibility, published decisions) in dimos/polls/tests and dimos/decisions/tests.
    "polls:ballots_csv",
    "polls:cast",
    "polls:check",
    "polls:detail",
    "polls:document",
    "polls:receipts",
    "polls:results",
    "polls:results_csv",
    "polls:staff_close",
    "polls:staff_edit",
    "polls:staff_poll",
    "polls:staff_preview",
    "polls:staff_question",
    "polls:staff_question_new",
    "polls:vote",
    "decisions:detail",
    "decisions:download",
    "decisions:pdf",
    "decisions:staff_edit",
    "decisions:staff_status",
}


OUR_NAMESPACES = {
    "core",
    "accounts",
    "registry",
    "service_requests",
    "notifications",
    "open311_staff",
    "payments",
    "fines",
    "business_tax",
    "polls",
    "decisions",
}


def our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif p.name and namespace in OUR_NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_page_is_in_the_matrix() -> None:
    assert our_url_names() - NOT_IN_MATRIX == set(PAGES)


def opens(response: HttpResponse) -> bool:
    if response.status_code == 302:
        return not response["Location"].startswith("/accounts/login/")
    return response.status_code == 200


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous(client: Client, objects: dict[str, object], name: str) -> None:
    who, path = PAGES[name]
    response = client.get(path(objects))
    if who == PUBLIC:
        assert opens(response)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("persona", ["citizen", "resident", "representative"])
def test_people(
    client: Client,
    objects: dict[str, object],
    name: str,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    who, path = PAGES[name]
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path(objects))
    if who in (STAFF, STAFF_PERM) or (who == RESIDENT and persona != "resident"):
        assert response.status_code == 403
    elif who == BUSINESS and persona != "representative":
        assert response.status_code in (403, 404)
    else:
        assert opens(response)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_clerk(
    client_for: Callable[[User], Client], clerk: User, objects: dict[str, object], name: str
) -> None:
    who, path = PAGES[name]
    response = client_for(clerk).get(path(objects))
    if who in (RESIDENT, STAFF_PERM):  # the clerk is not a resident, nor has these permissions
        assert response.status_code == 403
    elif who == BUSINESS:  # nor a business representative
        assert response.status_code in (403, 404)
    else:
        assert opens(response)


@pytest.mark.parametrize("name", sorted(n for n, (who, _) in PAGES.items() if who == STAFF_PERM))
def test_staff_with_the_permission(
    client_for: Callable[[User], Client], clerk: User, objects: dict[str, object], name: str
) -> None:
    clerk.is_superuser = True  # every permission
    clerk.save()
    _, path = PAGES[name]
    assert opens(client_for(clerk).get(path(objects)))
