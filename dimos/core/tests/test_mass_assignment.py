"""Mass assignment (ASVS v5.0.0-8.2.3 / 15.3.3): every form a person posts takes only its own
fields. The normal valid data is posted together with the fields a person must never set —
status, paid, amounts, owners, staff flags, numbers — and the stored rows carry the values the
server decided. Forms are plain `forms.Form`s or ModelForms with explicit `fields`, so this
holds by construction; these tests keep it so.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import ActivityCategory, Business, Representation, User
from dimos.business_tax.models import Debt, Declaration, TaxProfile
from dimos.business_tax.seed import seed as seed_fees
from dimos.core.tests.test_url_auth import row_counts
from dimos.fines.models import Ticket
from dimos.open311.actions import do_issue_key
from dimos.payments import actions as payment_actions
from dimos.payments.models import CardAttempt, PaymentOrder
from dimos.polls.models import Ballot, Option, Participation, Poll, Question
from dimos.registry.models import ResidencyClaim
from dimos.service_requests import actions as request_actions
from dimos.service_requests.models import Category, ServiceRequest, TimelineEntry
from dimos.testing import PASSWORD, PDF_BYTES, file_request

pytestmark = pytest.mark.django_db


def smuggled(stranger: User) -> dict[str, str]:
    """Fields no person's form offers, with values that would matter if they stuck."""
    other = str(stranger.pk)
    return {
        "status": "approved",
        "paid": "on",
        "paid_at": "2020-01-01T10:00",
        "amount": "1",
        "amount_cents": "1",
        "fee_cents": "1",
        "due_cents": "1",
        "owner": other,
        "account": other,
        "user": other,
        "person": other,
        "citizen": other,
        "entered_by": other,
        "declared_by": other,
        "decided_by": other,
        "assignee": other,
        "business": "999999",
        "is_staff": "on",
        "is_superuser": "on",
        "resident_since": "2020-01-01T10:00",
        "departments": "1",
        "department": "1",
        "groups": "1",
        "user_permissions": "1",
        "protocol_number": "2020/000001",
        "receipt_number": "2020-000001",
        "receipt": "AAAA-BBBB-CCCC",
        "year": "2020",
        "provisional": "",
        "automatic": "on",
        "rf": "RF18539007547034",
    }


def test_signup_ignores_staff_and_resident_fields(client: Client, other_resident: User) -> None:
    data = {
        **smuggled(other_resident),
        "first_name": "Ελένη",
        "last_name": "Ιωάννου",
        "email": "eleni@example.gr",
        "password1": "Kozani-Lake-Polyfytos-7",
        "password2": "Kozani-Lake-Polyfytos-7",
        "accept_privacy": "on",
        "door": "resident",
    }
    assert client.post("/accounts/register/resident/", data).status_code == 302
    user = User.objects.get(email="eleni@example.gr")
    assert not user.is_staff and not user.is_superuser
    assert user.resident_since is None and not user.is_resident
    assert not user.departments.exists() and not user.groups.exists()


def test_profile_form_ignores_staff_resident_and_e_mail_fields(
    client: Client, citizen: User, other_resident: User
) -> None:
    client.force_login(citizen)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    data = {
        **smuggled(other_resident),
        "email": "evil@example.gr",
        "first_name": "Νίκος",
        "last_name": "Αθανασίου",
        "birth_date": "1980-05-01",
        "address": "Πλατεία Νίκης 1, 50100 Κοζάνη",
        "notification_channel": "email",
    }
    assert client.post("/accounts/me/details/", data).status_code == 302
    citizen = User.objects.get(pk=citizen.pk)
    assert citizen.address == "Πλατεία Νίκης 1, 50100 Κοζάνη"  # the form's own fields saved
    assert citizen.email == "citizen@example.gr"
    assert not citizen.is_staff and not citizen.is_superuser
    assert citizen.resident_since is None and not citizen.departments.exists()


def test_business_request_stays_pending_and_the_posters_own(
    client: Client, citizen: User, other_resident: User
) -> None:
    client.force_login(citizen)
    data = {
        **smuggled(other_resident),
        "afm": "094014201",
        "legal_name": "Φούρνος Η Κοζάνη Ο.Ε.",
        "address": "Δημοκρατίας 5, 50100 Κοζάνη",
        "activity_category": str(
            ActivityCategory.objects.get_or_create(code="retail", defaults={"name": "Λιανικό"})[
                0
            ].pk
        ),
        "proof": SimpleUploadedFile("proof.pdf", PDF_BYTES, "application/pdf"),
        "declaration": "on",
    }
    assert client.post("/accounts/me/businesses/new/", data).status_code == 302
    representation = Representation.objects.get()
    assert representation.person == citizen
    assert representation.status == Representation.Status.PENDING
    assert representation.decided_by is None
    assert "representative" not in User.objects.get(pk=citizen.pk).roles()


def test_residency_claim_stays_pending_and_the_posters_own(
    client: Client, citizen: User, other_resident: User
) -> None:
    client.force_login(citizen)
    data = {
        **smuggled(other_resident),
        "amka": "27038500123",
        "family_number": "4242",  # no such family: a clerk must decide
        "first_name": "Νίκος",
        "last_name": "Αθανασίου",
        "father_name": "Παύλος",
        "mother_name": "Ρένα",
        "birth_date": "1980-05-01",
    }
    assert client.post("/registry/resident/", data).status_code == 302
    claim = ResidencyClaim.objects.get()
    assert claim.account == citizen
    assert claim.status == ResidencyClaim.Status.PENDING
    assert claim.decided_by is None and claim.person is None
    assert not User.objects.get(pk=citizen.pk).is_resident


def _request_data() -> dict[str, str]:
    return {
        "kind": "complaint",
        "category": str(Category.objects.get(code="street-lighting").pk),
        "subject": "Σβηστή λάμπα",
        "description": "Η λάμπα έξω από το 12 είναι σβηστή.",
        "address": "Μακεδονίας 12, Κοζάνη",
        "notify_channel": "email",
        "notify_address": "resident@example.gr",
    }


def test_citizen_request_form_ignores_status_owner_department_and_numbers(
    client: Client, resident: User, other_resident: User
) -> None:
    client.force_login(resident)
    extra = smuggled(other_resident)
    assert client.post("/requests/new/", {**extra, **_request_data()}).status_code == 302
    assert client.post("/requests/new/check/", extra).status_code == 302
    filed = ServiceRequest.objects.get()
    lighting = Category.objects.get(code="street-lighting")
    assert filed.citizen == resident
    assert filed.status == ServiceRequest.Status.SUBMITTED
    assert filed.department == lighting.department and filed.assignee is None
    assert (filed.year, filed.number) == (timezone.localdate().year, 1)


# Each citizen step: the status the service set before, and the one the step itself decides.
CITIZEN_STEPS = {
    "reply": ("waiting", ServiceRequest.Status.IN_PROGRESS),  # the clock runs again
    "reopen": ("resolved", ServiceRequest.Status.IN_PROGRESS),  # back with the service
    "confirm": ("resolved", ServiceRequest.Status.CLOSED),  # the resolution accepted
}


@pytest.mark.parametrize("step", sorted(CITIZEN_STEPS))
def test_citizen_reply_reopen_confirm_ignore_status_and_owner(
    client: Client, resident: User, other_resident: User, clerk: User, step: str
) -> None:
    filed = file_request(resident)
    set_by_service, decided_by_step = CITIZEN_STEPS[step]
    request_actions.do_change_status(filed, clerk, set_by_service, public_note="Σημείωση.")
    before = ServiceRequest.objects.values("citizen", "department", "assignee").get()
    entries = TimelineEntry.objects.count()
    client.force_login(resident)
    data = {**smuggled(other_resident), "text": "Ευχαριστώ.", "reason": "Δεν το έλαβα."}
    response = client.post(f"/requests/{filed.public_id}/{step}/", data)
    assert response.status_code == 302
    assert ServiceRequest.objects.get().status == decided_by_step
    assert ServiceRequest.objects.values("citizen", "department", "assignee").get() == before
    assert TimelineEntry.objects.count() == entries + 1
    assert TimelineEntry.objects.latest("at", "id").by == resident


@pytest.mark.parametrize(
    "path",
    ["/requests/staff/{id}/", "/requests/staff/bulk/"],
)
def test_citizen_posting_a_staff_form_changes_nothing(
    client: Client, resident: User, other_resident: User, path: str
) -> None:
    filed = file_request(
        resident,
        kind="complaint",
        category=Category.objects.get(code="street-lighting"),
        subject="Λάμπα",
        description="Σβηστή.",
        address="Μακεδονίας 12",
    )
    client.force_login(resident)
    before = row_counts(leaving_out=set())
    data = {
        **smuggled(other_resident),
        "action": "status",
        "status": "resolved",
        "requests": str(filed.pk),
        "public_note": "Έγινε.",
    }
    response = client.post(path.format(id=filed.public_id), data)
    assert response.status_code == 403
    assert row_counts(leaving_out=set()) == before
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.SUBMITTED


def test_self_entered_fine_keeps_its_owner_and_stays_unpaid(
    client: Client, citizen: User, other_resident: User
) -> None:
    client.force_login(citizen)
    extra = smuggled(other_resident)
    data = {
        **extra,
        "number": "ΚΟΖ-2026-000555",
        "plate": "ΚΖΝ-1234",
        "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "amount": "30,00",
    }
    assert client.post("/fines/enter/", data)["Location"] == "/fines/enter/check/"
    assert client.post("/fines/enter/check/", extra).status_code == 302
    ticket = Ticket.objects.get()
    order = PaymentOrder.objects.get()
    assert ticket.entered_by == citizen and ticket.provisional
    assert order.payer_person == citizen and order.payer_business is None
    assert order.status == PaymentOrder.Status.OPEN
    assert order.amount_cents == 3_000 and not order.payments.exists()


def test_fine_lookup_with_extra_fields_writes_nothing(
    client: Client, citizen: User, other_resident: User
) -> None:
    client.force_login(citizen)
    before = row_counts(leaving_out=set())
    data = {**smuggled(other_resident), "number": "ΚΟΖ-2026-000101", "plate": "ΚΖΝ-1234"}
    assert client.post("/fines/find/", data).status_code == 404
    assert row_counts(leaving_out=set()) == before


def test_card_start_pays_what_the_order_asks_not_what_is_posted(
    client: Client, resident: User, other_resident: User
) -> None:
    order = payment_actions.do_issue_order(
        amount_cents=1_500, description="Τέλος", payer_person=resident
    )
    client.force_login(resident)
    response = client.post(f"/payments/{order.rf}/card/", smuggled(other_resident))
    assert response.status_code == 200
    attempt = CardAttempt.objects.get()
    assert attempt.order == order and attempt.amount_cents == 1_500
    order.refresh_from_db()
    assert order.status == PaymentOrder.Status.OPEN and order.payer_person == resident


@time_machine.travel("2025-04-15 10:00 +03:00")
def test_tax_declaration_computes_the_fee_and_keeps_the_business_and_declarer(
    client_for: Callable[[User], Client],
    representative: User,
    business: Business,
    other_resident: User,
) -> None:
    seed_fees(apps)
    TaxProfile.objects.create(business=business, declares_from=date(2025, 1, 1))
    rep = client_for(representative)
    extra = smuggled(other_resident)
    url = "/business-tax/094014201/"
    response = rep.post(
        url + "declare/?fee=food-drink-receipts",
        {**extra, "period": "2025-03:2025-03", "receipts": "20.000,00"},
    )
    assert response["Location"] == url + "declare/check/"
    assert rep.post(url + "declare/check/", extra).status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.business == business and declaration.declared_by == representative
    assert declaration.fee_cents == 10_000  # 0,5 % of 20.000,00 €
    assert declaration.year == 2025
    debt = Debt.objects.get()
    assert debt.business == business
    assert rep.post(f"{url}debts/{debt.pk}/pay/", extra).status_code == 302
    order = PaymentOrder.objects.get()
    assert order.amount_cents == 10_000 and order.payer_business == business
    assert order.status == PaymentOrder.Status.OPEN


def test_ballot_is_cast_for_the_voter_with_a_server_made_receipt(
    client: Client, resident: User, other_resident: User
) -> None:
    now = timezone.now()
    poll = Poll.objects.create(
        title="Πεζόδρομος",
        description="Γνώμη.",
        scheduled=True,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    question = Question.objects.create(poll=poll, text="Ναι ή όχι;", position=1)
    yes = Option.objects.create(question=question, text="Ναι", position=1)
    Option.objects.create(question=question, text="Όχι", position=2)
    client.force_login(resident)
    data: dict[str, Any] = {**smuggled(other_resident), f"q{question.pk}": [str(yes.pk)]}
    assert client.post(f"/polls/{poll.pk}/vote/cast/", data).status_code == 200
    assert Participation.objects.get().person == resident
    ballot = Ballot.objects.get()
    assert ballot.receipt != "AAAA-BBBB-CCCC"
    assert [c.option for c in ballot.choices.all()] == [yes]


def test_open311_post_files_for_the_keys_owner_with_the_servers_status(
    client: Client, resident: User, other_resident: User
) -> None:
    do_issue_key("Εφαρμογή δοκιμών", resident, None, raw_key="test-open311-key-0123456789")
    data = {
        **smuggled(other_resident),
        "service_request_id": "2020-000001",
        "agency_responsible": "Άλλη υπηρεσία",
        "api_key": "test-open311-key-0123456789",
        "service_code": "street-lighting",
        "lat": "40.300581",
        "long": "21.788039",
        "address_string": "Μακεδονίας 12, Κοζάνη",
        "description": "Σβηστή λάμπα έξω από το 12.",
        "email": "reporter@example.gr",
    }
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    filed = ServiceRequest.objects.get()
    assert filed.citizen == resident and filed.status == ServiceRequest.Status.SUBMITTED
    assert filed.department == Category.objects.get(code="street-lighting").department
    assert filed.public_id != "2020-000001" and filed.assignee is None
