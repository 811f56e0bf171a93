from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core import audit
from dimos.core.access import staff_permission_required
from dimos.registry import actions, queries
from dimos.registry.forms import ClaimDecisionForm, ClaimForm
from dimos.registry.models import ResidencyClaim

# The permission of this back office, as its queue declares it (queues.py).
PERMISSION = "registry.change_residencyclaim"


@login_required
def claim(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Become a Δημότης: give the data of your registry entry."""
    latest = queries.latest_claim_of(request.user)
    if latest is not None and latest.status != ResidencyClaim.Status.REJECTED:
        return redirect("registry:claim_status")
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_claim_residency(request.user, form.cleaned_data, request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("registry:claim_status")
    return render(request, "registry/claim.html", {"form": form, "previous": latest})


@login_required
def claim_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    latest = queries.latest_claim_of(request.user)
    if latest is None:
        return redirect("registry:claim")
    return render(request, "registry/claim_status.html", {"claim": latest})


@staff_permission_required(PERMISSION)
def staff_claims(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "registry/staff_claims.html", {"claims": queries.pending_claims()})


@staff_permission_required(PERMISSION)
def staff_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(queries.pending_claims(), pk=pk)
    candidates = queries.candidates_for(pending)
    form = ClaimDecisionForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_decide_claim(
                pending,
                request.user,
                approve=form.cleaned_data["decision"] == "approve",
                person=form.cleaned_data.get("person"),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision has been recorded and the person notified."))
            return redirect("registry:staff_claims")
    audit.record("residency.viewed", pending, request=request, subject=pending.account)
    shown = list(candidates)
    for candidate in shown:
        if candidate.account is not None:  # a registry record of a person with an account
            audit.record(
                "registry_person.viewed", candidate, request=request, subject=candidate.account
            )
    return render(
        request,
        "registry/staff_claim.html",
        {"claim": pending, "candidates": shown, "form": form},
    )
