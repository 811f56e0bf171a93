"""Fixtures of the municipal tax: the seeded fees (transactional tests flush them, so they
are re-created here), a clerk allowed to handle the tax, and a second business."""

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from dimos.accounts.models import ActivityCategory, Business, Representation, User
from dimos.business_tax.models import FeeType, TaxProfile
from dimos.business_tax.seed import seed
from dimos.testing import PDF_BYTES, make_person, make_staff

CATEGORIES = [
    ("food-drink", "Εστίαση (φαγητό και ποτό)"),
    ("night-club", "Κέντρα διασκέδασης και παρόμοια"),
    ("accommodation", "Ξενοδοχεία και καταλύματα"),
    ("retail", "Λιανικό εμπόριο"),
]


@pytest.fixture
def fees(db: None) -> dict[str, FeeType]:
    for code, name in CATEGORIES:
        ActivityCategory.objects.get_or_create(code=code, defaults={"name": name})
    seed(apps)
    return {f.code: f for f in FeeType.objects.all()}


@pytest.fixture
def profile(business: Business, fees: Any) -> TaxProfile:
    return TaxProfile.objects.create(business=business, declares_from=date(2025, 1, 1))


@pytest.fixture
def tax_clerk(db: None) -> User:
    clerk = make_staff("tax@example.gr", "revenue")
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="business_tax", codename="change_debt")
    )
    return clerk


def represent(person: User, business: Business, status: str = "approved") -> Representation:
    r = Representation(
        person=person, business=business, proof_content_type="application/pdf", status=status
    )
    r.proof.save("proof.pdf", ContentFile(PDF_BYTES), save=False)
    r.save()
    return r


@pytest.fixture
def other_business(fees: Any) -> Business:
    return Business.objects.create(
        afm="090000045",
        legal_name="Νυχτερινό Κέντρο Αστέρι Α.Ε.",
        address="Ερμού 1, Κοζάνη",
        activity_category=ActivityCategory.objects.get(code="night-club"),
    )


@pytest.fixture
def other_representative(other_business: Business) -> User:
    person = make_person("other-rep@example.gr", first_name="Ελένη", last_name="Ράπτη")
    represent(person, other_business)
    return person
