from django.contrib import admin
from django.http import HttpRequest

from dimos.service_requests.models import Category, ResponseTemplate, ServiceRequest


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    """Staff add, rename and retire categories, and set each one's department and deadline.
    A category in use is retired (unticked "in use"), never deleted."""

    list_display = [
        "name",
        "code",
        "department",
        "answer_days",
        "location_matters",
        "active",
        "position",
    ]
    list_editable = ["active", "position"]
    list_filter = ["active", "department"]

    def has_delete_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return obj is None or not obj.requests.exists()


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin[ResponseTemplate]):
    list_display = ["title", "status", "active"]
    list_filter = ["status", "active"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin[ServiceRequest]):
    """Read-only: requests are handled in the back office, where every step is audited."""

    list_display = ["__str__", "status", "department", "deadline"]
    list_filter = ["status", "department", "category"]
    search_fields = ["subject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
