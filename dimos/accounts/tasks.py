from django_tasks import task


@task()
def process_inactive_accounts() -> str:
    """Warn, then anonymise, accounts not used for a long time (run daily; idempotent)."""
    from django.utils import timezone

    from dimos.accounts.actions import process_inactive_accounts as process

    warned, anonymised = process(timezone.now())
    return f"{warned} warned, {anonymised} anonymised"
