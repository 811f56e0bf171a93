from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dimos.registry"
    label = "registry"
    verbose_name = _("Municipal registry")

    def ready(self) -> None:
        from dimos.core.audit import register_read_label
        from dimos.registry import panels, queues

        register_read_label(
            "residency.viewed", _("Looked at your request to be verified as a resident")
        )
        register_read_label(
            "registry_person.viewed", _("Looked at your entry in the municipal registry")
        )
        queues.register()
        panels.register()
