from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "dimos.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from dimos.payments import queues

        queues.register()
