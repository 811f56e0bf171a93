from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinesConfig(AppConfig):
    name = "dimos.fines"
    label = "fines"
    verbose_name = _("Traffic fines (ΚΟΚ)")

    def ready(self) -> None:
        from dimos.core.audit import register_read_label
        from dimos.fines import queues
        from dimos.fines.actions import on_order_settled
        from dimos.payments.registry import PayableKind, register_payable

        register_payable(
            PayableKind(key="fine", label=_("Traffic fine (ΚΟΚ)"), on_settled=on_order_settled)
        )
        register_read_label("ticket.viewed", _("Looked at a traffic fine you paid"))
        queues.register()
