"""Demo people: one per door, and a member of staff with a known TOTP secret (README)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile

from dimos.accounts.models import (
    ActivityCategory,
    Business,
    Department,
    Representation,
    SignupDoor,
    User,
)

DEMO_PASSWORD = "Dimos-demo-2026"  # noqa: S105 — published in README, demo data only
STAFF_TOTP_SECRET = "DIMOSDEMOSTAFFTOTPSECRETKOZANIAA"  # noqa: S105 — idem
STAFF_GROUP = "Υπάλληλοι εξυπηρέτησης"

DEPARTMENTS = [
    ("registry", "Τμήμα Δημοτολογίου και Ληξιαρχείου"),
    ("revenue", "Τμήμα Εσόδων"),
    ("technical", "Τεχνική Υπηρεσία"),
    ("cleaning", "Υπηρεσία Καθαριότητας"),
    ("police", "Δημοτική Αστυνομία"),
    ("kep", "Κέντρο Εξυπηρέτησης Πολιτών"),
]
STAFF_PERMISSIONS = [
    ("accounts", "change_representation"),
    ("accounts", "view_representation"),
    ("registry", "change_residencyclaim"),
    ("registry", "view_residencyclaim"),
    ("notifications", "view_notification"),
    ("notifications", "change_notification"),
    ("notifications", "change_callbacktask"),
]

# A minimal one-page PDF, the demo business's "proof of representation".
DEMO_PROOF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_person(email: str, door: str, **fields: Any) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"signup_door": door, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def staff_group() -> Group:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    for app_label, codename in STAFF_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


def load(out: Any) -> None:
    departments = [
        Department.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in DEPARTMENTS
    ]
    demo_person(
        "politis@example.gr",
        SignupDoor.CITIZEN,
        first_name="Νίκος",
        last_name="Αθανασίου",
        mobile="6912345678",
    )
    demo_person(
        "dimotis@example.gr",
        SignupDoor.RESIDENT,
        first_name="Μαρία",
        last_name="Παπαδοπούλου",
        father_name="Γεώργιος",
        mother_name="Ελένη",
    )

    owner = demo_person(
        "epixeirisi@example.gr", SignupDoor.BUSINESS, first_name="Γιάννης", last_name="Καραγιάννης"
    )
    business, _ = Business.objects.get_or_create(
        afm="094014201",
        defaults={
            "legal_name": "Καφέ Το Πλατάνι Ο.Ε.",
            "address": "Πλατεία Νίκης 12, 50100 Κοζάνη",
            "activity_category": ActivityCategory.objects.get(code="food-drink"),
        },
    )
    if not Representation.objects.filter(person=owner, business=business).exists():
        representation = Representation(
            person=owner,
            business=business,
            proof_content_type="application/pdf",
            status=Representation.Status.APPROVED,
        )
        representation.proof.save("proof.pdf", ContentFile(DEMO_PROOF), save=False)
        representation.save()

    clerk = demo_person(
        "ypallilos@example.gr",
        SignupDoor.CITIZEN,
        first_name="Αικατερίνη",
        last_name="Δημητρίου",
        is_staff=True,
    )
    clerk.departments.add(*departments)
    clerk.groups.add(staff_group())
    Authenticator.objects.get_or_create(
        user=clerk,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": encrypt(STAFF_TOTP_SECRET)}},
    )
    out.write(
        f"Demo accounts ready; password {DEMO_PASSWORD}. Staff ypallilos@example.gr "
        f"TOTP secret: {STAFF_TOTP_SECRET}"
    )
