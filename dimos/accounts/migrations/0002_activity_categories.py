from django.db import migrations

# Reference data every municipality needs from day one; staff can edit it in the admin.
# The municipal fees that follow from each category (ν.2539/1997 art. 20 etc.) come with the
# business tax service.
CATEGORIES = [
    ("food-drink", "Εστίαση (φαγητό και ποτό)"),
    ("night-club", "Κέντρα διασκέδασης και παρόμοια"),
    ("accommodation", "Ξενοδοχεία και καταλύματα"),
    ("retail", "Λιανικό εμπόριο"),
    ("services", "Παροχή υπηρεσιών"),
    ("construction", "Κατασκευές και τεχνικά έργα"),
    ("other", "Άλλη δραστηριότητα"),
]


def add_categories(apps, schema_editor):
    ActivityCategory = apps.get_model("accounts", "ActivityCategory")
    for code, name in CATEGORIES:
        ActivityCategory.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
