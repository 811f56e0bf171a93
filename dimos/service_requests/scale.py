"""Scale data of requests and complaints: about 1.5 per resident over five years, numbered
gapless per year in the order they were filed (the protocol counter left at the last one),
each with its public timeline (submitted → received/in progress → answered)."""

import datetime as dt
import random
from collections import Counter as Tally
from collections.abc import Sequence
from itertools import accumulate

from django.utils import timezone

from dimos.accounts.models import Department
from dimos.core import scale
from dimos.service_requests import rules
from dimos.service_requests.actions import PROTOCOL_SERIES
from dimos.service_requests.models import Category, ServiceRequest, TimelineEntry

REQUESTS_PER_RESIDENT = 1.5
FIXTURE_REQUESTS = 20  # "my requests" of the benchmark's resident: exactly 20 rows
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OPEN311_SERVICE = "street-lighting"
# (subject, description) per category code: what people of Kozani write.
MATTERS = {
    "street-lighting": [
        ("Σβηστή λάμπα στην οδό {street}", "Η λάμπα στην κολόνα έξω από το {n} είναι σβηστή "
         "εδώ και μια εβδομάδα και ο δρόμος είναι σκοτεινός."),
        ("Κολόνα φωτισμού που αναβοσβήνει", "Το φωτιστικό στη γωνία της οδού {street} "
         "αναβοσβήνει όλη τη νύχτα."),
        ("Χτυπημένη κολόνα ηλεκτροφωτισμού", "Αυτοκίνητο χτύπησε την κολόνα στην οδό {street} "
         "και γέρνει επικίνδυνα προς το πεζοδρόμιο."),
    ],
    "cleaning": [
        ("Γεμάτοι κάδοι στην οδό {street}", "Οι κάδοι απορριμμάτων έξω από το {n} δεν έχουν "
         "αδειάσει από τη Δευτέρα και μυρίζουν."),
        ("Ογκώδη αντικείμενα στο πεζοδρόμιο", "Παρακαλώ για αποκομιδή ενός παλιού καναπέ και "
         "ενός στρώματος από την οδό {street} {n}."),
        ("Καθαρισμός πλατείας", "Η πλατεία κοντά στην οδό {street} χρειάζεται καθαρισμό από "
         "φύλλα και σκουπίδια."),
    ],
    "roads": [
        ("Λακκούβα στην οδό {street}", "Μεγάλη λακκούβα στο οδόστρωμα μπροστά από το {n}, "
         "επικίνδυνη για δίκυκλα."),
        ("Σπασμένες πλάκες πεζοδρομίου", "Οι πλάκες του πεζοδρομίου στην οδό {street} είναι "
         "σπασμένες και σκοντάφτουν οι πεζοί."),
        ("Πεσμένη πινακίδα STOP", "Η πινακίδα STOP στη διασταύρωση της οδού {street} έχει "
         "πέσει."),
    ],
    "certificates": [
        ("Πιστοποιητικό οικογενειακής κατάστασης", "Χρειάζομαι πιστοποιητικό οικογενειακής "
         "κατάστασης για την εφορία."),
        ("Πιστοποιητικό εγγυτέρων συγγενών", "Παρακαλώ για την έκδοση πιστοποιητικού "
         "εγγυτέρων συγγενών για κληρονομιά."),
        ("Βεβαίωση μόνιμης κατοικίας", "Χρειάζομαι βεβαίωση μόνιμης κατοικίας για το σχολείο "
         "του παιδιού μου."),
    ],
    "other": [
        ("Αδέσποτα σκυλιά στη γειτονιά", "Μια αγέλη αδέσποτων σκύλων κυκλοφορεί στην οδό "
         "{street} και φοβούνται τα παιδιά."),
        ("Θόρυβος από κατάστημα", "Κατάστημα στην οδό {street} παίζει δυνατή μουσική μετά τα "
         "μεσάνυχτα."),
        ("Κλαδέματα δέντρων", "Τα δέντρα μπροστά από το {n} της οδού {street} ακουμπούν στα "
         "καλώδια και χρειάζονται κλάδεμα."),
    ],
}  # fmt: skip
ANSWERS: dict[str, str] = {
    rules.Status.RESOLVED: "Το θέμα αποκαταστάθηκε από το συνεργείο. Ευχαριστούμε που μας "
    "ενημερώσατε.",
    rules.Status.REJECTED: "Το αίτημα δεν αφορά αρμοδιότητα του Δήμου.",
    rules.Status.FORWARDED: "Το αίτημα διαβιβάστηκε στην αρμόδια Περιφέρεια Δυτικής Μακεδονίας.",
}
# What becomes of a request that is no longer new, and how often.
Weighted = tuple[list[str], list[int]]


def _weighted(pairs: Sequence[tuple[str, int]]) -> Weighted:
    """Values and their cumulative weights, computed once for random.choices."""
    return [v for v, _w in pairs], list(accumulate(w for _v, w in pairs))


OUTCOMES = [
    (rules.Status.RESOLVED, 78),
    (rules.Status.CLOSED, 8),
    (rules.Status.REJECTED, 6),
    (rules.Status.FORWARDED, 4),
    (rules.Status.IN_PROGRESS, 4),
]
RECENT_STATUSES = [
    (rules.Status.SUBMITTED, 30),
    (rules.Status.RECEIVED, 30),
    (rules.Status.IN_PROGRESS, 25),
    (rules.Status.WAITING_FOR_CITIZEN, 5),
    (rules.Status.RESOLVED, 10),
]
INTAKES = [("web", 85), ("phone", 7), ("counter", 6), ("email", 2)]
OUTCOME_CHOICES = _weighted(OUTCOMES)
RECENT_CHOICES = _weighted(RECENT_STATUSES)
INTAKE_CHOICES = _weighted(INTAKES)
KINDS = {"certificates": "request"}  # the others are mostly complaints


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(scale.ATHENS)


def _pick(rng: random.Random, weighted: Weighted) -> str:
    values, cumulative = weighted
    return rng.choices(values, cum_weights=cumulative)[0]


def _tracking_codes(rng: random.Random, count: int) -> list[str]:
    taken = set(ServiceRequest.objects.values_list("tracking_code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choices(TRACKING_ALPHABET, k=10))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def _steps(status: str, recent: bool) -> list[str]:
    """The timeline after «submitted» that ends in `status` (about three steps in all)."""
    if status == rules.Status.SUBMITTED:
        return []
    if status == rules.Status.RECEIVED:
        return [rules.Status.RECEIVED]
    if status in (rules.Status.IN_PROGRESS, rules.Status.WAITING_FOR_CITIZEN):
        return [rules.Status.RECEIVED, status]
    if status == rules.Status.CLOSED:
        return [rules.Status.IN_PROGRESS, rules.Status.RESOLVED, rules.Status.CLOSED]
    if status == rules.Status.RESOLVED and not recent:
        return [rules.Status.RECEIVED, rules.Status.IN_PROGRESS, rules.Status.RESOLVED]
    return [rules.Status.RECEIVED, status]


def generate(ctx: scale.ScaleContext) -> None:
    from dimos.accounts.scale import clerks_by_department

    rng = ctx.rng("requests")
    now = timezone.now()
    residents = scale.scale_accounts(ctx)
    people = scale.scale_accounts(ctx, residents_only=False)
    clerks = clerks_by_department(ctx)
    department_code = dict(Department.objects.values_list("pk", "code"))
    categories = list(Category.objects.filter(code__in=MATTERS).order_by("position"))
    weights = list(
        accumulate(
            30 if c.code in ("cleaning", "roads", "street-lighting") else 8 for c in categories
        )
    )
    total = round(ctx.residents * REQUESTS_PER_RESIDENT)
    special = residents[0]
    others = [p for p in people if p.pk != special.pk]
    citizens = [special] * FIXTURE_REQUESTS + rng.choices(others, k=total - FIXTURE_REQUESTS)

    five_years_ago = scale.years_ago(now, 5)
    drafts = []
    for citizen in citizens:
        start = max(citizen.joined, five_years_ago)
        submitted = scale.moment_between(rng, start, now - dt.timedelta(hours=1))
        drafts.append((submitted, citizen, rng.choices(categories, cum_weights=weights)[0]))
    drafts.sort(key=lambda d: d[0])

    years = {_local(d[0]).year for d in drafts}
    next_number = ctx.next_numbers(PROTOCOL_SERIES, years)
    last_by_year: dict[int, int] = {}
    codes = _tracking_codes(rng, len(drafts))
    first = ctx.reserve_ids(ServiceRequest, len(drafts))
    rows = []
    entries = []
    tally: Tally[str] = Tally()
    for n, (submitted, citizen, category) in enumerate(drafts):
        pk = first + n
        local = _local(submitted)
        number = next_number[local.year]
        next_number[local.year] += 1
        last_by_year[local.year] = number
        age = (now - submitted).days
        recent = age < 60
        status = _pick(rng, RECENT_CHOICES if recent else OUTCOME_CHOICES)
        answer_days = category.answer_days or rules.DEFAULT_ANSWER_DAYS
        deadline = rules.answer_deadline(local.date(), category.answer_days, 0)
        street = rng.choice(scale.KOZANI_STREETS)
        subject, description = rng.choice(MATTERS[category.code])
        house = rng.randint(1, 120)
        intake = _pick(rng, INTAKE_CHOICES)
        code = department_code[category.department_id]
        staff = clerks.get(code) or [c for ids in clerks.values() for c in ids]
        clerk = rng.choice(staff) if staff else None
        filed_by = clerk if intake in ("phone", "counter") else None
        # The steps, a few days apart, never past now.
        steps = _steps(status, recent)
        at = submitted
        timeline: list[tuple[str, dt.datetime, int | None, bool]] = [
            (rules.Status.SUBMITTED, submitted, filed_by or citizen.pk, filed_by is None)
        ]
        for step in steps:
            at = min(at + dt.timedelta(hours=rng.randint(4, 24 * max(min(age, 40) // 3, 1))), now)
            timeline.append((step, at, clerk, False))
        answered = next((_local(t[1]).date() for t in timeline if t[0] in rules.COMPLETED), None)
        resolved = next(
            (_local(t[1]).date() for t in timeline if t[0] == rules.Status.RESOLVED),
            None,
        )
        waiting = _local(at).date() if status == rules.Status.WAITING_FOR_CITIZEN else None
        rows.append(
            (
                pk, local.year, number, codes[n], KINDS.get(category.code, "complaint"),
                category.pk, subject.format(street=street, n=house)[:200],
                description.format(street=street, n=house),
                f"{street} {house}, Κοζάνη" if category.location_matters else "",
                citizen.pk, filed_by, intake, "email", citizen.email, category.department_id,
                clerk if steps else None, status, submitted, answer_days, deadline, resolved,
                answered, waiting,
                ANSWERS[rules.Status.FORWARDED] if status == rules.Status.FORWARDED else "",
            )
        )  # fmt: skip
        for step, step_at, by, by_citizen in timeline:
            entries.append((pk, step, ANSWERS.get(step, ""), step_at, by, by_citizen))
        tally[status] += 1
        if citizen.pk == special.pk:
            ctx.fixtures.setdefault(
                "resident_20", {"email": citizen.email, "request_public_ids": []}
            )
            ctx.fixtures["resident_20"]["request_public_ids"].append(f"{local.year}-{number:06d}")
    ctx.insert(ServiceRequest, REQUEST_COLUMNS, rows)
    ctx.insert(
        TimelineEntry, ["request_id", "status", "public_note", "at", "by_id", "by_citizen"], entries
    )
    ctx.raise_counter(PROTOCOL_SERIES, last_by_year)
    ids = ctx.fixtures["resident_20"]["request_public_ids"]
    ctx.fixtures["request_detail"] = {"email": special.email, "public_id": ids[-1]}
    ctx.fixtures["open311_service_code"] = OPEN311_SERVICE
    ctx.say(f"requests: {len(rows)} with {len(entries)} timeline steps; {dict(tally)}")


REQUEST_COLUMNS = [
    "id", "year", "number", "tracking_code", "kind", "category_id", "subject", "description",
    "address", "citizen_id", "filed_by_id", "intake", "notify_channel", "notify_address",
    "department_id", "assignee_id", "status", "submitted_at", "answer_days", "deadline",
    "resolved_on", "answered_on", "waiting_since", "forwarded_to",
]  # fmt: skip

scale.register("requests", generate, after=["registry", "accounts"])
