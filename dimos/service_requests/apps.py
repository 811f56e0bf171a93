from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceRequestsConfig(AppConfig):
    name = "dimos.service_requests"
    label = "service_requests"
    verbose_name = _("Requests and complaints")

    def ready(self) -> None:
        from dimos.core.audit import register_read_label
        from dimos.service_requests import queues

        register_read_label("request.viewed", _("Looked at your request or complaint"))
        queues.register()
