from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from dimos.accounts.models import User
from dimos.accounts.rules import inactivity_cutoffs, months_before
from dimos.core.models import AuditEvent
from dimos.notifications.models import Notification
from dimos.testing import make_person, make_staff

JOINED = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)


def run() -> None:
    call_command("anonymise_inactive_accounts")


def warnings_to(person: User) -> int:
    return Notification.objects.filter(
        recipient=person, dedup_key__contains="inactive-warning"
    ).count()


@pytest.fixture
def idle(db: None) -> User:
    """Registered on JOINED, logged in once the same day, never since."""
    with time_machine.travel(JOINED, tick=False):
        person = make_person("idle@example.gr", first_name="Ελένη", last_name="Αργύρη")
        person.last_login = timezone.now()
        person.save()
    return person


def test_months_before_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 36) == datetime(2023, 1, 15, tzinfo=UTC)


def test_warning_must_come_before_anonymisation() -> None:
    with pytest.raises(ValueError):
        inactivity_cutoffs(datetime(2026, 1, 1, tzinfo=UTC), 36, 36)


def test_active_account_is_left_alone(idle: User) -> None:
    with time_machine.travel(datetime(2025, 12, 9, tzinfo=UTC)):  # 34 months and 29 days
        run()
    idle.refresh_from_db()
    assert warnings_to(idle) == 0 and idle.email == "idle@example.gr"


def test_inactive_for_35_months_is_warned_once_in_greek(idle: User) -> None:
    with time_machine.travel(datetime(2025, 12, 11, tzinfo=UTC)):
        run()
        run()
    with time_machine.travel(datetime(2025, 12, 20, tzinfo=UTC)):
        run()
    assert warnings_to(idle) == 1
    warning = Notification.objects.get(recipient=idle)
    assert warning.address == "idle@example.gr"
    assert warning.subject == "Ο λογαριασμός σας θα ανωνυμοποιηθεί επειδή δεν χρησιμοποιείται"
    assert "για 36 μήνες ανωνυμοποιούνται" in warning.body
    idle.refresh_from_db()
    assert idle.is_active and idle.first_name == "Ελένη"


def test_logging_in_again_starts_a_new_spell_and_a_new_warning(idle: User) -> None:
    with time_machine.travel(datetime(2025, 12, 11, tzinfo=UTC)):
        run()
        idle.last_login = timezone.now()
        idle.save()
    with time_machine.travel(datetime(2028, 11, 12, tzinfo=UTC)):
        run()
    assert warnings_to(idle) == 2


def test_inactive_for_36_months_is_anonymised_once(idle: User) -> None:
    with time_machine.travel(datetime(2026, 1, 11, tzinfo=UTC)):
        run()
        run()
    idle.refresh_from_db()
    assert idle.email == f"removed-{idle.pk}@invalid.example"
    assert idle.first_name == "" and idle.last_name == "" and not idle.is_active
    assert not idle.has_usable_password()
    assert AuditEvent.objects.filter(action="account.anonymised_inactive").count() == 1


def test_never_logged_in_counts_from_registration(db: None) -> None:
    with time_machine.travel(JOINED, tick=False):
        person = make_person("never@example.gr")
    with time_machine.travel(datetime(2026, 1, 11, tzinfo=UTC)):
        run()
    person.refresh_from_db()
    assert person.email == f"removed-{person.pk}@invalid.example"


def test_staff_and_superusers_are_never_touched(db: None) -> None:
    with time_machine.travel(JOINED, tick=False):
        clerk = make_staff("clerk@example.gr", "registry")
        admin = User.objects.create_superuser("admin@example.gr", "x", first_name="Α")
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC)):
        run()
    clerk.refresh_from_db()
    admin.refresh_from_db()
    assert clerk.email == "clerk@example.gr" and admin.email == "admin@example.gr"
    assert not Notification.objects.exists()


def test_periods_are_settings(idle: User, settings: object) -> None:
    settings.DIMOS_INACTIVE_WARN_MONTHS = 11  # type: ignore[attr-defined]
    settings.DIMOS_INACTIVE_ANONYMISE_MONTHS = 12  # type: ignore[attr-defined]
    with time_machine.travel(datetime(2024, 1, 11, tzinfo=UTC)):
        run()
    idle.refresh_from_db()
    assert idle.email == f"removed-{idle.pk}@invalid.example"


def test_the_task_does_the_same(idle: User) -> None:
    from dimos.accounts.tasks import process_inactive_accounts

    with time_machine.travel(datetime(2026, 1, 11, tzinfo=UTC)):
        result = process_inactive_accounts.enqueue()
    assert result.return_value == "0 warned, 1 anonymised"
