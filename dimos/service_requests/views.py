from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core import ratelimit
from dimos.core.access import service_required
from dimos.core.documents import document_response
from dimos.service_requests import actions, queries, rules
from dimos.service_requests.forms import ReasonForm, ReplyForm, RequestForm, TrackForm
from dimos.service_requests.models import Attachment, Category, ServiceRequest

DRAFT_KEY = "service_request_draft"
TRACK_LIMIT = (
    20  # look-ups per IP per 10 minutes: tracking codes must not be guessable by brute force
)


def _draft(request: HttpRequest) -> dict[str, Any] | None:
    draft: dict[str, Any] | None = request.session.get(DRAFT_KEY)
    return draft


def _draft_initial(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    draft = _draft(request)
    if draft:
        return draft
    person = request.user
    addresses = {
        "email": person.email,
        "sms": person.mobile,
        "phone": person.phone or person.mobile,
        "fax": person.fax,
    }
    return {
        "notify_channel": person.notification_channel,
        "notify_address": addresses.get(person.notification_channel, person.email),
        "kind": "complaint",
    }


@service_required("requests")
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: what, where, how to tell you. The files are kept while you check your answers."""
    drafts = queries.drafts_of(request.user)
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        initial=_draft_initial(request),
        existing_attachments=drafts.count(),
    )
    if request.method == "POST":
        for pk in request.POST.getlist("remove_attachment"):
            drafts.filter(pk=pk).delete()
        if form.is_valid():
            data = form.cleaned_data
            actions.do_store_draft_attachments(
                request.user, data["attachments"], keep_location=data["keep_photo_location"]
            )
            request.session[DRAFT_KEY] = {
                "kind": data["kind"],
                "category": data["category"].pk,
                "subject": data["subject"],
                "description": data["description"],
                "address": data["address"],
                "latitude": str(data["latitude"]) if data["latitude"] is not None else None,
                "longitude": str(data["longitude"]) if data["longitude"] is not None else None,
                "notify_channel": data["notify_channel"],
                "notify_address": data["notify_address"].strip(),
                "notify_every_change": data["notify_every_change"],
            }
            return redirect("service_requests:check")
    return render(
        request,
        "service_requests/new.html",
        {"form": form, "drafts": drafts, "map": settings.DIMOS_MAP},
    )


def _submission(draft: dict[str, Any]) -> actions.Submission | None:
    category = Category.objects.filter(pk=draft.get("category") or 0, active=True).first()
    if category is None:
        return None
    return actions.Submission(
        kind=draft["kind"],
        category=category,
        subject=draft["subject"],
        description=draft["description"],
        address=draft["address"],
        latitude=draft["latitude"],
        longitude=draft["longitude"],
        notify_channel=draft["notify_channel"],
        notify_address=draft["notify_address"],
        notify_every_change=draft["notify_every_change"],
    )


@service_required("requests")
def check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2: check your answers, then file."""
    draft = _draft(request)
    submission = _submission(draft) if draft else None
    if submission is None:
        return redirect("service_requests:new")
    drafts = list(queries.drafts_of(request.user))
    if request.method == "POST":
        service_request = actions.do_submit_request(
            request.user, submission, attachments=drafts, request=request
        )
        del request.session[DRAFT_KEY]
        return redirect("service_requests:submitted", public_id=service_request.public_id)
    return render(
        request,
        "service_requests/check.html",
        {
            "submission": submission,
            "drafts": drafts,
            "kind_label": ServiceRequest.Kind(submission.kind).label,
        },
    )


def _own_or_404(request: AuthenticatedHttpRequest, public_id: str) -> ServiceRequest:
    service_request = queries.own_request(request.user, public_id)
    if service_request is None:
        raise Http404
    return service_request


@service_required("requests")
def submitted(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    return render(
        request,
        "service_requests/submitted.html",
        {"service_request": _own_or_404(request, public_id)},
    )


@service_required("request_progress")
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in ("", "open", "done"):
        state = ""
    page = Paginator(queries.requests_of(request.user, state), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "service_requests/mine.html",
        {"page": page, "state": state, "today": timezone.localdate()},
    )


@service_required("request_progress")
def detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    service_request = _own_or_404(request, public_id)
    today = timezone.localdate()
    return render(
        request,
        "service_requests/detail.html",
        {
            "service_request": service_request,
            "today": today,
            "may_reopen": rules.may_reopen(
                rules.Status(service_request.status), service_request.resolved_on, today
            ),
            "reply_form": ReplyForm(),
            "reopen_form": ReasonForm(),
        },
    )


@service_required("request_progress")
def receipt(request: AuthenticatedHttpRequest, public_id: str) -> FileResponse:
    """The filing receipt PDF of the citizen's own request."""
    service_request = _own_or_404(request, public_id)
    return document_response(actions.do_issue_filing_receipt(service_request, request=request))


@service_required("request_progress")
def attachment(request: AuthenticatedHttpRequest, public_id: str, pk: int) -> FileResponse:
    service_request = _own_or_404(request, public_id)
    file = Attachment.objects.filter(request=service_request, pk=pk).first()
    if file is None:
        raise Http404
    response = FileResponse(
        file.file.open("rb"),
        as_attachment=True,
        filename=file.original_name,
        content_type=file.content_type,
    )
    return response


@service_required("request_progress")
def reply(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    service_request = _own_or_404(request, public_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            files = actions.do_store_draft_attachments(
                request.user, form.cleaned_data["attachments"]
            )
            actions.do_citizen_reply(
                service_request,
                request.user,
                form.cleaned_data["text"],
                attachments=files,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your answer was sent to the service."))
            return redirect("service_requests:detail", public_id=public_id)
    return render(
        request, "service_requests/reply.html", {"service_request": service_request, "form": form}
    )


@service_required("request_progress")
def reopen(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    service_request = _own_or_404(request, public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_reopen(
                service_request, request.user, form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The request was reopened and is back with the service."))
            return redirect("service_requests:detail", public_id=public_id)
    return render(
        request, "service_requests/reopen.html", {"service_request": service_request, "form": form}
    )


@service_required("request_progress")
def confirm(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    service_request = _own_or_404(request, public_id)
    if request.method == "POST":
        try:
            actions.do_confirm_resolution(service_request, request.user, request=request)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you. The request is closed."))
    return redirect("service_requests:detail", public_id=public_id)


def _too_many_lookups(request: HttpRequest) -> bool:
    return not ratelimit.hit(
        "request-tracking", ratelimit.client_key(request), limit=TRACK_LIMIT, window_seconds=600
    )


def track(request: HttpRequest) -> HttpResponse:
    """Public: the status timeline of a request by protocol number and tracking code.
    No name, no description, no notes: nothing personal."""
    # POST, so that the tracking code stays out of URLs, logs and Referer headers.
    form = TrackForm(request.POST or None)
    found = None
    status = 200
    if form.is_bound and form.is_valid():
        if _too_many_lookups(request):
            form.add_error(None, _("Too many attempts. Try again in a few minutes."))
            status = 429
        else:
            year, number = form.cleaned_data["protocol"]
            found = queries.tracked_request(year, number, form.cleaned_data["code"])
            if found is None:
                form.add_error(
                    None,
                    _(
                        "No request matches this protocol number and tracking "
                        "code. Check both and try again."
                    ),
                )
                status = 404
    return render(
        request, "service_requests/track.html", {"form": form, "found": found}, status=status
    )


def statistics(request: HttpRequest) -> HttpResponse:
    """Public: how the municipality answers, per category, for a year. No personal data."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    rows = queries.statistics(year, today)
    months = queries.received_per_month(year)
    peak = max((n for _m, n in months), default=0)
    return render(
        request,
        "service_requests/statistics.html",
        {
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "rows": rows,
            "months": [(m, n, round(100 * n / peak) if peak else 0) for m, n in months],
            "totals": {
                "received": sum(r.received for r in rows),
                "answered": sum(r.answered for r in rows),
                "in_time": sum(r.answered_in_time for r in rows),
                "overdue": sum(r.open_overdue for r in rows),
            },
        },
    )
