from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core import audit
from dimos.core.access import staff_required
from dimos.notifications import actions, queries
from dimos.notifications.forms import CallOutcomeForm

V = TypeVar("V", bound=Callable[..., HttpResponseBase])

VIEW_NOTIFICATIONS = "notifications.view_notification"
HANDLE_FAILURES = "notifications.change_notification"
MAKE_CALLBACKS = "notifications.change_callbacktask"


def staff_permission_required(permission: str) -> Callable[[V], V]:
    """Staff pages (second factor included) for those with `permission`; others get 403."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                return render(request, "notifications/staff_no_permission.html", status=403)
            return view(request, *args, **kwargs)

        return staff_required(wrapped)  # type: ignore[return-value]

    return decorator


def sandbox_only(view: V) -> V:
    """Pages of the sandbox exist only while DIMOS_SANDBOX is on (never in production)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(settings, "SANDBOX_ENABLED", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


@staff_permission_required(VIEW_NOTIFICATIONS)
def staff_failed(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/staff_failed.html",
        {
            "notifications": queries.failed_notifications(),
            "can_handle": request.user.has_perm(HANDLE_FAILURES),
        },
    )


@staff_permission_required(HANDLE_FAILURES)
@require_POST
def staff_failed_handled(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(queries.failed_notifications(), pk=pk)
    try:
        actions.do_mark_failure_handled(notification, request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The failed notification is marked as dealt with."))
    return redirect("notifications:staff_failed")


@staff_permission_required(MAKE_CALLBACKS)
def staff_callbacks(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/staff_callbacks.html",
        {"tasks": queries.callbacks_for(request.user)},
    )


@staff_permission_required(MAKE_CALLBACKS)
def staff_callback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(queries.callbacks_for(request.user), pk=pk)
    # Not `request.POST or None`: an empty submission must show its errors too.
    form = CallOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_call_outcome(
                task,
                request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The outcome of the call has been recorded."))
            return redirect("notifications:staff_callbacks")
    notification = task.notification
    audit.record("callback.viewed", task, request=request, subject=notification.recipient)
    return render(
        request,
        "notifications/staff_callback.html",
        {
            "task": task,
            "notification": notification,
            "attempts": queries.attempts_of(notification),
            "form": form,
        },
    )


@sandbox_only
@staff_permission_required(VIEW_NOTIFICATIONS)
def sandbox_sms(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "notifications/sandbox_sms.html", {"messages_sent": queries.sandbox_messages()}
    )
