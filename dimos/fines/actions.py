"""Every write about tickets: one transaction each, audited, notifications queued."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.models import User
from dimos.core import audit
from dimos.core.templatetags.dimos_money import format_euros
from dimos.fines import queries, rules
from dimos.fines.models import FineCategory, PaymentPolicy, Ticket
from dimos.notifications.actions import queue_notification
from dimos.payments.actions import do_issue_order
from dimos.payments.models import CardAttempt, Payment, PaymentOrder

# Another person's card payment of the same ticket started this recently is "in progress":
# the second payer is told to wait instead of paying twice.
CARD_IN_PROGRESS = timedelta(minutes=15)


class AlreadyRegistered(Exception):  # noqa: N818 — reads as what happened
    """A self-entered ticket whose number the municipality already has: use the lookup."""


@dataclass(frozen=True)
class TicketData:
    """What the municipal police record on a ticket (form or CSV row)."""

    number: str
    plate: str
    issued_at: datetime
    category: FineCategory
    article: str = ""
    vehicle_type: str = rules.Vehicle.CAR.value
    vehicle_make: str = ""
    vehicle_colour: str = ""
    place: str = ""
    officer_code: str = ""
    other_categories: list[FineCategory] = field(default_factory=list)

    @property
    def amount_cents(self) -> int:
        """The category's amount (plus half of each concurrent one, art. 107 §9), halved for
        two-wheelers when it is a parking violation (art. 38 §11)."""
        total = rules.concurrent_total(
            [self.category.amount_cents, *(c.amount_cents for c in self.other_categories)]
        )
        return rules.fine_for_vehicle(total, self.vehicle_type, self.article)


def _apply_terms(ticket: Ticket, policy: PaymentPolicy | None) -> None:
    """Copy the rule table's row for the day of the violation onto the ticket."""
    day = timezone.localtime(ticket.issued_at).date()
    ticket.policy = policy
    months = policy.payment_months if policy else rules.PAYMENT_MONTHS
    ticket.payment_deadline = rules.payment_deadline(day, months)
    ticket.discount_percent = policy.discount_percent if policy else 0
    ticket.discount_until = (
        day + timedelta(days=policy.discount_days)
        if policy and policy.discount_percent and policy.discount_days
        else None
    )
    ticket.interest_bp_per_month = (
        policy.interest_bp_per_month if policy else rules.INTEREST_BP_PER_MONTH
    )
    ticket.interest_counting = (
        policy.interest_counting if policy else rules.Counting.STARTED_MONTH.value
    )


def _paid_on_orders(ticket: Ticket) -> int:
    total = queries.orders_of_ticket(ticket).aggregate(total=Sum("paid_cents"))["total"]
    return int(total or 0)


def _last_payment_day(ticket: Ticket) -> date | None:
    last = (
        Payment.objects.filter(
            order__in=queries.orders_of_ticket(ticket), state=Payment.State.APPLIED
        )
        .order_by("-received_at")
        .first()
    )
    return timezone.localtime(last.received_at).date() if last else None


def _payer_of(ticket: Ticket) -> User | None:
    order = (
        queries.orders_of_ticket(ticket)
        .filter(paid_cents__gt=0, payer_person__isnull=False)
        .select_related("payer_person")
        .order_by("created_at")
        .first()
    )
    return order.payer_person if order else ticket.entered_by


def _description(ticket: Ticket) -> str:
    # Data in the municipality's language, like every payment order's description.
    return f"Πρόστιμο ΚΟΚ, κλήση {ticket.number}, πινακίδα {ticket.plate}"


def _set_balance(ticket: Ticket, owed_total: int) -> rules.Balance:
    result = rules.balance(owed_total, ticket.paid_cents)
    ticket.refund_due_cents = result.refund_cents
    if result.outcome in (rules.Outcome.PAID, rules.Outcome.OVERPAID):
        ticket.status = Ticket.Status.PAID
    elif result.outcome == rules.Outcome.PARTLY_PAID:
        ticket.status = Ticket.Status.PARTLY_PAID
    else:
        ticket.status = Ticket.Status.OPEN
    return result


def do_register_ticket(data: TicketData, clerk: User, request: HttpRequest | None = None) -> Ticket:
    """Staff register a ticket. If a citizen already entered and paid that number, the two are
    reconciled: equal → paid; less paid → a payment order for the balance; more → refund due."""
    number_key = rules.normalise_code(data.number)
    if not number_key:
        raise ValidationError(_("Enter the ticket number."), code="number")
    with transaction.atomic():
        existing = Ticket.objects.select_for_update().filter(number_key=number_key).first()
        if existing is not None and not existing.provisional:
            raise ValidationError(
                _("Ticket %(number)s is already registered."),
                code="duplicate",
                params={"number": existing.number},
            )
        ticket = existing or Ticket(number_key=number_key)
        ticket.number = data.number.strip()
        ticket.plate = data.plate.strip().upper()
        ticket.plate_key = rules.normalise_code(data.plate)
        ticket.vehicle_type = data.vehicle_type
        ticket.vehicle_make = data.vehicle_make
        ticket.vehicle_colour = data.vehicle_colour
        ticket.issued_at = data.issued_at
        ticket.place = data.place
        ticket.article = data.article
        ticket.category = data.category
        ticket.other_categories = "+".join(c.code for c in data.other_categories)
        ticket.officer_code = data.officer_code
        ticket.licence_days = max(
            [data.category.licence_days, *(c.licence_days for c in data.other_categories)]
        )
        ticket.plates_days = max(
            [data.category.plates_days, *(c.plates_days for c in data.other_categories)]
        )
        ticket.amount_cents = data.amount_cents
        _apply_terms(ticket, queries.policy_on(timezone.localtime(data.issued_at).date()))
        ticket.registered_at = timezone.now()
        ticket.registered_by = clerk
        was_provisional = ticket.provisional
        ticket.provisional = False
        if existing is None:
            ticket.save()
        else:
            _reconcile(ticket, request=request)
        audit.record(
            "ticket.registered",
            ticket,
            actor=clerk,
            request=request,
            amount_cents=ticket.amount_cents,
            reconciled=was_provisional,
        )
    return ticket


def _reconcile(ticket: Ticket, request: HttpRequest | None) -> None:
    """The police's ticket meets the one the citizen entered (and maybe paid)."""
    ticket.paid_cents = _paid_on_orders(ticket)
    if ticket.paid_cents == 0:
        ticket.status = Ticket.Status.OPEN
        ticket.save()
        return
    # What was owed on the day the citizen paid, under the police's amount and date.
    owed_on = _last_payment_day(ticket) or timezone.localdate()
    ticket.owed_as_of = owed_on
    result = _set_balance(ticket, ticket.owed_total(owed_on))
    notes = []
    if ticket.entered_plate and rules.normalise_code(ticket.entered_plate) != ticket.plate_key:
        notes.append(
            _("The plate entered by the citizen (%(plate)s) differs.")
            % {"plate": ticket.entered_plate}
        )
    payer = _payer_of(ticket)
    if result.outcome == rules.Outcome.PARTLY_PAID:
        notes.append(_("Balance owed: %(amount)s.") % {"amount": format_euros(result.owed_cents)})
    elif result.outcome == rules.Outcome.OVERPAID:
        notes.append(_("Refund due: %(amount)s.") % {"amount": format_euros(result.refund_cents)})
    ticket.needs_review = bool(notes)
    ticket.review_note = " ".join(notes)[:250]
    ticket.reviewed_by = None
    ticket.save()
    if payer is None:
        return
    if result.outcome == rules.Outcome.PARTLY_PAID:
        order = do_issue_order(
            amount_cents=result.owed_cents,
            description=_description(ticket) + " (υπόλοιπο)",
            payer_person=payer,
            payable_kind_key=queries.PAYABLE_KIND,
            payable_id=str(ticket.pk),
            request=request,
        )
        queue_notification(
            payer,
            "fines_balance_owed",
            {"ticket": ticket, "order": order, "amount": format_euros(result.owed_cents)},
            dedup_key=f"ticket:{ticket.pk}:balance:{order.pk}",
            channel="email",
        )
    elif result.outcome == rules.Outcome.OVERPAID:
        queue_notification(
            payer,
            "fines_refund_due",
            {"ticket": ticket, "amount": format_euros(result.refund_cents)},
            dedup_key=f"ticket:{ticket.pk}:refund:{ticket.paid_cents}",
            channel="email",
        )


def do_order_for_ticket(
    ticket: Ticket, person: User, request: HttpRequest | None = None
) -> PaymentOrder:
    """THE payment order of the ticket for this person and the amount due today: the open one
    when its amount is still right, else a new one (the amount changed, e.g. interest)."""
    today = timezone.localdate()
    with transaction.atomic():
        # The ticket's row lock: two tabs pressing "pay" at once get the same order.
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.status == Ticket.Status.PAID:
            raise ValidationError(_("This ticket is already paid."), code="paid")
        if locked.status == Ticket.Status.CANCELLED:
            raise ValidationError(_("This ticket was cancelled."), code="cancelled")
        to_pay = locked.due_today(today)
        if to_pay <= 0:
            raise ValidationError(_("Nothing is owed on this ticket."), code="nothing")
        orders = queries.orders_of_ticket(locked)
        if (
            CardAttempt.objects.filter(
                order__in=orders.exclude(payer_person=person),
                outcome__in=[CardAttempt.Outcome.STARTED, CardAttempt.Outcome.PENDING],
                started_at__gte=timezone.now() - CARD_IN_PROGRESS,
            )
            .exclude(order__status=PaymentOrder.Status.PAID)
            .exists()
        ):
            raise ValidationError(
                _(
                    "Someone else is paying this ticket by card right now. Look at it again in "
                    "a quarter of an hour: if it is paid, you owe nothing."
                ),
                code="in_progress",
            )
        for order in orders.filter(
            payer_person=person,
            status__in=[PaymentOrder.Status.OPEN, PaymentOrder.Status.PARTLY_PAID],
        ).order_by("-created_at"):
            if order.due_cents == to_pay and (
                order.expires_on is None or order.expires_on >= today
            ):
                return order
        order = do_issue_order(
            amount_cents=to_pay,
            description=_description(locked),
            payer_person=person,
            payable_kind_key=queries.PAYABLE_KIND,
            payable_id=str(locked.pk),
            expires_on=rules.amount_valid_until(locked.terms, today),
            request=request,
        )
        audit.record(
            "ticket.order_issued",
            locked,
            request=request,
            subject=person,
            order=order.pk,
            amount_cents=to_pay,
        )
    return order


@dataclass(frozen=True)
class SelfEntered:
    number: str
    plate: str
    day: date
    amount_cents: int


def do_enter_ticket(
    person: User, entered: SelfEntered, request: HttpRequest | None = None
) -> tuple[Ticket, PaymentOrder]:
    """A ticket too recent to be registered: a provisional ticket and its payment order, so
    the citizen pays today. Raises AlreadyRegistered when the number is known."""
    number_key = rules.normalise_code(entered.number)
    with transaction.atomic():
        if Ticket.objects.filter(number_key=number_key).exists():
            raise AlreadyRegistered(entered.number)
        ticket = Ticket(
            number=entered.number.strip(),
            number_key=number_key,
            plate=entered.plate.strip().upper(),
            plate_key=rules.normalise_code(entered.plate),
            entered_plate=entered.plate.strip().upper(),
            issued_at=timezone.make_aware(datetime.combine(entered.day, time(12, 0))),
            amount_cents=entered.amount_cents,
            entered_amount_cents=entered.amount_cents,
            provisional=True,
            entered_by=person,
        )
        _apply_terms(ticket, queries.policy_on(entered.day))
        try:
            with transaction.atomic():  # a savepoint: someone may enter the same number now
                ticket.save()
        except IntegrityError:
            raise AlreadyRegistered(entered.number) from None
        audit.record(
            "ticket.entered",
            ticket,
            actor=person,
            request=request,
            subject=person,
            amount_cents=entered.amount_cents,
        )
        order = do_order_for_ticket(ticket, person, request=request)
    return ticket, order


def on_order_settled(order: PaymentOrder) -> None:
    """Called by payments inside the settling transaction (the order locked): the ticket
    becomes paid, partly paid, or paid with a refund due (two payments of one ticket)."""
    if not order.payable_id.isdigit():
        return
    ticket = Ticket.objects.select_for_update().filter(pk=int(order.payable_id)).first()
    if ticket is None:
        return
    ticket.paid_cents = _paid_on_orders(ticket)
    if ticket.status == Ticket.Status.CANCELLED:
        ticket.refund_due_cents = ticket.paid_cents
        ticket.needs_review = ticket.paid_cents > 0
        ticket.review_note = _("Money arrived for a cancelled ticket: refund due.")
        ticket.save()
        audit.record("ticket.paid_after_cancel", ticket, subject=order.payer_person)
        return
    # The amount owed as it was when this order was issued (its amount was fixed then).
    day = ticket.owed_as_of or timezone.localtime(order.created_at).date()
    result = _set_balance(ticket, ticket.owed_total(day))
    if result.outcome == rules.Outcome.OVERPAID:
        ticket.needs_review = True
        ticket.review_note = (
            _("Paid twice or too much: refund due %(amount)s.")
            % {"amount": format_euros(result.refund_cents)}
        )[:250]
        ticket.reviewed_by = None
    ticket.save()
    audit.record(
        "ticket.payment_applied",
        ticket,
        subject=order.payer_person,
        order=order.pk,
        paid_cents=ticket.paid_cents,
        outcome=result.outcome.value,
    )


def do_cancel_ticket(
    ticket: Ticket, clerk: User, reason: str, request: HttpRequest | None = None
) -> None:
    """E.g. an objection upheld (art. 107 §2). Unpaid orders stop taking money; money already
    paid becomes a refund for staff to handle."""
    from dimos.payments.actions import do_cancel_order

    if not reason.strip():
        raise ValidationError(_("Give the reason for the cancellation."), code="reason")
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.status == Ticket.Status.CANCELLED:
            raise ValidationError(_("The ticket is already cancelled."), code="status")
        locked.status = Ticket.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason.strip()
        locked.paid_cents = _paid_on_orders(locked)
        locked.refund_due_cents = locked.paid_cents
        if locked.paid_cents:
            locked.needs_review = True
            locked.review_note = _("Cancelled after payment: refund due %(amount)s.") % {
                "amount": format_euros(locked.paid_cents)
            }
        locked.save()
        for order in queries.orders_of_ticket(locked).filter(status=PaymentOrder.Status.OPEN):
            do_cancel_order(order, clerk, reason.strip(), request=request)
        audit.record(
            "ticket.cancelled", locked, actor=clerk, request=request, reason=locked.cancel_reason
        )
    ticket.refresh_from_db()


def do_close_review(
    ticket: Ticket, clerk: User, note: str, request: HttpRequest | None = None
) -> None:
    """Staff dealt with the difference (refunded, checked the plate): out of the queue."""
    if not note.strip():
        raise ValidationError(_("Say what was done."), code="note")
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        locked.needs_review = False
        locked.reviewed_by = clerk
        if locked.refund_due_cents:
            locked.refund_due_cents = 0
        locked.save(update_fields=["needs_review", "reviewed_by", "refund_due_cents"])
        audit.record(
            "ticket.review_closed", locked, actor=clerk, request=request, note=note.strip()
        )
    ticket.refresh_from_db()


@dataclass
class ImportResult:
    applied: list[Ticket] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    good_rows: int = 0

    @property
    def nothing_applied(self) -> bool:
        return not self.applied


def do_import_tickets(
    rows: list[tuple[int, TicketData]],
    errors: list[tuple[int, str]],
    clerk: User,
    *,
    apply_good_rows: bool,
    file_name: str = "",
    request: HttpRequest | None = None,
) -> ImportResult:
    """Apply parsed CSV rows: all or nothing, unless the clerk chose to apply the good ones."""
    result = ImportResult(errors=list(errors), good_rows=len(rows))
    if errors and not apply_good_rows:
        return result
    with transaction.atomic():
        for line, data in rows:
            try:
                with transaction.atomic():
                    result.applied.append(do_register_ticket(data, clerk, request=request))
            except ValidationError as exc:
                result.errors.append(
                    (line, _("Line %(line)s: ") % {"line": line} + "; ".join(exc.messages))
                )
        if len(result.errors) > len(errors) and not apply_good_rows:
            result.applied = []
            transaction.set_rollback(True)
            return result
        audit.record(
            "tickets.imported",
            None,
            actor=clerk,
            request=request,
            file_name=file_name[:200],
            applied=len(result.applied),
            refused=len(result.errors),
        )
    result.errors.sort()
    return result


def record_staff_read(ticket: Ticket, request: HttpRequest) -> Any:
    with transaction.atomic():
        return audit.record("ticket.viewed", ticket, request=request, subject=ticket.entered_by)
