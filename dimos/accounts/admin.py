from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import ActivityCategory, Business, Department, Representation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Administrators create staff here: a department, groups for permissions; 2FA follows."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "resident_since", "is_active"]
    list_filter = ["is_staff", "is_active", "departments", "groups", "signup_door"]
    search_fields = ["email", "first_name", "last_name", "afm", "amka"]
    filter_horizontal = ["groups", "user_permissions", "departments"]
    readonly_fields = ["last_login", "date_joined", "resident_since", "signup_door"]
    fieldsets = (
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "father_name",
                    "mother_name",
                    "birth_date",
                    "afm",
                    "amka",
                ]
            },
        ),
        (_("Contact"), {"fields": ["phone", "mobile", "fax", "address", "notification_channel"]}),
        (
            _("Roles"),
            {
                "fields": [
                    "signup_door",
                    "resident_since",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "departments",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "first_name",
                    "last_name",
                    "password1",
                    "password2",
                    "is_staff",
                    "departments",
                    "groups",
                ],
            },
        ),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "code"]


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(admin.ModelAdmin[ActivityCategory]):
    list_display = ["name", "code"]


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin[Business]):
    list_display = ["legal_name", "afm", "activity_category"]
    search_fields = ["legal_name", "afm"]
    list_filter = ["activity_category"]


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin[Representation]):
    """Read-only here: decisions go through the staff queue so they are audited and notified."""

    list_display = ["person", "business", "status", "submitted_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = [
        "person",
        "business",
        "proof",
        "proof_content_type",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "rejection_reason",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
