from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dimos.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from dimos.core.audit import register_read_label
        from dimos.notifications import queues

        register_read_label(
            "callback.viewed", _("Looked at your telephone number to call you back")
        )
        queues.register()
