from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    default = True
    name = "dimos.core"
    label = "core"
    verbose_name = "Dimos core"

    def ready(self) -> None:
        from dimos.core import panels, personal_data, security_signals, sessions  # noqa: F401

        panels.register()
        personal_data.register_core()
        # Each app's personal_data.py says what it holds about a person (see that module).
        autodiscover_modules("personal_data")


class DimosAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "dimos.core.admin_site.DimosAdminSite"
