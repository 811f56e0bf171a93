"""Rules about accounts, as plain functions."""

import calendar
from datetime import datetime

ANONYMOUS_DOMAIN = "invalid.example"  # RFC 2606: can never receive mail


def anonymous_email(user_id: int) -> str:
    """What an anonymised account's e-mail becomes (as FixMyStreet: removed-<id>@…)."""
    return f"removed-{user_id}@{ANONYMOUS_DOMAIN}"


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (31 March - 1 month = 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def inactivity_cutoffs(
    now: datetime, warn_months: int, anonymise_months: int
) -> tuple[datetime, datetime]:
    """Accounts last active before the first are warned, before the second anonymised.

    Storage limitation, GDPR Art. 5(1)(e); the periods are a policy of the municipality
    (DIMOS_INACTIVE_WARN_MONTHS, DIMOS_INACTIVE_ANONYMISE_MONTHS).
    """
    if not 0 < warn_months < anonymise_months:
        raise ValueError("The warning must come before the anonymisation.")
    return months_before(now, warn_months), months_before(now, anonymise_months)
