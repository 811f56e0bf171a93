from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    """Stand-ins for outside services (card gateways), for development and tests only.

    Every view answers 404 unless settings.SANDBOX_ENABLED, which production refuses.
    """

    name = "dimos.sandbox"
    label = "sandbox"
    verbose_name = _("Sandbox")
