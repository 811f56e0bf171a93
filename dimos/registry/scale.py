"""Scale data of the registry: families of 1–6, each person with a valid, unique ΑΜΚΑ, and
verified resident accounts for about 40 % of them (the account, its verified e-mail, the
approved residency claim and the registry link, as an automatic approval leaves them)."""

import datetime as dt
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.utils import timezone
from stdnum import luhn

from dimos.accounts.models import SignupDoor, User
from dimos.core import scale
from dimos.registry.models import Family, Person, ResidencyClaim

FAMILY_SIZES = (1, 2, 3, 4, 5, 6)
FAMILY_SIZE_WEIGHTS = (22, 28, 22, 19, 7, 2)  # ΕΛΣΤΑΤ 2021: most households have 1–3 people
ADULT_ACCOUNT_SHARE = 0.5  # about 80 % are adults: 40 % of all residents have an account
FAMILY_NUMBER_START = 100_000
DOMAIN = scale.SCALE_EMAIL_DOMAIN


@dataclass
class _Member:
    first: str
    last: str
    father: str
    mother: str
    born: dt.date
    male: bool


class _Amkas:
    """ΑΜΚΑ: birth date DDMMYY, a serial whose last digit is odd for men, a Luhn digit
    (stdnum.gr.amka); unique across the registry and the accounts."""

    def __init__(self) -> None:
        self.taken = set(Person.objects.exclude(amka=None).values_list("amka", flat=True))
        self.taken |= set(User.objects.exclude(amka="").values_list("amka", flat=True))
        self.next_serial: dict[dt.date, int] = {}

    def new(self, born: dt.date, male: bool) -> str:
        while True:
            serial = self.next_serial.get(born, 0)
            self.next_serial[born] = serial + 1
            base = f"{born:%d%m%y}{serial:03d}{2 * (serial % 5) + male}"
            amka = base + luhn.calc_check_digit(base)
            if amka not in self.taken:
                self.taken.add(amka)
                return amka


def _birth(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(last_year, 12, 31) - start).days))


def _family(rng: random.Random, size: int, today: dt.date) -> list[_Member]:
    male_last, female_last = rng.choice(scale.SURNAMES)
    grandfather = rng.choice(scale.MALE_NAMES)
    grandmother = rng.choice(scale.FEMALE_NAMES)
    if size == 1:
        male = rng.random() < 0.45
        first = rng.choice(scale.MALE_NAMES if male else scale.FEMALE_NAMES)
        born = _birth(rng, 1935, today.year - 19)
        last = male_last if male else female_last
        return [_Member(first, last, grandfather, grandmother, born, male)]
    father_born = _birth(rng, 1940, today.year - 22)
    mother_born = min(father_born + dt.timedelta(days=rng.randint(-1500, 2500)), today)
    father = _Member(
        rng.choice(scale.MALE_NAMES), male_last, grandfather, grandmother, father_born, True
    )
    mother = _Member(
        rng.choice(scale.FEMALE_NAMES),
        female_last,
        rng.choice(scale.MALE_NAMES),
        rng.choice(scale.FEMALE_NAMES),
        mother_born,
        False,
    )
    members = [father, mother]
    first_child = max(father_born, mother_born).year + rng.randint(20, 35)
    for _ in range(size - 2):
        male = rng.random() < 0.51
        born = _birth(rng, min(first_child, today.year - 1), min(first_child + 12, today.year - 1))
        members.append(
            _Member(
                rng.choice(scale.MALE_NAMES if male else scale.FEMALE_NAMES),
                male_last if male else female_last,
                father.first,
                mother.first,
                min(born, today - dt.timedelta(days=1)),
                male,
            )
        )
    return members


def _units(rng: random.Random, count: int) -> list[str]:
    names = [name for name, _weight in scale.MUNICIPAL_UNITS]
    weights = [weight for _name, weight in scale.MUNICIPAL_UNITS]
    return rng.choices(names, weights, k=count)


def generate(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("registry")
    now = timezone.now()
    today = timezone.localdate()
    adult_before = today.replace(year=today.year - 18)
    amkas = _Amkas()
    taken_numbers = set(Family.objects.values_list("number", flat=True))

    families: list[tuple[str, str]] = []  # (μερίδα, unit)
    members: list[tuple[int, _Member]] = []  # (index of the family, member)
    number = FAMILY_NUMBER_START
    while len(members) < ctx.residents:
        while str(number) in taken_numbers:
            number += 1
        size = min(rng.choices(FAMILY_SIZES, FAMILY_SIZE_WEIGHTS)[0], ctx.residents - len(members))
        families.append((str(number), ""))
        members.extend((len(families) - 1, m) for m in _family(rng, size, today))
        number += 1
    units = _units(rng, len(families))
    families = [(n, unit) for (n, _), unit in zip(families, units, strict=True)]
    first_family = ctx.reserve_ids(Family, len(families))
    ctx.insert(
        Family,
        ["id", "number", "municipal_unit"],
        ((first_family + i, n, u) for i, (n, u) in enumerate(families)),
    )

    holders = [
        i for i, (_f, m) in enumerate(members) if m.born <= adult_before and rng.random() < 0.5
    ]
    first_user = ctx.reserve_ids(User, len(holders))
    first_person = ctx.reserve_ids(Person, len(members))
    account_of = {index: first_user + n for n, index in enumerate(holders)}
    amka_of = [amkas.new(m.born, m.male) for _f, m in members]
    users: list[scale.ScaleAccount] = []
    user_rows = []
    for index in holders:
        member = members[index][1]
        pk = account_of[index]
        joined = scale.moment_between(rng, scale.years_ago(now, 5), now - dt.timedelta(days=2))
        email = f"{scale.latin(member.first)}.{scale.latin(member.last)}.{pk}@{DOMAIN}"
        users.append(scale.ScaleAccount(pk, email, member.first, member.last, joined))
        user_rows.append(
            (
                pk, email, ctx.password_hash, member.first, member.last, member.father,
                member.mother, member.born, amka_of[index], f"69{rng.randrange(10**8):08d}",
                scale.address(rng), SignupDoor.RESIDENT, joined,
                joined + dt.timedelta(minutes=rng.randint(2, 30)),
            )
        )  # fmt: skip
    ctx.insert(User, USER_COLUMNS, user_rows)
    ctx.insert(
        Person,
        ["id", "family_id", "first_name", "last_name", "father_name", "mother_name",
         "birth_date", "amka", "account_id"],
        (
            (first_person + i, first_family + f, m.first, m.last, m.father, m.mother, m.born,
             amka_of[i], account_of.get(i))
            for i, (f, m) in enumerate(members)
        ),
    )  # fmt: skip
    ctx.insert(
        EmailAddress,
        ["user_id", "email", "verified", "primary"],
        ((u.pk, u.email, True, True) for u in users),
    )
    # Approved automatically (an exact registry match): no clerk decided them; filed and
    # approved when the person joined.
    ctx.insert(
        ResidencyClaim,
        ["account_id", "amka", "family_number", "first_name", "last_name", "father_name",
         "mother_name", "birth_date", "person_id", "status", "submitted_at", "decided_at"],
        (
            (row[0], row[8], families[members[i][0]][0], row[3], row[4], row[5], row[6], row[7],
             first_person + i, ResidencyClaim.Status.APPROVED, row[12], row[13])
            for i, row in zip(holders, user_rows, strict=True)
        ),
    )  # fmt: skip
    ctx.shared["residents"] = users
    ctx.say(f"registry: {len(families)} families, {len(members)} persons, {len(users)} accounts")


USER_COLUMNS = [
    "id", "email", "password", "first_name", "last_name", "father_name", "mother_name",
    "birth_date", "amka", "mobile", "address", "signup_door", "date_joined", "resident_since",
]  # fmt: skip


scale.register("registry", generate)
