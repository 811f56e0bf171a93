"""The fee types and rates every municipality starts from (data migration 0002 and tests).

Rates per square metre are examples from neighbouring municipalities' council decisions:
each municipality replaces them with its own in the admin before going live.
"""

from typing import Any

COUNCIL_EXAMPLE = "Παράδειγμα (Φλώρινα, Τριφυλία): αντικαταστήστε με απόφαση του Δ.Σ."
RECEIPTS_SOURCE = "άρθρο 20 ν.2539/1997, όπως αντικαταστάθηκε με το άρθρο 23 §2 ν.3756/2009"

# code, name, legal source, basis, rate_bp, categories, self_declared, deadline,
# surcharge bp/month, unauthorised multiplier, position
FEE_TYPES: list[tuple[Any, ...]] = [
    (
        "food-drink-receipts",
        "Τέλος 0,5% επί των ακαθάριστων εσόδων καταστημάτων εστίασης",
        RECEIPTS_SOURCE,
        "receipts",
        50,
        ["food-drink"],
        True,
        "vat",
        200,
        0,
        1,
    ),
    (
        "night-club-receipts",
        "Τέλος 5% επί των ακαθάριστων εσόδων κέντρων διασκέδασης",
        RECEIPTS_SOURCE,
        "receipts",
        500,
        ["night-club"],
        True,
        "vat",
        200,
        0,
        2,
    ),
    (
        "hotel-stay",
        "Τέλος διαμονής παρεπιδημούντων 0,5%",
        "άρθρο 1 ν.339/1976, άρθρο 6 ν.1080/1980, άρθρο 27 §10 ν.2130/1993, άρθρο 23 ν.3756/2009",
        "receipts",
        50,
        ["accommodation"],
        True,
        "vat",
        200,
        0,
        3,
    ),
    (
        "public-space",
        "Τέλος χρήσης κοινόχρηστων χώρων",
        "άρθρο 13 Β.Δ. 24.9/20.10.1958 (ν.1828/1989); αυθαίρετη χρήση: τέλος και πρόστιμο "
        "τριπλάσιο του τέλους, άρθρο 31 ν.5143/2024",
        "area",
        0,
        [],
        True,
        "notice",
        0,
        3,
        4,
    ),
    (
        "advertising",
        "Τέλος διαφήμισης",
        "άρθρο 15 ν.2880/2001",
        "area",
        0,
        [],
        False,
        "notice",
        0,
        0,
        5,
    ),
]
# fee type, code, name, cents per m² per unit, unit
RATES = [
    ("public-space", "zone-a", "Ζώνη Α: πεζόδρομοι και πλατείες, τραπεζοκαθίσματα", 508, "month"),
    ("public-space", "zone-b", "Ζώνη Β: λοιποί δρόμοι, τραπεζοκαθίσματα", 325, "month"),
    ("public-space", "materials", "Οικοδομικά υλικά και σκαλωσιές", 3000, "month"),
    ("advertising", "sign", "Σταθερή επιγραφή", 5180, "year"),
    ("advertising", "frame", "Πλαίσιο ή πίνακας σε κοινόχρηστο χώρο", 25, "week"),
]


def seed(apps: Any) -> None:
    """Create what is missing; never overwrite what a municipality has changed."""
    FeeType = apps.get_model("business_tax", "FeeType")
    AreaRate = apps.get_model("business_tax", "AreaRate")
    ActivityCategory = apps.get_model("accounts", "ActivityCategory")
    for code, name, source, basis, rate, cats, declared, deadline, sur, mult, pos in FEE_TYPES:
        fee_type, created = FeeType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_source": source,
                "basis": basis,
                "rate_bp": rate,
                "self_declared": declared,
                "deadline_rule": deadline,
                "surcharge_bp_per_month": sur,
                "surcharge_cap_bp": 10000,
                "unauthorised_multiplier": mult,
                "position": pos,
            },
        )
        if created:
            fee_type.categories.set(ActivityCategory.objects.filter(code__in=cats))
    for fee_code, code, name, cents, unit in RATES:
        AreaRate.objects.get_or_create(
            fee_type=FeeType.objects.get(code=fee_code),
            code=code,
            defaults={
                "name": name,
                "cents_per_unit": cents,
                "unit": unit,
                "council_decision": COUNCIL_EXAMPLE,
            },
        )
