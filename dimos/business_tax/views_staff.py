"""The back office of the municipal tax: the register of businesses, assessed debts one by one
and from CSV, certification, and reports of declared and collected amounts."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.accounts.models import Business
from dimos.business_tax import actions, importer, queries
from dimos.business_tax.forms import (
    AssessForm,
    ImportForm,
    ProfileForm,
    RegisterSearchForm,
    ReportForm,
)
from dimos.business_tax.models import Debt, FeeType
from dimos.core.access import staff_required
from dimos.core.security_log import security_event

PERMISSION = "business_tax.change_debt"


def _refused(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if request.user.has_perm(PERMISSION):
        return None
    return render(request, "core/staff_only.html", status=403)


@staff_required
def businesses(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = RegisterSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.register(filters.get("q", ""), filters.get("category", ""))
    return render(
        request,
        "business_tax/staff_businesses.html",
        {"form": form, "page": Paginator(qs, 30).get_page(request.GET.get("page"))},
    )


@staff_required
def business(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    found = get_object_or_404(Business.objects.select_related("activity_category"), pk=pk)
    profile = queries.profile_of(found)
    form = ProfileForm(
        request.POST or None,
        initial={
            "category": found.activity_category_id,
            "frequency": profile.frequency,
            "vat_payer": profile.vat_payer,
            "declares_from": profile.declares_from,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_update_profile(
            found,
            request.user,
            category=data["category"],
            frequency=data["frequency"],
            vat_payer=data["vat_payer"],
            declares_from=data["declares_from"],
            request=request,
        )
        messages.success(request, _("Saved."))
        return redirect("business_tax:staff_business", pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "business_tax/staff_business.html",
        {
            "business": found,
            "form": form,
            "dashboard": queries.dashboard(found, today),
            "today": today,
        },
    )


@staff_required
def debts(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    state = request.GET.get("state", "overdue")
    if state not in ("overdue", "open", "certified", "paid", "all"):
        state = "overdue"
    fee = request.GET.get("fee", "")
    today = timezone.localdate()
    qs = queries.staff_debts(state, fee, today)
    return render(
        request,
        "business_tax/staff_debts.html",
        {
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "state": state,
            "fee": fee,
            "fee_types": FeeType.objects.all(),
            "today": today,
        },
    )


@staff_required
def debt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    found = (
        queries._with_receipts(
            Debt.objects.select_related("business", "fee_type", "declaration", "area_rate")
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    today = timezone.localdate()
    error = ""
    if request.method == "POST" and request.POST.get("action") == "certify":
        try:
            actions.do_certify(found, request.user, today=today, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The debt is certified."))
            return redirect("business_tax:staff_debt", pk=pk)
    return render(
        request,
        "business_tax/staff_debt.html",
        {"line": queries.DebtLine(found, found.amount_due(today)), "error": error},
    )


@staff_required
def debt_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = AssessForm(request.POST or None, initial={"afm": request.GET.get("afm", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rate = data["rate"]
        assessment = actions.Assessment(
            business=data["afm"],
            fee_type=rate.fee_type,
            area_rate=rate,
            area=data["area"],
            units=data["units"],
            period_start=data["period_start"],
            unauthorised=data["unauthorised"],
            due_date=data["due_date"],
            description=data["description"],
        )
        try:
            (issued,) = actions.do_issue_assessed_debts([assessment], request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The debt was issued."))
            return redirect("business_tax:staff_debt", pk=issued.pk)
    return render(request, "business_tax/staff_debt_new.html", {"form": form})


@staff_required
def debt_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[importer.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            assessments = importer.parse_assessments(form.cleaned_data["file"])
            issued = actions.do_issue_assessed_debts(assessments, request.user, request=request)
        except importer.ImportProblemsError as exc:
            problems = exc.problems
            form.add_error(
                "file",
                ngettext(
                    "%(count)s problem in the file; nothing was issued.",
                    "%(count)s problems in the file; nothing was issued.",
                    len(problems),
                )
                % {"count": len(problems)},
            )
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext("%(count)s debt issued.", "%(count)s debts issued.", len(issued))
                % {"count": len(issued)},
            )
            return redirect("business_tax:staff_debts")
    return render(
        request,
        "business_tax/staff_import.html",
        {"form": form, "problems": problems, "columns": importer.__doc__},
    )


@staff_required
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refusal := _refused(request)) is not None:
        return refusal
    this_year = timezone.localdate().year
    form = ReportForm(request.GET or None, initial={"year": this_year})
    year = form.cleaned_data["year"] if form.is_valid() else this_year
    rows = queries.report(year)
    if request.GET.get("format") == "csv":
        security_event("export", request=request, obj=f"business_tax:report-{year}.csv")
        return _csv(rows, year)
    return render(
        request,
        "business_tax/staff_reports.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "declared_total": sum(r.declared_cents for r in rows),
            "collected_total": sum(r.collected_cents for r in rows),
        },
    )


def _csv(rows: list[queries.ReportRow], year: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="business-tax-{year}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read Greek as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["month", "fee_type", "declared_cents", "collected_cents"])
    for row in rows:
        writer.writerow(
            [f"{row.month:%Y-%m}", row.fee_type, row.declared_cents, row.collected_cents]
        )
    return response
