from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dimos.registry"
    label = "registry"
    verbose_name = _("Municipal registry")

    def ready(self) -> None:
        from dimos.registry import panels, queues

        queues.register()
        panels.register()
