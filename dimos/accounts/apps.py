from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dimos.accounts"
    label = "accounts"
    verbose_name = _("People and businesses")

    def ready(self) -> None:
        from dimos.accounts import queues
        from dimos.core.audit import register_read_label

        register_read_label(
            "representation.viewed", _("Looked at your request to represent a business")
        )
        register_read_label(
            "representation.proof_downloaded", _("Downloaded your proof of representation")
        )
        queues.register()
