from django.contrib import admin

from dimos.notifications.models import CallbackTask, DeliveryAttempt, Notification

ATTEMPT_FIELDS = (
    "number",
    "channel",
    "address",
    "started_at",
    "finished_at",
    "outcome",
    "provider_id",
    "error",
    "recorded_by",
)


class DeliveryAttemptInline(admin.TabularInline[DeliveryAttempt, Notification]):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ATTEMPT_FIELDS
    readonly_fields = ATTEMPT_FIELDS

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """For looking only: the outbox is written by the product, never by hand."""

    list_display = ["created_at", "recipient", "channel", "subject", "status", "attempts"]
    list_filter = ["status", "channel"]
    inlines = [DeliveryAttemptInline]
    readonly_fields = [
        "recipient",
        "channel",
        "address",
        "subject",
        "body",
        "short_text",
        "department",
        "dedup_key",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "claim_token",
        "provider_message_id",
        "created_at",
        "sent_at",
        "fallback_for",
        "handled_at",
        "handled_by",
    ]


@admin.register(CallbackTask)
class CallbackTaskAdmin(admin.ModelAdmin[CallbackTask]):
    list_display = ["created_at", "phone", "department", "status", "no_answer_count"]
    list_filter = ["status", "department"]
    readonly_fields = [
        "notification",
        "department",
        "phone",
        "status",
        "no_answer_count",
        "outcome_note",
        "last_called_by",
        "last_called_at",
        "created_at",
    ]
