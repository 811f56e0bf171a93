from django.db import migrations


def add_fee_types(apps, schema_editor):
    from dimos.business_tax.seed import seed

    seed(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("business_tax", "0001_initial"),
        ("accounts", "0002_activity_categories"),
    ]
    operations = [migrations.RunPython(add_fee_types, migrations.RunPython.noop)]
