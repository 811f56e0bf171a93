"""The back office of fines: register, import, cancel, and reconcile differences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.access import staff_required
from dimos.fines import actions, importer, queries
from dimos.fines.forms import ImportForm, ReasonForm, ReviewForm, SearchForm, TicketForm
from dimos.fines.models import Ticket

PERMISSION = "fines.change_ticket"


def _refused(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if request.user.has_perm(PERMISSION):
        return None
    return render(request, "core/staff_only.html", status=403)


@staff_required
def tickets(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.staff_tickets(filters.get("q", ""), filters.get("status", ""))
    return render(
        request,
        "fines/staff_tickets.html",
        {
            "form": form,
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "review_count": queries.reconcile_queue().count(),
        },
    )


@staff_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = TicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = actions.do_register_ticket(form.ticket_data(), request.user, request=request)
        except ValidationError as exc:
            form.add_error("number", exc)
        else:
            messages.success(
                request, _("Ticket %(number)s registered.") % {"number": ticket.number}
            )
            return redirect("fines:staff_ticket", pk=ticket.pk)
    return render(request, "fines/staff_register.html", {"form": form})


@staff_required
def import_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        parsed = importer.parse_tickets(form.cleaned_data["file"])
        result = actions.do_import_tickets(
            parsed.rows,
            parsed.errors,
            request.user,
            apply_good_rows=form.cleaned_data["apply_good_rows"],
            file_name=getattr(request.FILES.get("file"), "name", "") or "",
            request=request,
        )
    return render(
        request,
        "fines/staff_import.html",
        {"form": form, "result": result, "columns": importer.__doc__},
    )


@staff_required
def ticket(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    found = get_object_or_404(Ticket.objects.select_related("category", "entered_by"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    cancel_form = ReasonForm(request.POST if action == "cancel" else None)
    review_form = ReviewForm(request.POST if action == "review" else None)
    failed: Form | None = None
    if action == "cancel" and cancel_form.is_valid():
        try:
            actions.do_cancel_ticket(
                found, request.user, cancel_form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            cancel_form.add_error(None, exc)
        else:
            messages.success(request, _("The ticket was cancelled."))
            return redirect("fines:staff_ticket", pk=pk)
    elif action == "review" and review_form.is_valid():
        actions.do_close_review(
            found, request.user, review_form.cleaned_data["note"], request=request
        )
        messages.success(request, _("Marked as reconciled."))
        return redirect("fines:staff_ticket", pk=pk)
    if action == "cancel":
        failed = cancel_form
    elif action == "review":
        failed = review_form
    actions.record_staff_read(found, request)
    today = timezone.localdate()
    return render(
        request,
        "fines/staff_ticket.html",
        {
            "ticket": found,
            "today": today,
            "due": found.due_today(today),
            "orders": queries.with_receipts(queries.orders_of_ticket(found)).select_related(
                "payer_person"
            ),
            "cancel_form": cancel_form,
            "review_form": review_form,
            "form": failed,
        },
    )


@staff_required
def reconcile(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    return render(
        request,
        "fines/staff_reconcile.html",
        {"page": Paginator(queries.reconcile_queue(), 30).get_page(request.GET.get("page"))},
    )
