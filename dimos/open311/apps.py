from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "dimos.open311"
    label = "open311"
    verbose_name = _("Open311 API")

    def ready(self) -> None:
        from dimos.open311 import changeset, queues

        changeset.connect()
        queues.register()
