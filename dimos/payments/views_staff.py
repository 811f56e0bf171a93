"""The back office of payments: issue and cancel orders, import statements, review, search."""

import csv
import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.access import staff_required
from dimos.core.security_log import security_event
from dimos.payments import actions, queries
from dimos.payments.forms import AssignForm, CancelForm, OrderForm, SearchForm, StatementForm
from dimos.payments.models import GatewayAlert, PaymentOrder, StatementImport
from dimos.payments.statements import parse_statement
from dimos.payments.statements.model import StatementError

PERMISSION = "payments.change_paymentorder"


def _refused(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if request.user.has_perm(PERMISSION):
        return None
    return render(request, "core/staff_only.html", status=403)


@staff_required
def orders(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.search_orders(**{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        security_event("export", request=request, obj="payments:orders.csv")
        return _csv(qs)
    return render(
        request,
        "payments/staff_orders.html",
        {
            "form": form,
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "totals": queries.daily_totals(),
            "alerts": GatewayAlert.objects.filter(handled=False)[:20],
            "review_count": queries.review_queue().count(),
            "csv_query": request.GET.urlencode(),
        },
    )


def _csv(qs: object) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="payment-orders.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read Greek as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["RF", "payer", "description", "amount_cents", "paid_cents", "status", "created"]
    )
    for order in qs.iterator():  # type: ignore[attr-defined]
        writer.writerow(
            [
                order.rf,
                order.payer_name,
                order.description,
                order.amount_cents,
                order.paid_cents,
                order.status,
                order.created_at.isoformat(),
            ]
        )
    return response


@staff_required
def order_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order = actions.do_issue_order(
            amount_cents=data["amount"],
            description=data["description"],
            payer_person=data.get("payer_person"),
            payer_business=data.get("payer_business"),
            created_by=request.user,
            expires_on=data["expires_on"],
            request=request,
        )
        messages.success(request, _("Payment order %(rf)s issued.") % {"rf": order.rf})
        return redirect("payments:staff_order", pk=order.pk)
    return render(request, "payments/staff_order_new.html", {"form": form})


@staff_required
def order_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    order = get_object_or_404(
        PaymentOrder.objects.select_related("payer_person", "payer_business"), pk=pk
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_cancel_order(order, request.user, form.cleaned_data["reason"], request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The order was cancelled."))
            return redirect("payments:staff_order", pk=pk)
    return render(
        request,
        "payments/staff_order.html",
        {
            "order": order,
            "form": form,
            "payments": order.payments.select_related("receipt"),
            "attempts": order.attempts.all(),
        },
    )


@staff_required
def statement_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            statement = parse_statement(data)
        except StatementError as exc:
            for problem in exc.messages:
                form.add_error("file", str(problem))
        else:
            record = actions.do_import_statement(
                statement,
                file_name=upload.name or "statement",
                sha256=hashlib.sha256(data).hexdigest(),
                clerk=request.user,
            )
            return redirect("payments:staff_import_done", pk=record.pk)
    return render(
        request,
        "payments/staff_import.html",
        {"form": form, "imports": StatementImport.objects.all()[:20]},
    )


@staff_required
def statement_import_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    return render(
        request,
        "payments/staff_import_done.html",
        {"record": get_object_or_404(StatementImport, pk=pk)},
    )


@staff_required
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    return render(request, "payments/staff_review.html", {"payments": queries.review_queue()})


@staff_required
def review_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    payment = queries.review_queue().filter(pk=pk).first()
    if payment is None:
        raise Http404
    form = AssignForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "close":
        actions.do_close_review(payment, request.user, request)
        messages.success(request, _("Marked as dealt with."))
        return redirect("payments:staff_review")
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_assign_review_payment(
                payment, form.cleaned_data["rf"], request.user, request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The payment was applied to the order."))
            return redirect("payments:staff_review")
    return render(request, "payments/staff_review_item.html", {"payment": payment, "form": form})


@staff_required
def alert_handled(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    if request.method == "POST":
        GatewayAlert.objects.filter(pk=pk).update(handled=True)
    return redirect("payments:staff_orders")
