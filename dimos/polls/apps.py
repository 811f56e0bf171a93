from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "dimos.polls"
    label = "polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        from dimos.polls import queues

        queues.register()
