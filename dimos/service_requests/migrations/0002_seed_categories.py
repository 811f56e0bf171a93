from django.db import migrations

# The five matters of the seed (Kozani's help page); staff rename, add and retire them in the
# admin and set each one's department and answer deadline.
DEPARTMENTS = {
    "registry": "Τμήμα Δημοτολογίου και Ληξιαρχείου",
    "technical": "Τεχνική Υπηρεσία",
    "cleaning": "Υπηρεσία Καθαριότητας",
    "kep": "Κέντρο Εξυπηρέτησης Πολιτών",
}
CATEGORIES = [
    # code, name, department, asks for a location, description
    ("certificates", "Έκδοση πιστοποιητικών", "registry", False,
     "Αιτήματα για την έκδοση πιστοποιητικών και βεβαιώσεων του δήμου."),
    ("street-lighting", "Ηλεκτροφωτισμός", "technical", True,
     "Σβηστές ή χαλασμένες λάμπες, κολόνες και φωτιστικά σώματα."),
    ("cleaning", "Καθαριότητα", "cleaning", True,
     "Αποκομιδή απορριμμάτων, κάδοι, ογκώδη αντικείμενα, καθαρισμός δρόμων και πλατειών."),
    ("roads", "Οδικό δίκτυο", "technical", True,
     "Λακκούβες, πεζοδρόμια, σήμανση και φθορές στους δρόμους του δήμου."),
    ("other", "Άλλα θέματα", "kep", False, "Ό,τι δεν ανήκει στις παραπάνω κατηγορίες."),
]


def seed(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    Category = apps.get_model("service_requests", "Category")
    for position, (code, name, department, located, description) in enumerate(CATEGORIES):
        dept, _ = Department.objects.get_or_create(
            code=department, defaults={"name": DEPARTMENTS[department]}
        )
        Category.objects.get_or_create(code=code, defaults={
            "name": name, "department": dept, "location_matters": located,
            "description": description, "position": position,
        })


class Migration(migrations.Migration):
    dependencies = [("service_requests", "0001_initial"), ("accounts", "0002_activity_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
