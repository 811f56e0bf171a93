"""Load a small believable municipality for trying Dimos out. Running it twice changes nothing.

Each app that has demo data puts it in `<app>/demo.py` as `load(out)`; they run in the order
of INSTALLED_APPS, so a service app finds the accounts it needs.
"""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo accounts and data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production (DIMOS_PRODUCTION=true).")
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name.startswith("dimos.") and find_spec(f"{config.name}.demo"):
                    import_module(f"{config.name}.demo").load(self.stdout)
