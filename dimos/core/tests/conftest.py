"""What the core tests share: the objects of the page matrix (test_page_matrix.py), which
test_url_auth.py checks for more personas."""

import pytest
from django.core.files.base import ContentFile

from dimos.accounts.models import Representation, User
from dimos.payments import actions as payment_actions
from dimos.registry.models import ResidencyClaim
from dimos.service_requests import actions
from dimos.service_requests.models import Attachment, Category
from dimos.testing import PDF_BYTES


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
    claim = ResidencyClaim.objects.create(
        account=citizen,
        amka="27038500123",
        family_number="1",
        first_name="Ν",
        last_name="Α",
        father_name="Π",
        mother_name="Μ",
        birth_date="1980-01-01",
    )
    lamp = actions.do_submit_request(
        resident,
        actions.Submission(
            kind="complaint",
            category=Category.objects.get(code="certificates"),
            subject="Κάδος",
            description="Γεμάτος κάδος.",
            notify_channel="email",
            notify_address=resident.email,
            address="Πλατεία Νίκης",
        ),
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
