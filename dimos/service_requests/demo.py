"""Demo requests of the demo resident, ready answers, and the staff's permissions for them."""

from typing import Any

from django.contrib.auth.models import Permission

from dimos.accounts.demo import staff_group
from dimos.accounts.models import User
from dimos.service_requests import actions
from dimos.service_requests.models import Category, ResponseTemplate, ServiceRequest

TEMPLATES = [
    (
        "received",
        "Παραλαβή",
        "Το αίτημά σας παραλήφθηκε από την αρμόδια υπηρεσία και θα εξεταστεί το συντομότερο.",
    ),
    (
        "resolved",
        "Αποκατάσταση βλάβης φωτισμού",
        "Το συνεργείο ηλεκτροφωτισμού αποκατέστησε τη βλάβη. Ευχαριστούμε που μας ενημερώσατε.",
    ),
    (
        "waiting",
        "Χρειαζόμαστε φωτογραφία",
        "Για να εντοπίσουμε το σημείο, στείλτε μας μια φωτογραφία ή τον αριθμό της κολόνας.",
    ),
]
DEMO_REQUESTS = [
    (
        "complaint",
        "street-lighting",
        "Σβηστή λάμπα στην οδό Μακεδονίας",
        "Η λάμπα στην κολόνα έξω από το 12 είναι σβηστή εδώ και μια εβδομάδα.",
        "Μακεδονίας 12, Κοζάνη",
        ["received", "in_progress", "resolved"],
    ),
    (
        "complaint",
        "cleaning",
        "Γεμάτοι κάδοι στην πλατεία",
        "Οι κάδοι στη γωνία της πλατείας δεν έχουν αδειάσει από τη Δευτέρα.",
        "Πλατεία Νίκης, Κοζάνη",
        ["received"],
    ),
    (
        "request",
        "certificates",
        "Πιστοποιητικό οικογενειακής κατάστασης",
        "Χρειάζομαι πιστοποιητικό οικογενειακής κατάστασης για την εφορία.",
        "",
        [],
    ),
]


def load(out: Any) -> None:
    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="service_requests",
            codename__in=["change_servicerequest", "view_servicerequest"],
        )
    )
    for status, title, text in TEMPLATES:
        ResponseTemplate.objects.get_or_create(
            title=title, defaults={"status": status, "text": text}
        )
    resident = User.objects.get(email="dimotis@example.gr")
    clerk = User.objects.get(email="ypallilos@example.gr")
    if ServiceRequest.objects.filter(citizen=resident).exists():
        return
    for kind, code, subject, description, address, steps in DEMO_REQUESTS:
        service_request = actions.do_submit_request(
            resident,
            actions.Submission(
                kind=kind,
                category=Category.objects.get(code=code),
                subject=subject,
                description=description,
                address=address,
                notify_channel="email",
                notify_address=resident.email,
            ),
        )
        for status in steps:
            actions.do_change_status(service_request, clerk, status)
    out.write("\nDemo requests and complaints ready.")
