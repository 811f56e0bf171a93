from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class DimosAdminSite(admin.AdminSite):
    """The admin opens only to staff whose session was confirmed with their second factor."""

    def has_permission(self, request: HttpRequest) -> bool:
        from dimos.core.access import used_second_factor

        return super().has_permission(request) and used_second_factor(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated and request.user.is_staff:
            return redirect("core:staff_second_factor")
        next_url = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
