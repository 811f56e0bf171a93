from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "dimos.core"
    label = "core"
    verbose_name = "Dimos core"

    def ready(self) -> None:
        from dimos.core import panels, security_signals, sessions  # noqa: F401 (receivers)

        panels.register()


class DimosAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "dimos.core.admin_site.DimosAdminSite"
