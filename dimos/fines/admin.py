from django.contrib import admin
from django.http import HttpRequest

from dimos.fines.models import FineCategory, PaymentPolicy, Ticket


@admin.register(FineCategory)
class FineCategoryAdmin(admin.ModelAdmin[FineCategory]):
    """The fines table of ν.5209/2025 art. 108 §5. For a change of the law add a row with its
    "valid from" and close the old one with "valid to": tickets keep their day's amount."""

    list_display = [
        "code",
        "article",
        "amount_cents",
        "licence_days",
        "plates_days",
        "valid_from",
        "valid_to",
        "legal_source",
    ]
    list_filter = ["code"]

    def has_delete_permission(self, request: HttpRequest, obj: FineCategory | None = None) -> bool:
        return obj is None or not obj.tickets.exists()


@admin.register(PaymentPolicy)
class PaymentPolicyAdmin(admin.ModelAdmin[PaymentPolicy]):
    """Deadline, early-payment discount and interest, by the date of the violation."""

    list_display = [
        "name",
        "valid_from",
        "valid_to",
        "payment_months",
        "discount_percent",
        "discount_days",
        "interest_bp_per_month",
        "interest_counting",
    ]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    """Read-only: tickets are registered, cancelled and reconciled in the back office."""

    list_display = ["number", "plate", "issued_at", "amount_cents", "status", "provisional"]
    list_filter = ["status", "provisional", "needs_review"]
    search_fields = ["number", "plate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
