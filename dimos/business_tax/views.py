"""The representative's side: the dashboard of each business, declare and compute, pay."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.accounts.models import Business
from dimos.business_tax import actions, queries, rules
from dimos.business_tax.forms import (
    AreaDeclarationForm,
    ReceiptsDeclarationForm,
    period_choice_label,
)
from dimos.business_tax.models import AreaRate, Declaration, FeeType
from dimos.core.access import service_required
from dimos.core.documents import document_response

DRAFT_KEY = "business_tax_draft"


def _business_or_404(request: AuthenticatedHttpRequest, afm: str) -> Business:
    """Only a business the person represents with an approved representation; else 404."""
    business = queries.own_business(request.user, afm)
    if business is None:
        raise Http404
    return business


@service_required("business_tax")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    businesses = list(queries.businesses_of(request.user))
    if len(businesses) == 1:
        return redirect("business_tax:business", afm=businesses[0].afm)
    return render(request, "business_tax/home.html", {"businesses": businesses})


@service_required("business_tax")
def business(request: AuthenticatedHttpRequest, afm: str) -> HttpResponse:
    found = _business_or_404(request, afm)
    today = timezone.localdate()
    return render(
        request,
        "business_tax/business.html",
        {
            "dashboard": queries.dashboard(found, today),
            "today": today,
            "includes_fee": rules.base_includes_fee(),
        },
    )


def _receipts_periods(business: Business, fee_type: FeeType, today: date) -> list[Any]:
    """Undeclared periods first, then declared ones (to amend), newest first."""
    profile = queries.profile_of(business)
    declared = {
        d.period_start: d
        for d in Declaration.objects.filter(
            business=business, fee_type=fee_type, amended_by__isnull=True
        )
    }
    periods = rules.ended_periods(profile.declares_from, today, profile.frequency)
    choices_open = [(p.key, period_choice_label(p)) for p in periods if p.start not in declared]
    choices_amend = [
        (p.key, f"{period_choice_label(p)} ({declared[p.start].display_number})")
        for p in periods
        if p.start in declared
    ]
    result: list[Any] = []
    if choices_open:
        result.append((_("Not declared yet"), choices_open))
    if choices_amend:
        result.append((_("Declared: amend the declaration"), choices_amend))
    return result


def _area_months(today: date) -> list[tuple[str, str]]:
    start = today.replace(day=1)
    months = [rules.months_period(rules.add_months(start, n), 1) for n in range(-12, 13)]
    return [(p.key, period_choice_label(p)) for p in months]


@service_required("business_tax")
def declare(request: AuthenticatedHttpRequest, afm: str) -> HttpResponse:
    """Step 1: which fee (when more than one), which period, the figures."""
    found = _business_or_404(request, afm)
    fee_types = list(queries.fee_types_for(found))
    today = timezone.localdate()
    draft = request.session.get(DRAFT_KEY) or {}
    if "fee" in request.GET:
        code = request.GET["fee"] or None  # «?fee=» asks for the choice of fee again
    else:
        code = draft.get("fee") if draft.get("afm") == afm else None
    if code is None and len(fee_types) == 1:
        code = fee_types[0].code
    fee_type = next((f for f in fee_types if f.code == code), None)
    if fee_type is None:
        return render(
            request, "business_tax/declare_choose.html", {"business": found, "fee_types": fee_types}
        )
    initial = _initial_from_draft(draft, afm, fee_type, request.GET.get("period"))
    form: ReceiptsDeclarationForm | AreaDeclarationForm
    if fee_type.on_receipts:
        form = ReceiptsDeclarationForm(
            request.POST or None,
            initial=initial,
            periods=_receipts_periods(found, fee_type, today),
            includes_fee=rules.base_includes_fee(),
        )
    else:
        form = AreaDeclarationForm(
            request.POST or None, initial=initial, fee_type=fee_type, months=_area_months(today)
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period: rules.Period = data["period"]
        previous = queries.latest_declaration(found, fee_type, period.start)
        request.session[DRAFT_KEY] = {
            "afm": afm,
            "fee": fee_type.code,
            "period": period.key,
            "start": data.get("start", ""),
            "months": data.get("months", 0),
            "receipts": data.get("receipts", 0),
            "area": str(data["area"]) if data.get("area") is not None else "",
            "rate": data["rate"].pk if data.get("rate") else None,
            "previous": previous.pk if previous else None,
        }
        return redirect("business_tax:check", afm=afm)
    return render(
        request,
        "business_tax/declare.html",
        {
            "business": found,
            "fee_type": fee_type,
            "form": form,
            "several": len(fee_types) > 1,
            "includes_fee": rules.base_includes_fee(),
        },
    )


def _initial_from_draft(
    draft: dict[str, Any], afm: str, fee_type: FeeType, period: str | None
) -> dict[str, Any]:
    if draft.get("afm") != afm or draft.get("fee") != fee_type.code:
        return {"period": period} if period else {}
    return {
        "period": draft.get("period"),
        "receipts": _euros_text(draft.get("receipts") or 0),
        "area": (draft.get("area") or "").replace(".", ","),
        "rate": draft.get("rate"),
        "start": draft.get("start"),
        "months": draft.get("months"),
    }


def _euros_text(cents: int) -> str:
    euros, rest = divmod(int(cents), 100)
    return f"{euros},{rest:02d}"


def _draft_computation(
    request: AuthenticatedHttpRequest, business: Business, today: date
) -> tuple[dict[str, Any], queries.Computation] | None:
    draft = request.session.get(DRAFT_KEY)
    if not draft or draft.get("afm") != business.afm:
        return None
    fee_type = queries.fee_types_for(business).filter(code=draft.get("fee")).first()
    period = rules.parse_period(draft.get("period") or "")
    if fee_type is None or period is None:
        return None
    area_rate = None
    area = None
    if not fee_type.on_receipts:
        area_rate = AreaRate.objects.filter(pk=draft.get("rate") or 0, fee_type=fee_type).first()
        if area_rate is None or not draft.get("area"):
            return None
        area = Decimal(draft["area"])
    computation = queries.compute(
        business,
        fee_type,
        period,
        today,
        base_cents=int(draft.get("receipts") or 0),
        area=area,
        area_rate=area_rate,
    )
    return draft, computation


@service_required("business_tax")
def check(request: AuthenticatedHttpRequest, afm: str) -> HttpResponse:
    """Step 2: the computation line by line; confirming declares and issues the order."""
    found = _business_or_404(request, afm)
    today = timezone.localdate()
    drafted = _draft_computation(request, found, today)
    if drafted is None:
        return redirect("business_tax:declare", afm=afm)
    draft, computation = drafted
    error = ""
    if request.method == "POST":
        try:
            declared = actions.do_declare(
                found,
                request.user,
                computation.fee_type,
                computation.period,
                base_cents=computation.base_cents,
                area=computation.area,
                area_rate=computation.area_rate,
                expected_previous=draft.get("previous"),
                today=today,
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            draft["previous"] = computation.previous.pk if computation.previous else None
            request.session[DRAFT_KEY] = draft
        else:
            del request.session[DRAFT_KEY]
            return redirect(
                "business_tax:declared",
                afm=afm,
                year=declared.declaration.year,
                number=declared.declaration.number,
            )
    return render(
        request,
        "business_tax/check.html",
        {"business": found, "c": computation, "error": error, "today": today},
    )


def _declaration_or_404(business: Business, year: int, number: int) -> Declaration:
    declaration = queries.own_declaration(business, year, number)
    if declaration is None:
        raise Http404
    return declaration


@service_required("business_tax")
def declared(request: AuthenticatedHttpRequest, afm: str, year: int, number: int) -> HttpResponse:
    """The confirmation: the declaration number, what is owed or credited, pay now or later."""
    found = _business_or_404(request, afm)
    declaration = _declaration_or_404(found, year, number)
    debt = getattr(declaration, "debt", None)
    return render(
        request,
        "business_tax/declared.html",
        {
            "business": found,
            "declaration": declaration,
            "debt": debt,
            "amount": debt.amount_due(timezone.localdate()) if debt else None,
            "credit": getattr(declaration, "credit", None),
        },
    )


@service_required("business_tax")
def declaration_pdf(
    request: AuthenticatedHttpRequest, afm: str, year: int, number: int
) -> FileResponse:
    found = _business_or_404(request, afm)
    declaration = _declaration_or_404(found, year, number)
    return document_response(actions.do_issue_declaration_proof(declaration, request=request))


@service_required("business_tax")
def debt(request: AuthenticatedHttpRequest, afm: str, pk: int) -> HttpResponse:
    found = _business_or_404(request, afm)
    item = queries.own_debt(found, pk)
    if item is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "business_tax/debt.html",
        {
            "business": found,
            "line": queries.DebtLine(item, item.amount_due(today)),
            "today": today,
        },
    )


@service_required("business_tax")
@require_POST
def pay(request: AuthenticatedHttpRequest, afm: str, pk: int) -> HttpResponse:
    """To the payment page, with an order for exactly what the debt comes to today."""
    found = _business_or_404(request, afm)
    item = queries.own_debt(found, pk)
    if item is None:
        raise Http404
    try:
        order = actions.do_prepare_payment(item, request=request)
    except ValidationError:
        return redirect("business_tax:debt", afm=afm, pk=pk)
    return redirect("payments:order", rf=order.rf)
