"""A person with a row in every section of personal data (dimos/core/personal_data.py)."""

from datetime import date, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.core.files.base import ContentFile
from django.utils import timezone

from dimos import testing
from dimos.accounts.models import Business, Representation, User
from dimos.business_tax.models import Declaration, FeeType
from dimos.core.documents import new_code
from dimos.core.models import IssuedDocument
from dimos.fines.models import Ticket
from dimos.notifications.models import CallbackTask, Notification
from dimos.open311.models import ApiKey
from dimos.payments import actions as payment_actions
from dimos.polls.models import Participation, Poll
from dimos.registry.models import Family, Person, ResidencyClaim
from dimos.service_requests.models import Attachment, ServiceRequest
from dimos.testing import PDF_BYTES, TOTP_SECRET

AMKA = "01018012345"
PLATE = "ΚΖΝ4321"


def file_request(person: User, subject: str = "Λακκούβα στην οδό Δημοκρατίας") -> ServiceRequest:
    return testing.file_request(
        person,
        kind="complaint",
        subject=subject,
        description="Βαθιά λακκούβα μπροστά στο 12.",
        address="Δημοκρατίας 12",
        contact_phone="6900000001",
    )


def give_everything(person: User, business: Business) -> dict[str, object]:
    """One row (at least) in every section for `person`; returns some of them by name."""
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)}
    )
    family = Family.objects.create(number="7777", municipal_unit="Κοζάνης")
    registry_person = Person.objects.create(
        family=family,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=date(1980, 1, 1),
        amka=AMKA,
        account=person,
    )
    ResidencyClaim.objects.create(
        account=person,
        amka=AMKA,
        family_number="7777",
        first_name=person.first_name,
        last_name=person.last_name,
        father_name="Παύλος",
        mother_name="Ρένα",
        birth_date=date(1980, 1, 1),
        person=registry_person,
        status=ResidencyClaim.Status.APPROVED,
    )
    representation = Representation(
        person=person, business=business, proof_content_type="application/pdf"
    )
    representation.proof.save("proof.pdf", ContentFile(PDF_BYTES), save=False)
    representation.save()
    service_request = file_request(person)
    attachment = Attachment.objects.create(
        request=service_request,
        file=ContentFile(PDF_BYTES, name="photo.pdf"),
        content_type="application/pdf",
        size=len(PDF_BYTES),
        original_name="λακκούβα.pdf",
        uploaded_by=person,
    )
    draft = Attachment.objects.create(
        draft_owner=person,
        file=ContentFile(PDF_BYTES, name="draft.pdf"),
        content_type="application/pdf",
        size=len(PDF_BYTES),
        original_name="πρόχειρο.pdf",
        uploaded_by=person,
    )
    notification = Notification.objects.create(
        recipient=person,
        address=person.email,
        subject="Το αίτημά σας",
        body="Αγαπητή κυρία, το αίτημά σας καταχωρίστηκε.",
        dedup_key=f"sample:{person.pk}",
    )
    call = Notification.objects.create(
        recipient=person,
        channel="phone",
        address="2461000000",
        subject="Κλήση",
        body="Να σας καλέσουμε",
        dedup_key=f"sample-call:{person.pk}",
        status=Notification.Status.CALLING,
    )
    CallbackTask.objects.create(notification=call, phone="2461000000")
    ApiKey.objects.create(name="Εφαρμογή", owner=person, prefix="abcd1234", key_hash="f" * 64)
    order = payment_actions.do_issue_order(
        amount_cents=4000, description="Πρόστιμο ΚΟΚ", payer_person=person
    )
    payment_actions.do_start_card_attempt(order)
    settlement = payment_actions.do_settle(
        order, method="card", external_ref=f"tx-{person.pk}", amount_cents=4000
    )
    document = IssuedDocument(
        kind="payment-receipt",
        code=new_code(),
        title="Απόδειξη είσπραξης",
        holder=person,
        object_type="payments.receipt",
        object_id=str(settlement.receipt.pk if settlement.receipt else 0),
        sha256="ab" * 32,
        page_count=1,
    )
    document.pdf.save("receipt.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    Ticket.objects.create(
        number="Α-100",
        number_key=f"A100{person.pk}",
        plate=PLATE,
        plate_key="KZN4321",
        issued_at=timezone.now(),
        amount_cents=4000,
        payment_deadline=timezone.localdate() + timedelta(days=60),
        provisional=True,
        entered_by=person,
        entered_plate=PLATE,
    )
    today = timezone.localdate()
    Declaration.objects.create(
        year=today.year,
        number=person.pk,
        business=business,
        fee_type=FeeType.objects.filter(basis="receipts").first(),
        period_start=today.replace(day=1),
        period_end=today,
        base_cents=100000,
        fee_cents=500,
        deadline=today,
        declared_by=person,
    )
    poll = Poll.objects.create(
        title="Πεζόδρομος στην πλατεία",
        description="Θέλετε πεζόδρομο;",
        opens_at=timezone.now() - timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=2),
        scheduled=True,
    )
    Participation.objects.create(poll=poll, person=person)
    return {
        "request": service_request,
        "attachment": attachment,
        "draft": draft,
        "notification": notification,
        "representation": representation,
        "registry_person": registry_person,
        "order": order,
    }
