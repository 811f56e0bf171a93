"""Scale data of payments: orders with valid RF references (made from their ids, as
`do_issue_order` makes them), the money received for the paid ones and their receipts,
numbered gapless per year in the order they were paid (the receipt counter left at the last).

Fines and the business tax write their orders through `write_orders` too.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from dimos.core import scale
from dimos.payments.actions import RECEIPT_SERIES, do_issue_receipt_document
from dimos.payments.models import Payment, PaymentOrder, Receipt
from dimos.payments.statements.rf import RfLayout

ADHOC_PER_RESIDENT = 0.1
PAID_SHARE = 0.7
ADHOC = [  # (what for, cents)
    ("Τέλος χρήσης δημοτικού γηπέδου", 2500),
    ("Τροφεία δημοτικού παιδικού σταθμού", 8000),
    ("Τέλος ταφής δημοτικού νεκροταφείου", 15000),
    ("Συνδρομή δημοτικού κολυμβητηρίου", 3000),
    ("Εγγραφή σε τμήμα δημοτικού ωδείου", 4500),
    ("Τέλος χρήσης αίθουσας πολιτιστικού κέντρου", 12000),
]


@dataclass(frozen=True)
class OrderDraft:
    """A payment order to write; `paid_at` set: paid in full then (by `method`)."""

    amount_cents: int
    description: str
    payer_name: str
    created_at: dt.datetime
    payer_person: int | None = None
    payer_business: int | None = None
    payable_kind: str = "adhoc"
    payable_id: str = ""
    expires_on: dt.date | None = None
    paid_at: dt.datetime | None = None
    method: str = Payment.Method.CARD


def write_orders(ctx: scale.ScaleContext, drafts: Sequence[OrderDraft]) -> list[tuple[int, str]]:
    """Insert the orders (and payments and receipts of the paid ones); returns (id, RF)."""
    layout = RfLayout.from_settings()
    first = ctx.reserve_ids(PaymentOrder, len(drafts))
    made = [(first + n, layout.make(first + n)) for n in range(len(drafts))]
    ctx.insert(
        PaymentOrder,
        ["id", "rf", "payer_person_id", "payer_business_id", "payer_name", "amount_cents",
         "paid_cents", "description", "payable_kind", "payable_id", "status", "created_at",
         "expires_on"],
        (
            (pk, rf, d.payer_person, d.payer_business, d.payer_name, d.amount_cents,
             d.amount_cents if d.paid_at else 0, d.description, d.payable_kind, d.payable_id,
             PaymentOrder.Status.PAID if d.paid_at else PaymentOrder.Status.OPEN, d.created_at,
             d.expires_on)
            for (pk, rf), d in zip(made, drafts, strict=True)
        ),
    )  # fmt: skip
    paid = sorted(
        ((d.paid_at, pk, d) for (pk, _rf), d in zip(made, drafts, strict=True) if d.paid_at),
        key=lambda p: (p[0], p[1]),
    )
    first_payment = ctx.reserve_ids(Payment, len(paid))
    ctx.insert(
        Payment,
        ["id", "order_id", "method", "external_ref", "amount_cents", "received_at", "state",
         "payer_text", "details"],
        (
            (first_payment + n, pk, d.method, f"scale-{pk}", d.amount_cents, at, "applied",
             d.payer_name, {})
            for n, (at, pk, d) in enumerate(paid)
        ),
    )  # fmt: skip
    years = [at.astimezone(scale.ATHENS).year for at, _pk, _d in paid]
    next_number = ctx.next_numbers(RECEIPT_SERIES, years)
    receipts = []
    for n, ((at, _pk, _d), year) in enumerate(zip(paid, years, strict=True)):
        receipts.append((first_payment + n, year, next_number[year], at))
        next_number[year] += 1
    ctx.insert(Receipt, ["payment_id", "year", "number", "issued_at"], receipts)
    ctx.raise_counter(RECEIPT_SERIES, {year: number - 1 for year, number in next_number.items()})
    return made


def generate(ctx: scale.ScaleContext) -> None:
    rng = ctx.rng("payments")
    now = timezone.now()
    residents = scale.scale_accounts(ctx)
    drafts = []
    for person in rng.choices(residents, k=round(ctx.residents * ADHOC_PER_RESIDENT)):
        description, cents = rng.choice(ADHOC)
        created = scale.moment_between(rng, max(person.joined, scale.years_ago(now, 5)), now)
        paid_at = None
        if rng.random() < PAID_SHARE:
            paid_at = min(created + dt.timedelta(hours=rng.randint(1, 240)), now)
        drafts.append(
            OrderDraft(
                cents, description, person.full_name, created, payer_person=person.pk,
                paid_at=paid_at, method=rng.choice([Payment.Method.CARD, Payment.Method.BANK]),
            )
        )  # fmt: skip
    card_payers = scale.fixture_residents(residents)
    for person in card_payers:
        description, cents = rng.choice(ADHOC)
        drafts.append(
            OrderDraft(
                cents, description, person.full_name, now - dt.timedelta(days=rng.randint(1, 20)),
                payer_person=person.pk,
            )
        )  # fmt: skip
    made = write_orders(ctx, drafts)
    ctx.fixtures["card_orders"] = [
        {"rf": rf, "amount_cents": d.amount_cents, "email": p.email}
        for (_pk, rf), d, p in zip(
            made[-len(card_payers) :], drafts[-len(card_payers) :], card_payers, strict=True
        )
    ]
    receipt = (
        Receipt.objects.filter(
            payment__order__payable_kind="adhoc", payment__order_id__gte=made[0][0]
        )
        .select_related("payment__order")
        .order_by("-issued_at", "-pk")
        .first()
    )
    if receipt is not None:
        ctx.fixtures["receipt_verify_code"] = do_issue_receipt_document(receipt).display_code
    ctx.say(f"payments: {len(drafts)} orders, {sum(1 for d in drafts if d.paid_at)} paid")


scale.register("payments", generate, after=["registry", "accounts"])
