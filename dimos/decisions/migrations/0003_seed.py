"""The bodies of a municipality after ν.5056/2023, and Diavgeia's decision types.

Type labels as in the reference (§1.4); the harvester refreshes them from `GET /types`.
"""

from django.db import migrations

BODIES = [
    ("dimotiko-symvoulio", "Δημοτικό Συμβούλιο", "Dimotiko Symvoulio"),
    ("dimotiki-epitropi", "Δημοτική Επιτροπή", "Dimotiki Epitropi"),
    ("dimarchos", "Δήμαρχος", "Dimarchos"),
    ("ektelestiki-epitropi", "Εκτελεστική Επιτροπή", "Ektelestiki Epitropi"),
]
TYPES = [
    ("Α.2", "ΚΑΝΟΝΙΣΤΙΚΗ ΠΡΑΞΗ"),
    ("Α.3", "ΕΓΚΥΚΛΙΟΣ"),
    ("Β.1.1", "ΕΓΚΡΙΣΗ ΠΡΟΫΠΟΛΟΓΙΣΜΟΥ"),
    ("Β.1.3", "ΑΝΑΛΗΨΗ ΥΠΟΧΡΕΩΣΗΣ"),
    ("Β.2.1", "ΕΓΚΡΙΣΗ ΔΑΠΑΝΗΣ"),
    ("Β.2.2", "ΟΡΙΣΤΙΚΟΠΟΙΗΣΗ ΠΛΗΡΩΜΗΣ"),
    ("Β.3", "ΙΣΟΛΟΓΙΣΜΟΣ – ΑΠΟΛΟΓΙΣΜΟΣ"),
    ("Β.4", "ΔΩΡΕΑ – ΕΠΙΧΟΡΗΓΗΣΗ"),
    ("Β.5", "ΠΑΡΑΧΩΡΗΣΗ ΧΡΗΣΗΣ ΠΕΡΙΟΥΣΙΑΚΩΝ ΣΤΟΙΧΕΙΩΝ"),
    ("Β.6", "ΠΡΟΓΡΑΜΜΑΤΙΚΗ ΣΥΜΦΩΝΙΑ"),
    ("Γ.2", "ΠΡΑΞΗ ΠΟΥ ΑΦΟΡΑ ΣΕ ΣΥΛΛΟΓΙΚΟ ΟΡΓΑΝΟ"),
    ("Δ.1", "ΑΝΑΘΕΣΗ ΕΡΓΩΝ / ΠΡΟΜΗΘΕΙΩΝ / ΥΠΗΡΕΣΙΩΝ / ΜΕΛΕΤΩΝ"),
    ("Δ.2.1", "ΠΕΡΙΛΗΨΗ ΔΙΑΚΗΡΥΞΗΣ"),
    ("Δ.2.2", "ΚΑΤΑΚΥΡΩΣΗ"),
    ("2.4.6.1", "ΠΡΑΞΗ ΧΩΡΟΤΑΞΙΚΟΥ – ΠΟΛΕΟΔΟΜΙΚΟΥ ΠΕΡΙΕΧΟΜΕΝΟΥ"),
    ("2.4.7.1", "ΛΟΙΠΕΣ ΑΤΟΜΙΚΕΣ ΔΙΟΙΚΗΤΙΚΕΣ ΠΡΑΞΕΙΣ"),
]


def seed(apps, schema_editor):
    Body = apps.get_model("decisions", "Body")
    DecisionType = apps.get_model("decisions", "DecisionType")
    for position, (code, name, latin) in enumerate(BODIES):
        Body.objects.get_or_create(
            code=code, defaults={"name": name, "name_latin": latin, "position": position}
        )
    for code, label in TYPES:
        DecisionType.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_postgresql_search")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
