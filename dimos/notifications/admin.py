from django.contrib import admin

from dimos.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "recipient", "channel", "subject", "status", "attempts"]
    list_filter = ["status", "channel"]
    readonly_fields = [
        "recipient",
        "channel",
        "address",
        "subject",
        "body",
        "dedup_key",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
