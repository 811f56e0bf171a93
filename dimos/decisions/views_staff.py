"""The back office of decisions: upload, edit, revoke, mark as corrected. All audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.access import staff_required
from dimos.decisions import actions, queries
from dimos.decisions.forms import CorrectForm, DecisionForm, RevokeForm
from dimos.decisions.models import Decision

PERMISSION = "decisions.change_decision"


def _forbidden(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if request.user.has_perm(PERMISSION):
        return None
    return render(request, "core/staff_only.html", status=403)


def _decision_or_404(pk: int) -> Decision:
    decision = queries.decision(pk)
    if decision is None:
        raise Http404
    return decision


def _data(form: DecisionForm) -> actions.DecisionData:
    data = form.cleaned_data
    return actions.DecisionData(
        body=data["body"],
        protocol_number=data["protocol_number"],
        subject=data["subject"],
        decision_date=data["decision_date"],
        meeting_date=data["meeting_date"],
        decision_type=data["decision_type"],
        categories=list(data["categories"]),
        ada=data["ada"],
    )


@staff_required
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    text = request.GET.get("q", "").strip()[:100]
    page = Paginator(queries.staff_list(text), 30).get_page(request.GET.get("page"))
    return render(request, "decisions/staff_list.html", {"page": page, "q": text})


@staff_required
def staff_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    form = DecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.do_publish_decision(
                _data(form), form.cleaned_data["pdf"], actor=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Decision %(number)s is published. Its text becomes searchable in a minute.")
                % {"number": decision.protocol_number},
            )
            return redirect("decisions:staff_edit", pk=decision.pk)
    return render(request, "decisions/staff_new.html", {"form": form})


@staff_required
def staff_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    decision = _decision_or_404(pk)
    form = DecisionForm(request.POST or None, request.FILES or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_decision(
                decision,
                _data(form),
                pdf=form.cleaned_data["pdf"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("decisions:staff_edit", pk=pk)
    return render(request, "decisions/staff_edit.html", {"form": form, "decision": decision})


@staff_required
def staff_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke a decision, or mark it corrected by a later one."""
    if (refused := _forbidden(request)) is not None:
        return refused
    decision = _decision_or_404(pk)
    action = request.POST.get("action") if request.method == "POST" else None
    revoke = RevokeForm(request.POST if action == "revoke" else None, prefix="revoke")
    correct = CorrectForm(
        request.POST if action == "correct" else None, decision=decision, prefix="correct"
    )
    form = revoke if action == "revoke" else correct if action == "correct" else None
    if form is not None and form.is_valid():
        try:
            if action == "revoke":
                actions.do_revoke_decision(
                    decision, revoke.cleaned_data["reason"], actor=request.user, request=request
                )
            else:
                actions.do_mark_corrected(
                    decision,
                    correct.cleaned_data["correction"],
                    correct.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("decisions:staff_edit", pk=pk)
    return render(
        request,
        "decisions/staff_status.html",
        {"decision": decision, "revoke": revoke, "correct": correct, "form": form},
    )
