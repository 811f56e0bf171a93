"""Demo registry: a few families of the municipality; one verified resident, one pending."""

from datetime import date
from typing import Any

from stdnum import luhn

from dimos.accounts.demo import demo_person
from dimos.accounts.models import SignupDoor
from dimos.registry.models import Family, Person, ResidencyClaim


def amka_for(birth: date, serial: int) -> str:
    """A valid ΑΜΚΑ: birth date DDMMYY, four digits, a Luhn check digit."""
    base = f"{birth:%d%m%y}{serial:04d}"
    return base + luhn.calc_check_digit(base)


# (μερίδα, unit, [(first, last, father, mother, birth date)])
FAMILIES = [
    (
        "1024",
        "Κοζάνης",
        [
            ("Μαρία", "Παπαδοπούλου", "Γεώργιος", "Ελένη", date(1985, 3, 27)),
            ("Δημήτριος", "Παπαδόπουλος", "Ιωάννης", "Σοφία", date(1982, 11, 5)),
            ("Ελένη", "Παπαδοπούλου", "Δημήτριος", "Μαρία", date(2012, 6, 14)),
        ],
    ),
    (
        "2177",
        "Κοζάνης",
        [
            ("Κωνσταντίνος", "Ζήσης", "Αθανάσιος", "Βασιλική", date(1970, 1, 30)),
            ("Αναστασία", "Ζήση", "Χρήστος", "Παρασκευή", date(1974, 9, 2)),
        ],
    ),
    (
        "3310",
        "Ελλησπόντου",
        [
            ("Σοφία", "Κυριακίδου", "Νικόλαος", "Αικατερίνη", date(1991, 4, 18)),
        ],
    ),
    (
        "4452",
        "Αιανής",
        [
            ("Ευάγγελος", "Τσιούμας", "Στέφανος", "Ευδοκία", date(1964, 12, 8)),
            ("Χρυσούλα", "Τσιούμα", "Λάζαρος", "Ζωή", date(1967, 7, 21)),
            ("Στέφανος", "Τσιούμας", "Ευάγγελος", "Χρυσούλα", date(1996, 2, 11)),
        ],
    ),
]


def load(out: Any) -> None:
    serial = 1
    for number, unit, members in FAMILIES:
        family, _ = Family.objects.get_or_create(number=number, defaults={"municipal_unit": unit})
        for first, last, father, mother, born in members:
            Person.objects.get_or_create(
                amka=amka_for(born, serial),
                defaults={
                    "family": family,
                    "first_name": first,
                    "last_name": last,
                    "father_name": father,
                    "mother_name": mother,
                    "birth_date": born,
                },
            )
            serial += 1

    maria = Person.objects.get(family__number="1024", first_name="Μαρία")
    resident = demo_person(
        "dimotis@example.gr", SignupDoor.RESIDENT, first_name="Μαρία", last_name="Παπαδοπούλου"
    )
    if not ResidencyClaim.objects.filter(account=resident).exists():
        ResidencyClaim.objects.create(
            account=resident,
            amka=maria.amka or "",
            family_number="1024",
            first_name="Μαρία",
            last_name="Παπαδοπούλου",
            father_name="Γεώργιος",
            mother_name="Ελένη",
            birth_date=maria.birth_date,
            status=ResidencyClaim.Status.APPROVED,
            person=maria,
        )
        maria.account = resident
        maria.save(update_fields=["account"])
        resident.resident_since = resident.date_joined
        resident.save(update_fields=["resident_since"])

    # A registration the clerk must decide: the birth date differs from the registry's.
    sofia = Person.objects.get(family__number="3310")
    pending = demo_person(
        "nea.dimotis@example.gr", SignupDoor.RESIDENT, first_name="Σοφία", last_name="Κυριακίδου"
    )
    ResidencyClaim.objects.get_or_create(
        account=pending,
        defaults={
            "amka": sofia.amka or "",
            "family_number": "3310",
            "first_name": "Σοφία",
            "last_name": "Κυριακίδου",
            "father_name": "Νικόλαος",
            "mother_name": "Αικατερίνη",
            "birth_date": date(1991, 4, 19),
        },
    )
