"""The citizen's side: (a) find a registered ticket and pay it, (b) pay a ticket not yet
registered, and "My fines"."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core import ratelimit
from dimos.core.access import service_required
from dimos.fines import actions, queries, rules
from dimos.fines.forms import LookupForm, SelfEnterForm
from dimos.fines.models import Ticket

FOUND_KEY = "fines_found"  # tickets found with number and plate in this session
DRAFT_KEY = "fines_self_entered"
# Look-ups per client per 10 minutes: number + plate must not be guessable by brute force.
LOOKUP_LIMIT = 10
LOOKUP_WINDOW = 600


def _too_many(request: HttpRequest) -> bool:
    return not ratelimit.hit(
        "fines-lookup",
        ratelimit.client_key(request),
        limit=LOOKUP_LIMIT,
        window_seconds=LOOKUP_WINDOW,
    )


def _remember(request: HttpRequest, ticket: Ticket) -> None:
    found = [pk for pk in request.session.get(FOUND_KEY, []) if pk != ticket.pk]
    request.session[FOUND_KEY] = [ticket.pk, *found][:20]


def _visible_or_404(request: AuthenticatedHttpRequest, key: str) -> Ticket:
    ticket = queries.visible_ticket(request.user, key, request.session.get(FOUND_KEY, []))
    if ticket is None:
        raise Http404
    return ticket


@service_required("fines")
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "fines/start.html")


@service_required("fines")
def lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """(a) Ticket number and plate; both must match, and the page never says which did not."""
    form = LookupForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        if _too_many(request):
            form.add_error(None, _("Too many attempts. Try again in a few minutes."))
            status = 429
        else:
            ticket = queries.find_ticket(form.cleaned_data["number"], form.cleaned_data["plate"])
            if ticket is not None:
                _remember(request, ticket)
                return redirect("fines:ticket", key=ticket.number_key)
            form.add_error(
                None,
                _(
                    "No ticket matches this number and plate. Check both and try again. A "
                    "ticket of the last few days may not be registered yet: then pay it by "
                    "entering its details yourself."
                ),
            )
            status = 404
    return render(request, "fines/lookup.html", {"form": form}, status=status)


@service_required("fines")
def ticket(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    found = _visible_or_404(request, key)
    today = timezone.localdate()
    orders = list(
        queries.with_receipts(queries.orders_of_ticket(found).filter(payer_person=request.user))
    )
    return render(
        request,
        "fines/ticket.html",
        {
            "ticket": found,
            "today": today,
            "due": found.due_today(today),
            "interest": found.interest_today(today) if found.is_payable else 0,
            "certified": found.is_certified_debt(today),
            "orders": orders,
        },
    )


@service_required("fines")
@require_POST
def pay(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Creates or reuses the ticket's payment order and hands over to the payment page."""
    found = _visible_or_404(request, key)
    try:
        order = actions.do_order_for_ticket(found, request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("fines:ticket", key=key)
    return redirect("payments:order", rf=order.rf)


def _draft(request: HttpRequest) -> actions.SelfEntered | None:
    draft: dict[str, Any] | None = request.session.get(DRAFT_KEY)
    if not draft:
        return None
    return actions.SelfEntered(
        draft["number"], draft["plate"], date.fromisoformat(draft["day"]), int(draft["amount"])
    )


def _to_lookup(request: HttpRequest, number: str) -> HttpResponse:
    messages.info(
        request,
        _(
            "This ticket is already registered. Enter its number and the plate to see it and "
            "pay the amount due."
        ),
    )
    return redirect(reverse("fines:lookup") + "?" + urlencode({"number": number}))


@service_required("fines")
def enter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """(b) Step 1: what is printed on a ticket that is not registered yet."""
    draft = _draft(request)
    initial = (
        {
            "number": draft.number,
            "plate": draft.plate,
            "day": draft.day,
            "amount": f"{draft.amount_cents // 100},{draft.amount_cents % 100:02d}",
        }
        if draft
        else {}
    )
    form = SelfEnterForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _too_many(request):
            form.add_error(None, _("Too many attempts. Try again in a few minutes."))
            status = 429
        else:
            entered = form.entered()
            if queries.ticket_by_number(entered.number) is not None:
                return _to_lookup(request, entered.number)
            request.session[DRAFT_KEY] = {
                "number": entered.number,
                "plate": entered.plate,
                "day": entered.day.isoformat(),
                "amount": entered.amount_cents,
            }
            return redirect("fines:check")
    return render(request, "fines/enter.html", {"form": form}, status=status)


@service_required("fines")
def check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """(b) Step 2: check your answers, then pay."""
    entered = _draft(request)
    if entered is None:
        return redirect("fines:enter")
    if request.method == "POST":
        try:
            found, order = actions.do_enter_ticket(request.user, entered, request=request)
        except actions.AlreadyRegistered:
            del request.session[DRAFT_KEY]
            return _to_lookup(request, entered.number)
        del request.session[DRAFT_KEY]
        _remember(request, found)
        return redirect("payments:order", rf=order.rf)
    today = timezone.localdate()
    terms = rules.Terms(entered.amount_cents, rules.payment_deadline(entered.day))
    return render(
        request,
        "fines/check.html",
        {
            "entered": entered,
            "due": rules.amount_due(terms, today),
            "deadline": terms.deadline,
            "late": today > terms.deadline,
            "unusual": not rules.is_usual_amount(entered.amount_cents),
        },
    )


@service_required("fines")
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "fines/mine.html", {"fines": queries.fines_of(request.user)})
