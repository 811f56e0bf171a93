"""The back office of the Open311 API: the keys of client applications, issued and revoked."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.access import staff_required
from dimos.open311 import actions, queries
from dimos.open311.forms import IssueKeyForm

MANAGE_KEYS = "open311.change_apikey"

View = Callable[..., HttpResponse]


def keys_permission_required(view: View) -> View:
    """Staff with the second factor, and the permission to manage API keys; else a 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(MANAGE_KEYS):
            return render(request, "open311/staff_no_permission.html", status=403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


@keys_permission_required
def keys(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "open311/staff_keys.html", {"keys": queries.all_keys()})


@keys_permission_required
def issue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "open311/staff_key_new.html", {"form": IssueKeyForm()})
    form = IssueKeyForm(request.POST)
    if not form.is_valid():
        return render(request, "open311/staff_key_new.html", {"form": form})
    key, raw_key = actions.do_issue_key(
        form.cleaned_data["name"], form.cleaned_data["owner_email"], request.user, request=request
    )
    # Shown on this response only, never stored: no redirect, no session, no cache keeps it.
    response = render(request, "open311/staff_key_issued.html", {"key": key, "raw_key": raw_key})
    add_never_cache_headers(response)
    return response


@keys_permission_required
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(queries.all_keys(), pk=pk)
    if request.method != "POST":
        return render(request, "open311/staff_key_revoke.html", {"key": key})
    if actions.do_revoke_key(key, request.user, request=request):
        messages.success(
            request,
            _("The key of “%(name)s” is revoked: the application can no longer file requests.")
            % {"name": key.name},
        )
    else:
        messages.error(request, _("This key had already been revoked."))
    return redirect("open311_staff:keys")
