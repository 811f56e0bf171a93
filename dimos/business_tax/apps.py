from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessTaxConfig(AppConfig):
    name = "dimos.business_tax"
    label = "business_tax"
    verbose_name = _("Municipal tax of businesses")

    def ready(self) -> None:
        from dimos.business_tax import actions, queues
        from dimos.payments.registry import PayableKind, register_payable

        register_payable(
            PayableKind(
                key=actions.PAYABLE_KIND,
                label=_("Municipal tax of a business"),
                on_settled=actions.on_order_settled,
                on_settled_many=actions.on_orders_settled,
            )
        )
        queues.register()
