"""Scale data of traffic tickets: about 0.2 per resident since the fines table of ν.5209/2025
came into force, with Greek plates, the terms of the rule table copied on each (as
`do_register_ticket` does), and most of the older ones paid through a payment order."""

import datetime as dt

from django.utils import timezone

from dimos.accounts.models import User
from dimos.core import scale
from dimos.fines import rules
from dimos.fines.models import FineCategory, PaymentPolicy, Ticket
from dimos.fines.queries import PAYABLE_KIND
from dimos.payments.models import Payment
from dimos.payments.scale import OrderDraft, write_orders

TICKETS_PER_RESIDENT = 0.2
PAID_SHARE = 0.65
CATEGORY_WEIGHTS = {"Ε1-Α": 40, "Ε1-Β": 5, "Ε2-Α": 25, "Ε2-Β": 15, "Ε3-Α": 8, "Ε3-Β": 4, "Ε4": 3}
ARTICLES = {"Ε2-Β": "38§2ε", "Ε4": "38§2δ"}
MAKES = ["Toyota", "Opel", "Volkswagen", "Fiat", "Peugeot", "Hyundai", "Nissan", "Seat", "Skoda"]
COLOURS = ["Λευκό", "Μαύρο", "Γκρι", "Ασημί", "Μπλε", "Κόκκινο"]
PLACES = [
    "στάθμευση σε πεζοδρόμιο", "στάθμευση σε ράμπα ΑμεΑ", "στάθμευση σε θέση φορτοεκφόρτωσης",
    "διπλή στάθμευση", "στάθμευση σε διάβαση πεζών", "στάθμευση σε στάση λεωφορείου",
]  # fmt: skip


def _number(year: int, serial: int) -> str:
    return f"ΚΟΖ-{year}-{serial:06d}"


def generate(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("fines")
    now = timezone.now()
    today = timezone.localdate()
    residents = scale.scale_accounts(ctx)
    categories = [
        c for c in FineCategory.objects.filter(valid_to=None) if c.code in CATEGORY_WEIGHTS
    ]
    weights = [CATEGORY_WEIGHTS[c.code] for c in categories]
    policy = PaymentPolicy.objects.filter(valid_to=None).order_by("-valid_from").first()
    if not categories:
        ctx.say("fines: no fines table in force, no tickets")
        return
    start = dt.datetime.combine(
        max(min(c.valid_from for c in categories), today - dt.timedelta(days=5 * 365)),
        dt.time(8),
        tzinfo=scale.ATHENS,
    )
    police: list[int | None] = list(
        User.objects.filter(
            is_staff=True,
            email__endswith="@" + scale.SCALE_EMAIL_DOMAIN,
            departments__code="police",
        ).values_list("pk", flat=True)
    ) or [None]
    taken = set(Ticket.objects.values_list("number_key", flat=True))
    count = round(ctx.residents * TICKETS_PER_RESIDENT)
    moments = sorted(
        scale.moment_between(rng, start, now - dt.timedelta(hours=2)) for _ in range(count)
    )
    serial: dict[int, int] = {}
    first = ctx.reserve_ids(Ticket, count)
    rows = []
    orders = []
    for n, issued in enumerate(moments):
        local = issued.astimezone(scale.ATHENS)
        serial[local.year] = serial.get(local.year, 1000) + 1
        number = _number(local.year, serial[local.year])
        while rules.normalise_code(number) in taken:
            serial[local.year] += 1
            number = _number(local.year, serial[local.year])
        taken.add(rules.normalise_code(number))
        plate = scale.greek_plate(rng)
        category = rng.choices(categories, weights)[0]
        deadline = rules.payment_deadline(local.date(), policy.payment_months if policy else 2)
        paid = deadline < today - dt.timedelta(days=3) and rng.random() < PAID_SHARE
        paid = paid or (deadline >= today and rng.random() < 0.3)
        pk = first + n
        rows.append(
            (
                pk, number, rules.normalise_code(number), plate, rules.normalise_code(plate),
                "car", rng.choice(MAKES), rng.choice(COLOURS), issued,
                f"{rng.choice(scale.KOZANI_STREETS)}, Κοζάνη ({rng.choice(PLACES)})",
                ARTICLES.get(category.code, ""), category.pk, f"ΔΑ-{rng.randint(1, 24):02d}",
                category.licence_days, category.plates_days, category.amount_cents, deadline,
                policy.interest_bp_per_month if policy else rules.INTEREST_BP_PER_MONTH,
                policy.interest_counting if policy else rules.Counting.STARTED_MONTH.value,
                policy.pk if policy else None,
                Ticket.Status.PAID if paid else Ticket.Status.OPEN,
                category.amount_cents if paid else 0,
                issued + dt.timedelta(hours=rng.randint(2, 72)), rng.choice(police), issued,
            )
        )  # fmt: skip
        if paid:
            payer = rng.choice(residents)
            paid_at = min(
                issued + dt.timedelta(days=rng.randint(3, max((deadline - local.date()).days, 4))),
                now,
            )
            orders.append(
                OrderDraft(
                    category.amount_cents, f"Πρόστιμο ΚΟΚ, κλήση {number}, πινακίδα {plate}",
                    payer.full_name, paid_at - dt.timedelta(minutes=5), payer_person=payer.pk,
                    payable_kind=PAYABLE_KIND, payable_id=str(pk), expires_on=deadline,
                    paid_at=paid_at, method=rng.choice([Payment.Method.CARD, Payment.Method.BANK]),
                )
            )  # fmt: skip
    rows = [(*row[:22], min(row[22], now), *row[23:]) for row in rows]  # registered by now
    ctx.insert(Ticket, TICKET_COLUMNS, rows)
    write_orders(ctx, orders)
    unpaid = next(
        (r for r in reversed(rows) if r[20] == Ticket.Status.OPEN and r[16] >= today), None
    ) or next(r for r in reversed(rows) if r[20] == Ticket.Status.OPEN)
    ctx.fixtures["ticket"] = {"number": unpaid[1], "plate": unpaid[3]}
    ctx.say(f"fines: {len(rows)} tickets, {len(orders)} paid")


TICKET_COLUMNS = [
    "id", "number", "number_key", "plate", "plate_key", "vehicle_type", "vehicle_make",
    "vehicle_colour", "issued_at", "place", "article", "category_id", "officer_code",
    "licence_days", "plates_days", "amount_cents", "payment_deadline", "interest_bp_per_month",
    "interest_counting", "policy_id", "status", "paid_cents", "registered_at",
    "registered_by_id", "created_at",
]  # fmt: skip


scale.register("fines", generate, after=["payments"])
