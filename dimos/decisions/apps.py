from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "dimos.decisions"
    label = "decisions"
    verbose_name = _("Council decisions")

    def ready(self) -> None:
        from dimos.decisions import queues

        queues.register()
