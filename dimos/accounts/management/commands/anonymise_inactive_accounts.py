"""Storage limitation (GDPR Art. 5(1)(e)) for accounts nobody uses, as FixMyStreet's
`process-inactive-accounts`.

Run it daily (cron or a systemd timer). It

1. anonymises every account (not staff) whose last login — or registration, if it never
   logged in — is older than DIMOS_INACTIVE_ANONYMISE_MONTHS (36), exactly as closing an
   account does (dimos/core/personal_data.py);
2. e-mails, once, those older than DIMOS_INACTIVE_WARN_MONTHS (35) that their account will be
   anonymised unless they log in.

Running it twice changes nothing more: an anonymised account is not picked again, and the
warning is one outbox message per spell of inactivity.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dimos.accounts.actions import process_inactive_accounts


class Command(BaseCommand):
    help = "Warn, then anonymise, accounts not used for DIMOS_INACTIVE_*_MONTHS."

    def handle(self, *args: Any, **options: Any) -> None:
        warned, anonymised = process_inactive_accounts(timezone.now())
        self.stdout.write(f"{warned} account(s) warned, {anonymised} account(s) anonymised")
