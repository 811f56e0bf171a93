"""Scale data of accounts: the departments and their clerks, citizens who are not residents
(Πολίτες), and businesses (about one per 15 residents, valid ΑΦΜ) with an approved legal
representative each, a resident."""

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from stdnum.gr import vat

from dimos.accounts.demo import DEMO_PROOF, DEPARTMENTS, STAFF_GROUP, staff_group
from dimos.accounts.models import ActivityCategory, Business, Department, Representation, User
from dimos.core import scale

CLERKS_PER_DEPARTMENT = 3
CITIZEN_SHARE = 0.05  # accounts of people outside the registry, per resident
RESIDENTS_PER_BUSINESS = 15
PROOF_NAME = "uploads/accounts.representation/scale-proof.pdf"
# Kozani's businesses by activity, roughly: shops and services lead, then cafés and taverns.
ACTIVITY_WEIGHTS = {
    "retail": 30,
    "services": 25,
    "food-drink": 22,
    "construction": 8,
    "accommodation": 4,
    "night-club": 3,
    "other": 8,
}
BUSINESS_NAMES = {
    "retail": ["Κατάστημα", "Παντοπωλείο", "Βιβλιοπωλείο", "Φαρμακείο", "Ανθοπωλείο"],
    "services": ["Λογιστικό Γραφείο", "Κομμωτήριο", "Συνεργείο Αυτοκινήτων", "Φροντιστήριο"],
    "food-drink": ["Καφέ", "Ταβέρνα", "Ψητοπωλείο", "Ζαχαροπλαστείο", "Μεζεδοπωλείο"],
    "construction": ["Τεχνική Εταιρεία", "Οικοδομικές Εργασίες"],
    "accommodation": ["Ξενοδοχείο", "Ξενώνας", "Ενοικιαζόμενα Δωμάτια"],
    "night-club": ["Μουσική Σκηνή", "Κέντρο Διασκέδασης"],
    "other": ["Επιχείρηση", "Εμπορική"],
}
BUSINESS_WORDS = [
    "Το Πλατάνι", "Η Κοζάνη", "Ο Άη Νικόλας", "Το Αρχοντικό", "Ο Βέρμιος", "Η Λασσάνη",
    "Το Στέκι", "Ο Αλιάκμονας", "Η Πλατεία", "Το Κιόσκι", "Η Μακεδονία", "Το Λιθόστρωτο",
]  # fmt: skip
LEGAL_FORMS = ["Ο.Ε.", "Ε.Ε.", "Ι.Κ.Ε.", "Μ.Ι.Κ.Ε.", "Α.Ε.", ""]


def afm(rng: random.Random, taken: set[str]) -> str:
    """A valid ΑΦΜ (stdnum.gr.vat: eight digits and a mod-11 check digit), not yet used."""
    while True:
        body = f"{rng.choice('0179')}{rng.randrange(10**7):07d}"
        number = body + vat.calc_check_digit(body)
        if number not in taken:
            taken.add(number)
            return number


def _account_rows(
    ctx: scale.ScaleContext, rng: random.Random, count: int, first: int, *, staff: bool
) -> list[tuple[object, ...]]:
    now = timezone.now()
    rows: list[tuple[object, ...]] = []
    for n in range(count):
        male = rng.random() < 0.5
        first_name = rng.choice(scale.MALE_NAMES if male else scale.FEMALE_NAMES)
        last_name = rng.choice(scale.SURNAMES)[0 if male else 1]
        kind = "ypallilos" if staff else "politis"
        email = f"{kind}.{scale.latin(last_name)}.{first + n}@{scale.SCALE_EMAIL_DOMAIN}"
        joined = scale.moment_between(rng, scale.years_ago(now, 5), now - dt.timedelta(days=2))
        rows.append(
            (first + n, email, ctx.password_hash, first_name, last_name, "citizen", joined, staff)
        )
    return rows


ACCOUNT_COLUMNS = [
    "id", "email", "password", "first_name", "last_name", "signup_door", "date_joined",
    "is_staff",
]  # fmt: skip


def generate_accounts(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("accounts")
    departments = [
        Department.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS
    ]
    clerks = len(departments) * CLERKS_PER_DEPARTMENT
    citizens = round(ctx.residents * CITIZEN_SHARE)
    first = ctx.reserve_ids(User, clerks + citizens)
    rows = _account_rows(ctx, rng, clerks, first, staff=True)
    rows += _account_rows(ctx, rng, citizens, first + clerks, staff=False)
    ctx.insert(User, ACCOUNT_COLUMNS, rows)
    ctx.insert(
        EmailAddress,
        ["user_id", "email", "verified", "primary"],
        ((row[0], row[1], True, True) for row in rows),
    )
    group = Group.objects.filter(name=STAFF_GROUP).first() or staff_group()
    memberships = User.departments.through
    ctx.insert(
        memberships,
        ["user_id", "department_id"],
        ((first + n, departments[n // CLERKS_PER_DEPARTMENT].pk) for n in range(clerks)),
    )
    ctx.insert(
        User.groups.through, ["user_id", "group_id"], ((first + n, group.pk) for n in range(clerks))
    )
    ctx.shared["clerks"] = {
        d.code: [first + n for n in range(clerks) if n // CLERKS_PER_DEPARTMENT == i]
        for i, d in enumerate(departments)
    }
    ctx.say(f"accounts: {clerks} clerks, {citizens} citizens")


def clerks_by_department(ctx: scale.ScaleContext) -> dict[str, list[int]]:
    """The scale clerks of each department (code → ids), from this run or the database."""
    if "clerks" not in ctx.shared:
        found: dict[str, list[int]] = {}
        for pk, code in User.objects.filter(
            is_staff=True, email__endswith="@" + scale.SCALE_EMAIL_DOMAIN
        ).values_list("pk", "departments__code"):
            found.setdefault(code, []).append(pk)
        ctx.shared["clerks"] = found
    clerks: dict[str, list[int]] = ctx.shared["clerks"]
    return clerks


def generate_businesses(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("businesses")
    now = timezone.now()
    residents = scale.scale_accounts(ctx)
    categories = dict(ActivityCategory.objects.values_list("code", "pk"))
    codes = [code for code in ACTIVITY_WEIGHTS if code in categories]
    weights = [ACTIVITY_WEIGHTS[code] for code in codes]
    if not default_storage.exists(PROOF_NAME):
        default_storage.save(PROOF_NAME, ContentFile(DEMO_PROOF))
    taken = set(Business.objects.values_list("afm", flat=True))
    count = max(ctx.residents // RESIDENTS_PER_BUSINESS, 1)
    first = ctx.reserve_ids(Business, count)
    owners = rng.sample(residents, min(count, len(residents)))
    businesses = []
    representations = []
    for n, owner in enumerate(owners):
        code = rng.choices(codes, weights)[0]
        name = f"{rng.choice(BUSINESS_NAMES[code])} «{rng.choice(BUSINESS_WORDS)}» "
        name += f"{owner.last_name} {rng.choice(LEGAL_FORMS)}".strip()
        businesses.append((first + n, afm(rng, taken), name, scale.address(rng), categories[code]))
        since = max(owner.joined, scale.years_ago(now, 4)) + dt.timedelta(days=rng.randint(1, 60))
        since = min(since, now)
        representations.append(
            (owner.pk, first + n, PROOF_NAME, "application/pdf", "approved", since, since)
        )
    ctx.insert(Business, ["id", "afm", "legal_name", "address", "activity_category_id"], businesses)
    ctx.insert(
        Representation,
        ["person_id", "business_id", "proof", "proof_content_type", "status", "submitted_at",
         "decided_at"],
        representations,
    )  # fmt: skip
    ctx.shared["businesses"] = [
        (b[0], b[1], b[2], code_of, r[0])
        for b, r, code_of in zip(
            businesses,
            representations,
            [_code(categories, b[4]) for b in businesses],
            strict=True,
        )
    ]
    ctx.say(f"businesses: {len(businesses)} with their representatives")


def _code(categories: dict[str, int], pk: int) -> str:
    return next(code for code, value in categories.items() if value == pk)


scale.register("accounts", generate_accounts, after=["registry"])
scale.register("businesses", generate_businesses, after=["accounts"])
