"""No IDOR: one table of every page and download that shows one person's or one business's
thing, opened by its owner and by everyone else, with real objects.

The owner opens it (200, or a redirect along the journey). Anyone else who may use the service
gets 404, exactly as for an object that does not exist: never 403 (which would confirm it
exists), never 200. People whom the service is not for are stopped by the service's gate
before any look-up (the same 403 "this service is for …" page whatever the object), and
anonymous visitors are sent to the login page. Writes (POST) by someone else change nothing.

Which apps separate their back office by department: only requests and complaints
(`service_requests:staff_handle`, another department's request is 404). Representations and
residency claims are one queue for every clerk (any staff with the second factor; the page
matrix checks that people get 403). Council decisions and polls are not anyone's own: they are
in NOT_OWNED with the reason. Open311's `requests/<id>` is public by the GeoReport v2 spec and
shows no reporter's name, e-mail, telephone, attachments or (for non-place categories) address:
see dimos/open311/resources.py and test_open311_request_is_public_without_personal_data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from dimos.accounts.models import Business, Representation, User
from dimos.business_tax import actions as tax_actions
from dimos.business_tax import rules as tax_rules
from dimos.business_tax.models import FeeType, TaxProfile
from dimos.business_tax.seed import seed as seed_fees
from dimos.business_tax.tests.conftest import represent
from dimos.core.tests.test_url_auth import row_counts
from dimos.fines import actions as fine_actions
from dimos.fines.tests.conftest import ticket_data
from dimos.payments import actions as payment_actions
from dimos.payments.models import Payment, Receipt
from dimos.service_requests.models import Attachment
from dimos.testing import PDF_BYTES, file_request, make_pending_claim, make_person

pytestmark = pytest.mark.django_db

Things = dict[str, Any]


@dataclass(frozen=True)
class ObjectPage:
    owner: str  # the persona whose thing it is (a fixture name)
    path: Callable[[Things], str]
    strangers: tuple[str, ...]  # may use the service, own nothing here: 404 on every method
    methods: tuple[str, ...] = ("GET",)  # what the URL accepts along the journey
    gated: tuple[str, ...] = ()  # the service is not for them: its 403, before any look-up


def _req(suffix: str = "") -> Callable[[Things], str]:
    return lambda t: f"/requests/{t['request'].public_id}/{suffix}"


def _tax(suffix: str) -> Callable[[Things], str]:
    return lambda t: f"/business-tax/{t['business'].afm}/{suffix}"


_RESIDENT_ONLY = ("citizen", "representative", "clerk")  # requests are for residents (Δημότης)
_NOT_REPRESENTATIVES = ("resident", "citizen", "clerk")  # the tax is for business representatives
_PEOPLE = ("resident", "other_resident", "citizen", "representative")

OBJECT_PAGES: dict[str, ObjectPage] = {
    # Requests and complaints: the resident's own, by its protocol number.
    "service_requests:detail": ObjectPage(
        "resident", _req(), ("other_resident",), gated=_RESIDENT_ONLY
    ),
    "service_requests:submitted": ObjectPage(
        "resident", _req("submitted/"), ("other_resident",), gated=_RESIDENT_ONLY
    ),
    "service_requests:receipt": ObjectPage(
        "resident", _req("receipt.pdf"), ("other_resident",), gated=_RESIDENT_ONLY
    ),
    "service_requests:reply": ObjectPage(
        "resident", _req("reply/"), ("other_resident",), ("GET", "POST"), _RESIDENT_ONLY
    ),
    "service_requests:reopen": ObjectPage(
        "resident", _req("reopen/"), ("other_resident",), ("GET", "POST"), _RESIDENT_ONLY
    ),
    "service_requests:confirm": ObjectPage(
        "resident", _req("confirm/"), ("other_resident",), ("GET", "POST"), _RESIDENT_ONLY
    ),
    "service_requests:attachment": ObjectPage(
        "resident",
        lambda t: f"/requests/{t['request'].public_id}/attachments/{t['attachment'].pk}/",
        ("other_resident",),
        gated=_RESIDENT_ONLY,
    ),
    # The back office of requests is per department.
    "service_requests:staff_handle": ObjectPage(
        "clerk",
        lambda t: f"/requests/staff/{t['request'].public_id}/",
        ("clerk_elsewhere",),
        ("GET", "POST"),
        gated=_PEOPLE,
    ),
    # Payments: the person's own orders, and those of the businesses they represent.
    "payments:order": ObjectPage(
        "resident",
        lambda t: f"/payments/{t['order'].rf}/",
        ("other_resident", "citizen", "representative", "clerk"),
    ),
    "payments:card_start": ObjectPage(
        "resident",
        lambda t: f"/payments/{t['order'].rf}/card/",
        ("other_resident", "citizen", "representative", "clerk"),
        ("POST",),
    ),
    "payments:card_done": ObjectPage(
        "resident",
        lambda t: f"/payments/card/{t['attempt'].gateway_order_id}/",
        ("other_resident", "citizen", "representative", "clerk"),
    ),
    "payments:receipt_pdf": ObjectPage(
        "resident",
        lambda t: f"/payments/receipts/{t['receipt'].year}-{t['receipt'].number}.pdf",
        ("other_resident", "citizen", "representative", "clerk"),
    ),
    # Traffic fines: a ticket the person entered or paid, or found with number and plate in
    # this session (test_a_ticket_found_by_number_and_plate_opens_only_in_that_session).
    "fines:ticket": ObjectPage(
        "resident",
        lambda t: f"/fines/tickets/{t['ticket'].number_key}/",
        ("other_resident", "citizen", "representative", "clerk"),
    ),
    "fines:pay": ObjectPage(
        "resident",
        lambda t: f"/fines/tickets/{t['ticket'].number_key}/pay/",
        ("other_resident", "citizen", "representative", "clerk"),
        ("POST",),
    ),
    # Municipal tax: the businesses the person represents (approved by a clerk), by ΑΦΜ.
    "business_tax:business": ObjectPage(
        "representative", _tax(""), ("other_representative",), gated=_NOT_REPRESENTATIVES
    ),
    "business_tax:declare": ObjectPage(
        "representative",
        _tax("declare/"),
        ("other_representative",),
        ("GET", "POST"),
        _NOT_REPRESENTATIVES,
    ),
    "business_tax:check": ObjectPage(
        "representative",
        _tax("declare/check/"),
        ("other_representative",),
        ("GET", "POST"),
        _NOT_REPRESENTATIVES,
    ),
    "business_tax:declared": ObjectPage(
        "representative",
        lambda t: _tax(f"declarations/{t['declaration'].year}-{t['declaration'].number}/")(t),
        ("other_representative",),
        gated=_NOT_REPRESENTATIVES,
    ),
    "business_tax:declaration_pdf": ObjectPage(
        "representative",
        lambda t: _tax(f"declarations/{t['declaration'].year}-{t['declaration'].number}.pdf")(t),
        ("other_representative",),
        gated=_NOT_REPRESENTATIVES,
    ),
    "business_tax:debt": ObjectPage(
        "representative",
        lambda t: _tax(f"debts/{t['debt'].pk}/")(t),
        ("other_representative",),
        gated=_NOT_REPRESENTATIVES,
    ),
    "business_tax:pay": ObjectPage(
        "representative",
        lambda t: _tax(f"debts/{t['debt'].pk}/pay/")(t),
        ("other_representative",),
        ("POST",),
        _NOT_REPRESENTATIVES,
    ),
    # One queue for every clerk (no department separates them): people are refused.
    "accounts:staff_representation": ObjectPage(
        "clerk",
        lambda t: f"/accounts/staff/representations/{t['representation'].pk}/",
        (),
        ("GET", "POST"),
        gated=_PEOPLE,
    ),
    "accounts:staff_representation_proof": ObjectPage(
        "clerk",
        lambda t: f"/accounts/staff/representations/{t['representation'].pk}/proof/",
        (),
        gated=_PEOPLE,
    ),
    "registry:staff_claim": ObjectPage(
        "clerk",
        lambda t: f"/registry/staff/claims/{t['claim'].pk}/",
        (),
        ("GET", "POST"),
        gated=_PEOPLE,
    ),
}

# URLs with an argument that are not one person's or business's thing, with the reason.
NOT_OWNED: dict[str, str] = {
    "core:service": "the public description of a service",
    "core:verify": "public by design: anyone checks a document by its code (rate-limited)",
    "open311:discovery": "GeoReport v2 metadata (the argument is the format)",
    "open311:services": "GeoReport v2 metadata (the argument is the format)",
    "open311:service_definition": "GeoReport v2 metadata: a service's definition",
    "open311:requests": "GeoReport v2 public list, without personal data",
    "open311:request": "GeoReport v2 public request, without personal data (tested below)",
    "open311:not_found": "GeoReport v2's 404",
    "polls:detail": "a published poll, the same for every person",
    "polls:vote": "a poll's questions; one participation per person is polls' own test",
    "polls:check": "the check page of one's own answers, posted, never stored before casting",
    "polls:cast": "casts one's own ballot; the ballot is secret (polls/tests/test_secrecy.py)",
    "polls:results": "a poll's results, shown by the poll's rules",
    "polls:results_csv": "a poll's results, shown by the poll's rules",
    "polls:receipts": "the published list of receipt codes, public by design (verifiability)",
    "polls:ballots_csv": "the published anonymous ballots, public by design",
    "polls:document": "a poll's public document",
    "decisions:detail": "a published council decision (public acts, ν.3861/2010)",
    "decisions:pdf": "a published council decision",
    "decisions:download": "a published council decision's file",
    # Back-office objects behind a model permission, not split by department: people get 403
    # before any look-up (test_url_auth.py walks them anonymously; their apps test the rest).
    "notifications:staff_failed_handled": "back office, one queue, needs a permission",
    "notifications:staff_callback": "back office, one queue, needs a permission",
    "open311_staff:revoke": "back office, one list of API keys, needs a permission",
    "payments:staff_order": "back office, one list of orders, needs a permission",
    "payments:staff_import_done": "back office, needs a permission",
    "payments:staff_review_item": "back office, one review queue, needs a permission",
    "payments:staff_alert_handled": "back office, needs a permission",
    "fines:staff_ticket": "back office, one list of tickets, needs a permission",
    "business_tax:staff_business": "back office, one register of businesses, needs a permission",
    "business_tax:staff_debt": "back office, needs a permission",
    "polls:staff_poll": "back office, needs a permission",
    "polls:staff_edit": "back office, needs a permission",
    "polls:staff_preview": "back office, needs a permission",
    "polls:staff_close": "back office, needs a permission",
    "polls:staff_question": "back office, needs a permission",
    "polls:staff_question_new": "back office, needs a permission",
    "decisions:staff_edit": "back office, needs a permission",
    "decisions:staff_status": "back office, needs a permission",
}

OUR_NAMESPACES = {
    "core",
    "accounts",
    "registry",
    "service_requests",
    "notifications",
    "open311",
    "open311_staff",
    "payments",
    "fines",
    "business_tax",
    "polls",
    "decisions",
    "sandbox",
}


def names_with_arguments() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None, args: bool) -> None:
        for p in patterns:
            has_args = args or bool(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace, has_args)
            elif p.name and namespace in OUR_NAMESPACES and has_args:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None, False)
    return names


def test_every_url_with_an_argument_is_in_the_object_matrix_or_not_owned() -> None:
    assert names_with_arguments() == set(OBJECT_PAGES) | set(NOT_OWNED)
    assert not set(OBJECT_PAGES) & set(NOT_OWNED)


# --- The objects, built with the apps' own actions.


@pytest.fixture
def other_representative(db: None) -> User:
    other_business = Business.objects.create(
        afm="090000045",
        legal_name="Νυχτερινό Κέντρο Αστέρι Α.Ε.",
        address="Ερμού 1, Κοζάνη",
        activity_category=Business.objects.first().activity_category,  # type: ignore[union-attr]
    )
    person = make_person("other-rep@example.gr", first_name="Ελένη", last_name="Ράπτη")
    represent(person, other_business)
    return person


@pytest.fixture
def things(
    resident: User,
    citizen: User,
    representative: User,
    business: Business,
    clerk: User,
    other_representative: User,
) -> Things:
    service_request = file_request(resident)
    attachment = Attachment.objects.create(
        request=service_request,
        file=ContentFile(PDF_BYTES, name="a.pdf"),
        content_type="application/pdf",
        size=len(PDF_BYTES),
        original_name="a.pdf",
        uploaded_by=resident,
    )
    order = payment_actions.do_issue_order(
        amount_cents=1_000, description="Τέλος", payer_person=resident
    )
    attempt = payment_actions.do_start_card_attempt(order)
    paid = payment_actions.do_issue_order(
        amount_cents=2_000, description="Τέλος", payer_person=resident
    )
    payment_actions.do_settle(
        paid, method=Payment.Method.CARD, external_ref="T1", amount_cents=2_000
    )
    ticket, _ = fine_actions.do_enter_ticket(
        resident,
        fine_actions.SelfEntered("ΚΟΖ-2026-000555", "ΚΖΝ-1234", timezone.localdate(), 3_000),
    )
    seed_fees(apps)
    TaxProfile.objects.create(business=business, declares_from=date(2025, 1, 1))
    declared = tax_actions.do_declare(
        business,
        representative,
        FeeType.objects.get(code="food-drink-receipts"),
        tax_rules.period_of(date(2025, 3, 1), tax_rules.MONTHLY),
        base_cents=2_000_000,
        today=date(2025, 4, 15),
    )
    pending = Representation.objects.create(
        person=citizen,
        business=business,
        proof=Representation.objects.get(person=representative).proof.name,
        proof_content_type="application/pdf",
    )
    claim = make_pending_claim(citizen)
    return {
        "request": service_request,
        "attachment": attachment,
        "order": order,
        "attempt": attempt,
        "receipt": Receipt.objects.get(payment__order=paid),
        "ticket": ticket,
        "business": business,
        "declaration": declared.declaration,
        "debt": declared.debt,
        "representation": pending,
        "claim": claim,
    }


def opens(response: Any) -> bool:
    if response.status_code == 302:
        return not response["Location"].startswith("/accounts/login/")
    return response.status_code == 200


def _call(client: Client, method: str, path: str) -> Any:
    return client.get(path) if method == "GET" else client.post(path, {})


def _cases() -> list[tuple[str, str]]:
    return [(name, method) for name, page in OBJECT_PAGES.items() for method in page.methods]


@pytest.mark.parametrize(("name", "method"), _cases())
def test_owner_opens_it(
    client_for: Callable[[User], Client],
    things: Things,
    name: str,
    method: str,
    request: pytest.FixtureRequest,
) -> None:
    page = OBJECT_PAGES[name]
    owner = client_for(request.getfixturevalue(page.owner))
    response = _call(owner, method, page.path(things))
    assert opens(response), (response.status_code, response.get("Location"))


@pytest.mark.parametrize(("name", "method"), _cases())
def test_everyone_else_gets_404_and_changes_nothing(
    client: Client,
    client_for: Callable[[User], Client],
    things: Things,
    name: str,
    method: str,
    request: pytest.FixtureRequest,
) -> None:
    page = OBJECT_PAGES[name]
    path = page.path(things)
    for persona in page.strangers:
        client.logout()
        stranger = client_for(request.getfixturevalue(persona))
        before = row_counts(leaving_out={"core.AuditEvent"})
        response = _call(stranger, method, path)
        assert response.status_code == 404, (persona, response.status_code)
        assert row_counts(leaving_out={"core.AuditEvent"}) == before, persona
    for persona in page.gated:
        client.logout()
        response = _call(client_for(request.getfixturevalue(persona)), method, path)
        assert response.status_code in (403, 302), (persona, response.status_code)
        if response.status_code == 302:  # staff without a role for it: to the second factor
            assert response["Location"] == "/staff/second-factor/"
    client.logout()
    response = _call(client, method, path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_an_unknown_object_is_404_for_its_owner_too(
    client_for: Callable[[User], Client], things: Things, name: str, request: pytest.FixtureRequest
) -> None:
    """The strangers' 404 is the same answer as for something that does not exist."""
    page = OBJECT_PAGES[name]
    path = page.path(things)
    for real, unknown in (
        (things["request"].public_id, "2019-999999"),
        (things["order"].rf, "RF18539007547034"),
        (things["attempt"].gateway_order_id, "NOSUCHATTEMPT"),
        (f"{things['receipt'].year}-{things['receipt'].number}.pdf", "2019-99999.pdf"),
        (f"/{things['ticket'].number_key}/", "/NOSUCHTICKET/"),
        (f"/{things['business'].afm}/", "/090000045/"),
        (f"/{things['declaration'].year}-{things['declaration'].number}", "/2019-99999"),
        (f"/debts/{things['debt'].pk}/", "/debts/999999/"),
        (f"/attachments/{things['attachment'].pk}/", "/attachments/999999/"),
        (f"/representations/{things['representation'].pk}/", "/representations/999999/"),
        (f"/claims/{things['claim'].pk}/", "/claims/999999/"),
    ):
        if real in path:
            path = path.replace(real, unknown)
            break
    else:
        pytest.fail(f"no unknown object for {path}")
    owner = client_for(request.getfixturevalue(page.owner))
    assert _call(owner, page.methods[0], path).status_code == 404


def test_a_ticket_found_by_number_and_plate_opens_only_in_that_session(
    client_for: Callable[[User], Client], client: Client, clerk: User, other_resident: User
) -> None:
    """A registered ticket is found with its number and plate; the key alone finds nothing."""
    ticket = fine_actions.do_register_ticket(ticket_data(number="ΚΟΖ-2026-000777"), clerk)
    path = f"/fines/tickets/{ticket.number_key}/"
    client.force_login(other_resident)
    assert client.get(path).status_code == 404
    found = client.post("/fines/find/", {"number": "ΚΟΖ-2026-000777", "plate": "ΚΖΝ-1234"})
    assert found["Location"] == path
    assert client.get(path).status_code == 200
    client.logout()
    client.force_login(other_resident)  # a new session: it must be found again
    assert client.get(path).status_code == 404


def test_open311_request_is_public_without_personal_data(client: Client, resident: User) -> None:
    service_request = file_request(resident, address="Οδός Σπιτιού 5", contact_phone="6970000000")
    body = client.get(f"/open311/v2/requests/{service_request.public_id}.json").content.decode()
    assert service_request.public_id in body
    for personal in (resident.email, resident.last_name, "Οδός Σπιτιού", "6970000000", "a.pdf"):
        assert personal not in body


def test_staff_cannot_bulk_change_another_departments_request(
    client_for: Callable[[User], Client], clerk_elsewhere: User, things: Things
) -> None:
    """The bulk form only offers the clerk's own queue: another department's pk is refused."""
    service_request = things["request"]
    browser = client_for(clerk_elsewhere)
    before = row_counts(leaving_out={"core.AuditEvent"})
    response = browser.post(
        "/requests/staff/bulk/",
        {"requests": [str(service_request.pk)], "status": "resolved", "public_note": "Έγινε."},
    )
    assert response.status_code == 302
    assert row_counts(leaving_out={"core.AuditEvent"}) == before
    service_request.refresh_from_db()
    assert service_request.status == "submitted"
