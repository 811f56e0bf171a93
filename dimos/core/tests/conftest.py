"""What the core tests share: the objects of the page matrix (test_page_matrix.py), which
test_url_auth.py checks for more personas, and a client for each opener of the crawls
(test_security_headers.py, test_query_budgets.py)."""

from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from dimos.accounts.models import Representation, User
from dimos.payments import actions as payment_actions
from dimos.service_requests.models import Attachment
from dimos.testing import PDF_BYTES, file_request, make_pending_claim


@pytest.fixture
def objects(representative: User, citizen: User, resident: User) -> dict[str, object]:
    # The citizen asks to represent the same business too: a pending request for the clerk,
    # while `representative` stays approved for the business pages.
    approved = Representation.objects.get(person=representative)
    pending = Representation.objects.create(
        person=citizen,
        business=approved.business,
        proof=approved.proof.name,
        proof_content_type="application/pdf",
    )
    claim = make_pending_claim(citizen)
    lamp = file_request(
        resident,
        kind="complaint",
        subject="Κάδος",
        description="Γεμάτος κάδος.",
        address="Πλατεία Νίκης",
    )
    attachment = Attachment.objects.create(
        request=lamp,
        file=ContentFile(PDF_BYTES, name="a.pdf"),
        content_type="application/pdf",
        size=len(PDF_BYTES),
        original_name="a.pdf",
        uploaded_by=resident,
    )
    order = payment_actions.do_issue_order(
        amount_cents=100, description="Τέλος", payer_person=representative
    )
    return {
        "representation": pending,
        "claim": claim,
        "request": lamp,
        "attachment": attachment,
        "order": order,
    }


@pytest.fixture
def client_of(
    client_for: Callable[[User], Client],
    resident: User,
    representative: User,
    clerk: User,
) -> Callable[[str], Client]:
    def get(who: str) -> Client:
        if who == "anonymous":
            return Client()
        if who == "superclerk":
            clerk.is_superuser = True  # every permission, as an administrator has
            clerk.save()
            return client_for(clerk)
        if who == "clerk":
            return client_for(clerk)
        people = {"resident": resident, "representative": representative}
        visitor = Client()
        visitor.force_login(people[who])
        return visitor

    return get
