"""The back office of requests and complaints: department queues, handling, statistics."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.accounts.models import User
from dimos.core import audit
from dimos.core.access import staff_permission_required
from dimos.service_requests import actions, queries, rules
from dimos.service_requests.forms import (
    AssignForm,
    BulkStatusForm,
    NoteForm,
    StaffFilingForm,
    StatusForm,
    TransferForm,
)
from dimos.service_requests.models import Category, ServiceRequest

# The permission of this back office, as its queue declares it (queues.py).
PERMISSION = "service_requests.change_servicerequest"


def _allowed_statuses(service_request: ServiceRequest) -> list[tuple[str, Any]]:
    allowed = rules.STAFF_TRANSITIONS[rules.Status(service_request.status)]
    return [(s.value, s.label) for s in ServiceRequest.Status if s.value in allowed]


@staff_permission_required(PERMISSION)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = {
        "state": request.GET.get("state", "open"),
        "category": request.GET.get("category", ""),
        "overdue": request.GET.get("overdue") == "1",
        "mine": request.GET.get("mine") == "1",
    }
    qs = queries.staff_queue(request.user, today=today, **filters)  # type: ignore[arg-type]
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    bulk = BulkStatusForm(queue=qs)
    return render(
        request,
        "service_requests/staff_queue.html",
        {
            "page": page,
            "filters": filters,
            "today": today,
            "bulk": bulk,
            "categories": Category.objects.all(),
            "statuses": ServiceRequest.Status.choices,
        },
    )


@staff_permission_required(PERMISSION)
def file_for_someone(request: AuthenticatedHttpRequest) -> HttpResponse:
    """File a request for a person who called or came in; their account if they have one."""
    form = StaffFilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = (
            User.objects.filter(email__iexact=data["contact_email"]).first()
            if data["contact_email"]
            else None
        )
        service_request = actions.do_submit_request(
            account or request.user,
            actions.Submission(
                kind=data["kind"],
                category=data["category"],
                subject=data["subject"],
                description=data["description"],
                address=data["address"],
                notify_channel=data["notify_channel"],
                notify_address=data["notify_address"].strip(),
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
            ),
            filed_by=request.user,
            intake=data["intake"],
            request=request,
        )
        messages.success(
            request,
            _(
                "Filed with protocol number %(protocol)s. Tell the person "
                "this number and the tracking code %(code)s."
            )
            % {"protocol": service_request.protocol, "code": service_request.tracking_code},
        )
        if service_request.department in request.user.departments.all():
            return redirect("service_requests:staff_handle", public_id=service_request.public_id)
        return redirect("service_requests:staff_queue")
    return render(request, "service_requests/staff_new.html", {"form": form})


@staff_permission_required(PERMISSION)
def bulk_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("service_requests:staff_queue")
    form = BulkStatusForm(request.POST, queue=queries.staff_queue(request.user, state="all"))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect("service_requests:staff_queue")
    done, refused = 0, []
    for service_request in form.cleaned_data["requests"]:
        try:
            actions.do_change_status(
                service_request,
                request.user,
                form.cleaned_data["status"],
                public_note=form.cleaned_data["public_note"],
                request=request,
            )
            done += 1
        except ValidationError:
            refused.append(service_request.protocol)
    messages.success(
        request,
        ngettext("%(count)s request changed.", "%(count)s requests changed.", done)
        % {"count": done},
    )
    if refused:
        messages.error(
            request,
            _("Not changed (the status does not allow it): %(list)s")
            % {"list": ", ".join(refused)},
        )
    return redirect("service_requests:staff_queue")


def _handle_post(
    request: AuthenticatedHttpRequest, service_request: ServiceRequest, forms: Mapping[str, Form]
) -> bool:
    """Run the form that was posted; True when something changed."""
    action = request.POST.get("action")
    form = forms.get(action or "")
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if action == "status":
            actions.do_change_status(
                service_request,
                request.user,
                data["status"],
                public_note=data["public_note"],
                duplicate_of=data["duplicate_of"],
                forwarded_to=data["forwarded_to"],
                request=request,
            )
        elif action == "assign":
            actions.do_assign(service_request, request.user, data["assignee"], request=request)
        elif action == "transfer":
            actions.do_transfer_department(
                service_request, request.user, data["department"], request=request
            )
        elif action == "note":
            actions.do_add_internal_note(
                service_request, request.user, data["text"], request=request
            )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@staff_permission_required(PERMISSION)
def handle(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    service_request = queries.staff_request(request.user, public_id)
    if service_request is None:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    forms: dict[str, Form] = {
        "status": StatusForm(
            posted if action == "status" else None, allowed=_allowed_statuses(service_request)
        ),
        "assign": AssignForm(
            posted if action == "assign" else None,
            colleagues=queries.colleagues_of(request.user, service_request),
        ),
        "note": NoteForm(posted if action == "note" else None),
        "transfer": TransferForm(
            posted if action == "transfer" else None, current=service_request.department
        ),
    }
    if posted is not None and _handle_post(request, service_request, forms):
        messages.success(request, _("Saved."))
        return redirect("service_requests:staff_handle", public_id=public_id)
    with transaction.atomic():
        audit.record(
            "request.viewed", service_request, request=request, subject=service_request.citizen
        )
    failed = forms.get(action or "")
    return render(
        request,
        "service_requests/staff_handle.html",
        {
            "service_request": service_request,
            "today": timezone.localdate(),
            "status_form": forms["status"],
            "assign_form": forms["assign"],
            "note_form": forms["note"],
            "transfer_form": forms["transfer"],
            "forward_by": rules.forward_deadline(
                timezone.localtime(service_request.submitted_at).date()
            ),
            "form": failed,
        },
    )
