"""A dozen believable decisions of the municipality's bodies, with small Greek PDFs.

The subjects are typical of a Greek municipal council; the ΑΔΑ are made up (Diavgeia's
pattern) and point nowhere real. Idempotent: a decision that exists is left as it is.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import timezone

from dimos.accounts.demo import staff_group
from dimos.decisions import actions, samples
from dimos.decisions.models import Body, Decision, DecisionType, ThematicCategory

CATEGORIES = [
    ("demo-oikonomia", "Οικονομία και προϋπολογισμός (επίδειξη)"),
    ("demo-perivallon", "Περιβάλλον και καθαριότητα (επίδειξη)"),
    ("demo-erga", "Τεχνικά έργα (επίδειξη)"),
    ("demo-koinonia", "Κοινωνική πολιτική και παιδεία (επίδειξη)"),
]
# (body, serial, days before today, type, categories, subject, paragraphs)
DECISIONS: list[tuple[str, int, int, str, list[str], str, list[str]]] = [
    (
        "dimotiko-symvoulio",
        12,
        400,
        "Β.1.1",
        ["demo-oikonomia"],
        "Ψήφιση του προϋπολογισμού του Δήμου οικονομικού έτους {year}",
        [
            "Το Δημοτικό Συμβούλιο, αφού έλαβε υπόψη την εισήγηση της Οικονομικής Υπηρεσίας "
            "και τη γνώμη της Δημοτικής Επιτροπής, ψηφίζει τον προϋπολογισμό του Δήμου.",
            "Τα έσοδα και τα έξοδα ισοσκελίζονται. Η απόφαση πάρθηκε κατά πλειοψηφία.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        27,
        330,
        "2.4.7.1",
        ["demo-perivallon"],
        "Έγκριση του τοπικού σχεδίου διαχείρισης αποβλήτων",
        [
            "Εγκρίνεται το τοπικό σχέδιο διαχείρισης αποβλήτων με στόχο την αύξηση της "
            "ανακύκλωσης και τη χωριστή συλλογή βιοαποβλήτων σε όλες τις δημοτικές ενότητες.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        41,
        280,
        "Δ.1",
        ["demo-erga"],
        "Έγκριση μελέτης για την ανακατασκευή της κεντρικής πλατείας",
        [
            "Εγκρίνεται η μελέτη της Τεχνικής Υπηρεσίας για την ανακατασκευή της κεντρικής "
            "πλατείας, με προϋπολογισμό 850.000 ευρώ, από πόρους του προγράμματος ΑΝΤΩΝΗΣ "
            "ΤΡΙΤΣΗΣ.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        58,
        220,
        "Α.2",
        ["demo-perivallon"],
        "Τροποποίηση του κανονισμού καθαριότητας και ανακύκλωσης",
        [
            "Τροποποιείται ο κανονισμός καθαριότητας: οι κάδοι τοποθετούνται μετά τις 20:00 "
            "και τα ογκώδη αντικείμενα συλλέγονται κατόπιν ραντεβού.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        73,
        170,
        "Β.5",
        ["demo-oikonomia"],
        "Παραχώρηση χρήσης κοινόχρηστου χώρου σε καταστήματα υγειονομικού ενδιαφέροντος",
        [
            "Καθορίζονται οι χώροι και τα τέλη για την παραχώρηση χρήσης πεζοδρομίων σε "
            "καταστήματα υγειονομικού ενδιαφέροντος για τραπεζοκαθίσματα.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        88,
        120,
        "Β.6",
        ["demo-koinonia"],
        "Προγραμματική σύμβαση με την Περιφέρεια για τη συντήρηση σχολικών κτιρίων",
        [
            "Εγκρίνεται η σύναψη προγραμματικής σύμβασης με την Περιφέρεια για τη συντήρηση "
            "των σχολικών κτιρίων πρωτοβάθμιας και δευτεροβάθμιας εκπαίδευσης.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        102,
        60,
        "Β.4",
        ["demo-koinonia"],
        "Αποδοχή δωρεάς εξοπλισμού για το Κοινωνικό Παντοπωλείο",
        [
            "Το Δημοτικό Συμβούλιο αποδέχεται ευχαριστώντας τη δωρεά ψυγείων και ραφιών για "
            "το Κοινωνικό Παντοπωλείο του Δήμου.",
        ],
    ),
    (
        "dimotiko-symvoulio",
        115,
        20,
        "2.4.7.1",
        ["demo-erga"],
        "Ονοματοδοσία οδών στη νέα επέκταση του σχεδίου πόλης",
        [
            "Δίνονται ονόματα σε έξι νέες οδούς της επέκτασης του σχεδίου πόλης, μετά από "
            "γνώμη των συμβουλίων των δημοτικών κοινοτήτων.",
        ],
    ),
    (
        "dimotiki-epitropi",
        210,
        300,
        "Β.2.1",
        ["demo-oikonomia"],
        "Έγκριση δαπάνης για την προμήθεια καυσίμων των οχημάτων του Δήμου",
        [
            "Εγκρίνεται η δαπάνη και διατίθεται η πίστωση για την προμήθεια καυσίμων κίνησης "
            "των οχημάτων καθαριότητας και των σχολικών λεωφορείων.",
        ],
    ),
    (
        "dimotiki-epitropi",
        245,
        150,
        "Δ.2.2",
        ["demo-erga"],
        "Κατακύρωση του διαγωνισμού για την ασφαλτόστρωση αγροτικών δρόμων",
        [
            "Κατακυρώνεται το αποτέλεσμα του ανοικτού διαγωνισμού για την ασφαλτόστρωση "
            "αγροτικών δρόμων στον μειοδότη με έκπτωση 31%.",
        ],
    ),
    (
        "dimotiki-epitropi",
        280,
        45,
        "Β.1.3",
        ["demo-oikonomia"],
        "Ανάληψη υποχρέωσης για τη συντήρηση του δημοτικού φωτισμού",
        [
            "Εγκρίνεται η ανάληψη υποχρέωσης για τη συντήρηση και την αντικατάσταση λαμπτήρων "
            "του δημοτικού φωτισμού με λαμπτήρες LED.",
        ],
    ),
    (
        "dimarchos",
        530,
        10,
        "2.4.7.1",
        ["demo-koinonia"],
        "Ορισμός αντιδημάρχων και μεταβίβαση αρμοδιοτήτων",
        [
            "Ο Δήμαρχος ορίζει αντιδημάρχους και τους μεταβιβάζει αρμοδιότητες καθ' ύλην "
            "και κατά τόπο, σύμφωνα με τον νόμο.",
        ],
    ),
]
_ADA_LETTERS = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"


def demo_ada(index: int) -> str:
    letters = [_ADA_LETTERS[(index * 7 + k * 3) % len(_ADA_LETTERS)] for k in range(4)]
    return f"{letters[0]}{letters[1]}{index:02d}ΩΚ{letters[2]}-{letters[3]}Δ{index % 10}"


def load(out: Any) -> None:
    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="decisions",
            codename__in=["add_decision", "change_decision", "view_decision"],
        )
    )
    categories = {
        code: ThematicCategory.objects.get_or_create(code=code, defaults={"label": label})[0]
        for code, label in CATEGORIES
    }
    today = timezone.localdate()
    created = 0
    for index, (body_code, serial, days, type_code, cats, subject, paragraphs) in enumerate(
        DECISIONS, start=1
    ):
        body = Body.objects.get(code=body_code)
        decided = today - timedelta(days=days)
        subject = subject.format(year=decided.year + 1)
        number = f"{serial}/{decided.year}"
        if Decision.objects.filter(body=body, year=decided.year, serial=serial).exists():
            continue
        ada = demo_ada(index)
        pdf = samples.decision_pdf(number, body.name, subject, decided, paragraphs, ada=ada)
        decision = actions.do_publish_decision(
            actions.DecisionData(
                body=body,
                protocol_number=number,
                subject=subject,
                decision_date=decided,
                meeting_date=decided,
                decision_type=DecisionType.objects.filter(code=type_code).first(),
                categories=[categories[c] for c in cats],
                ada=ada,
            ),
            pdf,
            source="demo",
        )
        actions.do_store_extracted_text(decision.pk)  # searchable now, not when a worker runs
        created += 1
    out.write(
        f"Decisions: {created} new of {len(DECISIONS)} for {settings.DIMOS_MUNICIPALITY['name']}"
    )
