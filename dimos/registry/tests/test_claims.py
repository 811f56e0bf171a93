from datetime import date

import pytest
from django.core import mail
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.registry.models import Person, ResidencyClaim

pytestmark = pytest.mark.django_db

CLAIM = {
    "amka": "27038500123",
    "family_number": "1024",
    "first_name": "Μαρία",
    "last_name": "Παπαδοπούλου",
    "father_name": "Γεώργιος",
    "mother_name": "Ελένη",
    "birth_date": "1985-03-27",
}


def test_exact_match_verifies_the_resident_at_once(
    client: Client,
    citizen: User,
    registry_person: Person,
    django_capture_on_commit_callbacks: object,
) -> None:
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/registry/resident/", {**CLAIM, "first_name": "ΜΑΡΙΑ"})
    assert response.status_code == 302
    assert response["Location"] == "/registry/resident/status/"
    claim = ResidencyClaim.objects.get(account=citizen)
    assert claim.status == ResidencyClaim.Status.APPROVED and claim.automatic
    registry_person.refresh_from_db()
    assert registry_person.account == citizen
    citizen = User.objects.get(pk=citizen.pk)
    assert citizen.is_resident and "resident" in citizen.roles()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]
    assert AuditEvent.objects.filter(action="residency.approved", subject=citizen).exists()
    page = client.get("/registry/resident/status/").content.decode()
    assert "Έχετε επιβεβαιωθεί ως δημότης" in page


def test_mismatch_goes_to_the_clerk_and_changes_no_role(
    client: Client, citizen: User, registry_person: Person
) -> None:
    client.force_login(citizen)
    client.post("/registry/resident/", {**CLAIM, "birth_date": "1985-03-28"})
    claim = ResidencyClaim.objects.get(account=citizen)
    assert claim.status == ResidencyClaim.Status.PENDING
    citizen.refresh_from_db()
    assert not citizen.is_resident
    registry_person.refresh_from_db()
    assert registry_person.account is None
    page = client.get("/registry/resident/status/").content.decode()
    assert "Ένας υπάλληλος θα ελέγξει τα στοιχεία σας" in page


def test_a_registry_person_already_linked_is_not_matched_again(
    client: Client, citizen: User, other_resident: User, registry_person: Person
) -> None:
    registry_person.account = other_resident
    registry_person.save()
    client.force_login(citizen)
    client.post("/registry/resident/", CLAIM)
    assert ResidencyClaim.objects.get(account=citizen).status == ResidencyClaim.Status.PENDING
    citizen.refresh_from_db()
    assert not citizen.is_resident


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amka", "12345678901", "ΑΜΚΑ"),
        ("amka", "", "ΑΜΚΑ"),
        ("family_number", "", "μερίδας"),
        ("father_name", "", "πατέρα"),
        ("birth_date", "31/02/1985", "ημερομηνία γέννησης"),
    ],
)
def test_bad_claim_input_is_refused_in_greek(
    client: Client, citizen: User, field: str, value: str, message: str
) -> None:
    client.force_login(citizen)
    response = client.post("/registry/resident/", {**CLAIM, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Υπάρχει πρόβλημα" in page
    assert message in page
    assert not ResidencyClaim.objects.exists()


def test_a_second_claim_while_one_is_pending_is_not_possible(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    client.post("/registry/resident/", CLAIM)
    response = client.post("/registry/resident/", CLAIM)
    assert response.status_code == 302
    assert ResidencyClaim.objects.count() == 1


def test_claim_form_needs_login(client: Client, db: None) -> None:
    assert client.get("/registry/resident/").status_code == 302


def pending_claim(client: Client, citizen: User) -> ResidencyClaim:
    client.force_login(citizen)
    client.post("/registry/resident/", {**CLAIM, "birth_date": "1985-03-28"})
    client.logout()
    return ResidencyClaim.objects.get(account=citizen)


def test_clerk_links_the_claim_to_the_registry_person(
    client: Client,
    citizen: User,
    registry_person: Person,
    clerk: User,
    client_for: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    claim = pending_claim(client, citizen)
    staff = client_for(clerk)  # type: ignore[operator]
    assert "Παπαδοπούλου" in staff.get("/registry/staff/claims/").content.decode()
    url = f"/registry/staff/claims/{claim.pk}/"
    page = staff.get(url).content.decode()
    assert f'value="{registry_person.pk}"' in page
    assert AuditEvent.objects.filter(action="residency.viewed", actor=clerk).exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = staff.post(url, {"decision": "approve", "person": registry_person.pk})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ResidencyClaim.Status.APPROVED and claim.decided_by == clerk
    assert User.objects.get(pk=citizen.pk).is_resident
    assert len(mail.outbox) == 1


def test_clerk_must_choose_a_person_to_approve(
    client: Client, citizen: User, registry_person: Person, clerk: User, client_for: object
) -> None:
    claim = pending_claim(client, citizen)
    staff = client_for(clerk)  # type: ignore[operator]
    response = staff.post(f"/registry/staff/claims/{claim.pk}/", {"decision": "approve"})
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == ResidencyClaim.Status.PENDING


def test_clerk_cannot_link_a_person_outside_the_candidates(
    client: Client, citizen: User, registry_person: Person, clerk: User, client_for: object
) -> None:
    claim = pending_claim(client, citizen)
    stranger = Person.objects.create(
        family=registry_person.family.__class__.objects.create(number="9999"),
        first_name="Άλλος",
        last_name="Κάποιος",
        birth_date=date(1950, 1, 1),
    )
    staff = client_for(clerk)  # type: ignore[operator]
    response = staff.post(
        f"/registry/staff/claims/{claim.pk}/", {"decision": "approve", "person": stranger.pk}
    )
    assert response.status_code == 200
    stranger.refresh_from_db()
    assert stranger.account is None


def test_clerk_rejects_with_reason_and_person_may_try_again(
    client: Client,
    citizen: User,
    registry_person: Person,
    clerk: User,
    client_for: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    claim = pending_claim(client, citizen)
    staff = client_for(clerk)  # type: ignore[operator]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        staff.post(
            f"/registry/staff/claims/{claim.pk}/",
            {"decision": "reject", "reason": "Δεν βρέθηκε εγγραφή με αυτά τα στοιχεία."},
        )
    claim.refresh_from_db()
    assert claim.status == ResidencyClaim.Status.REJECTED
    assert "Δεν βρέθηκε εγγραφή" in mail.outbox[0].body
    staff.logout()
    client.force_login(citizen)
    page = client.get("/registry/resident/").content.decode()
    assert "Δεν βρέθηκε εγγραφή" in page
    client.post("/registry/resident/", CLAIM)
    assert ResidencyClaim.objects.filter(account=citizen).count() == 2
    assert User.objects.get(pk=citizen.pk).is_resident


def test_citizen_cannot_open_the_claims_queue(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    assert client.get("/registry/staff/claims/").status_code == 403


def test_person_sees_which_staff_member_looked_at_their_claim(
    client: Client, citizen: User, registry_person: Person, clerk: User, client_for: object
) -> None:
    claim = pending_claim(client, citizen)
    staff = client_for(clerk)  # type: ignore[operator]
    staff.get(f"/registry/staff/claims/{claim.pk}/")
    staff.logout()
    client.force_login(citizen)
    page = client.get("/accounts/me/").content.decode()
    assert clerk.get_full_name() in page
    assert "Είδε το αίτημά σας για επιβεβαίωση ως δημότη" in page


def test_person_sees_that_staff_looked_at_their_registry_entry(
    client: Client,
    citizen: User,
    resident: User,
    registry_person: Person,
    clerk: User,
    client_for: object,
) -> None:
    # The resident's registry entry is a candidate for another person's claim to the same μερίδα.
    registry_person.account = resident
    registry_person.save()
    claim = ResidencyClaim.objects.create(account=citizen, **{**CLAIM, "amka": "01018012345"})
    staff = client_for(clerk)  # type: ignore[operator]
    assert staff.get(f"/registry/staff/claims/{claim.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="registry_person.viewed")
    assert event.subject == resident and event.actor == clerk
    staff.logout()
    client.force_login(resident)
    page = client.get("/accounts/me/").content.decode()
    assert "Είδε την εγγραφή σας στο Δημοτολόγιο" in page
