from django.contrib import admin

from dimos.registry.models import Family, Person, ResidencyClaim


class PersonInline(admin.TabularInline[Person, Family]):
    model = Person
    extra = 0
    readonly_fields = ["account"]


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin[Family]):
    list_display = ["number", "municipal_unit"]
    search_fields = ["number", "members__last_name", "members__amka"]
    inlines = [PersonInline]


@admin.register(ResidencyClaim)
class ResidencyClaimAdmin(admin.ModelAdmin[ResidencyClaim]):
    """Read-only: decisions go through the staff queue so they are audited and notified."""

    list_display = ["last_name", "first_name", "family_number", "status", "submitted_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
