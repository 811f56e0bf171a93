from allauth.account.decorators import reauthentication_required
from allauth.account.views import SignupView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dimos.accounts import actions, queries
from dimos.accounts.adapter import next_step_for_door
from dimos.accounts.forms import (
    BusinessRequestForm,
    CloseAccountForm,
    DecisionForm,
    ProfileForm,
)
from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.accounts.models import Representation, SignupDoor
from dimos.core import audit, personal_data
from dimos.core.access import staff_permission_required
from dimos.core.dashboard import panels_for
from dimos.core.personal_data import Closure
from dimos.core.security_log import security_event

# The permission of this back office, as its queue declares it (queues.py).
PERMISSION = "accounts.change_representation"


def register(request: HttpRequest) -> HttpResponse:
    """Choose how to register: the seed's three doors."""
    return render(request, "accounts/register.html", {"doors": SignupDoor})


class DoorSignupView(SignupView):
    door: str = SignupDoor.CITIZEN

    def get_initial(self) -> dict[str, str]:
        return {**super().get_initial(), "door": self.door}

    def get_success_url(self) -> str:
        # Once the e-mail is confirmed, the person continues where their door leads.
        return self.get_next_url() or next_step_for_door(self.door)

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {
            **super().get_context_data(**kwargs),
            "door": self.door,
            "door_label": SignupDoor(self.door).label,
        }


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/dashboard.html",
        {
            "panels": panels_for(request),
            "representations": queries.representations_of(request.user),
        },
    )


@login_required
@reauthentication_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        actions.do_update_profile(request.user, changes, request)
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@reauthentication_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the municipality holds about the person, and the button to download it all."""
    return render(
        request,
        "accounts/my_data.html",
        {"sections": personal_data.sections(), "file_name": _export_name()},
    )


def _export_name() -> str:
    return personal_data.export_file_name(timezone.localdate())


@never_cache
@login_required
@reauthentication_required
def my_data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GDPR Art. 15: a copy of everything held about the person, as a ZIP; audited."""
    if request.method != "POST":
        return redirect("accounts:my_data")
    content, counts = personal_data.export_zip(request.user, _readme(request))
    audit.record(
        "personal_data.exported", request.user, request=request, subject=request.user, **counts
    )
    security_event("export", request=request, obj=request.user, file="personal-data.zip")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_export_name()}"'
    return response


def _readme(request: AuthenticatedHttpRequest) -> str:
    return render_to_string(
        "accounts/my_data_readme.txt",
        {"sections": personal_data.sections(), "now": timezone.localtime()},
        request=request,
    )


@login_required
@reauthentication_required
def close_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Close the account: what goes, what stays and why; confirm; one transaction."""
    summary = personal_data.closure_summary()
    context = {
        "erased": summary[Closure.DELETE] + summary[Closure.ANONYMISE],
        "kept": summary[Closure.KEEP],
    }
    if request.user.is_staff or request.user.is_superuser:
        return render(request, "accounts/close_account.html", {**context, "staff": True})
    form = CloseAccountForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_close_account(request.user, request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            return render(request, "accounts/account_closed.html")
    return render(request, "accounts/close_account.html", {**context, "form": form})


@login_required
def business_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BusinessRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_request_representation(
                request.user,
                **{
                    k: form.cleaned_data[k]
                    for k in ("afm", "legal_name", "address", "activity_category", "proof")
                },
                proof_content_type=form.proof_content_type,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("accounts:business_sent")
    return render(request, "accounts/business_new.html", {"form": form})


@login_required
def business_sent(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/business_sent.html")


@staff_permission_required(PERMISSION)
def staff_representations(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/staff_representations.html",
        {"representations": queries.pending_representations()},
    )


@staff_permission_required(PERMISSION)
def staff_representation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    representation = get_object_or_404(queries.pending_representations(), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_decide_representation(
                representation,
                request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The decision has been recorded and the person notified."))
        return redirect("accounts:staff_representations")
    audit.record(
        "representation.viewed", representation, request=request, subject=representation.person
    )
    return render(
        request,
        "accounts/staff_representation.html",
        {"representation": representation, "form": form},
    )


@staff_permission_required(PERMISSION)
def staff_representation_proof(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    representation = get_object_or_404(Representation, pk=pk)
    audit.record(
        "representation.proof_downloaded",
        representation,
        request=request,
        subject=representation.person,
    )
    extension = (representation.proof.name or "").rsplit(".", 1)[-1]
    return FileResponse(
        representation.proof.open("rb"),
        as_attachment=True,
        filename=f"proof-{representation.pk}.{extension}",
        content_type=representation.proof_content_type,
    )
