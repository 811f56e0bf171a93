from django.contrib import admin
from django.http import HttpRequest

from dimos.business_tax.models import AreaRate, FeeType


class AreaRateInline(admin.TabularInline[AreaRate, FeeType]):
    model = AreaRate
    extra = 0


@admin.register(FeeType)
class FeeTypeAdmin(admin.ModelAdmin[FeeType]):
    """The fees, their rates, deadlines and surcharges: configuration the municipality keeps
    in step with the law and its council's decisions. A fee in use is retired, never deleted."""

    list_display = ["name", "code", "basis", "rate_bp", "self_declared", "deadline_rule", "active"]
    list_filter = ["basis", "active"]
    filter_horizontal = ["categories"]
    inlines = [AreaRateInline]

    def has_delete_permission(self, request: HttpRequest, obj: FeeType | None = None) -> bool:
        return obj is None or not (obj.debts.exists() or obj.declarations.exists())
