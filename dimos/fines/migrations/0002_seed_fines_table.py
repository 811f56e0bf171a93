"""The fines table of ν.5209/2025 art. 108 §5 and the payment rule of art. 107 (no discount)."""

from datetime import date

from django.db import migrations

IN_FORCE = date(2025, 6, 13)  # ΦΕΚ Α' 100/13.06.2025; art. 38 and 108 for parking at once
SOURCE = "ν.5209/2025 άρθ. 108 §5"
CATEGORIES = [
    # code, article, cents, licence days, plates days, source
    ("Ε1-Α", "", 3000, 0, 0, SOURCE),
    ("Ε1-Β", "", 3000, 10, 0, SOURCE),
    ("Ε2-Α", "", 15000, 0, 0, SOURCE),
    ("Ε2-Β", "", 15000, 20, 0, SOURCE),
    ("Ε3-Α", "", 35000, 0, 0, SOURCE),
    ("Ε3-Β", "", 35000, 30, 30, SOURCE + ", άρθ. 106 §1"),
    ("Ε4", "38§2δ", 120000, 60, 0, "ν.5209/2025 άρθ. 38 §2δ, 108 §5"),
]


def seed(apps, schema_editor):
    FineCategory = apps.get_model("fines", "FineCategory")
    PaymentPolicy = apps.get_model("fines", "PaymentPolicy")
    for code, article, cents, licence, plates, source in CATEGORIES:
        FineCategory.objects.get_or_create(
            code=code,
            article=article,
            valid_from=IN_FORCE,
            defaults={
                "amount_cents": cents,
                "licence_days": licence,
                "plates_days": plates,
                "legal_source": source,
            },
        )
    PaymentPolicy.objects.get_or_create(
        name="ΚΟΚ ν.5209/2025: 2 μήνες, χωρίς έκπτωση",
        defaults={
            "legal_source": "ν.5209/2025 άρθ. 107 §3 και §7· ν.4530/2018 άρθ. 28 §7 (κατάργηση έκπτωσης)",
            "valid_from": IN_FORCE,
            "payment_months": 2,
            "discount_percent": 0,
            "discount_days": 0,
            "interest_bp_per_month": 73,
            "interest_counting": "month",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("fines", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
