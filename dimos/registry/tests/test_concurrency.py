"""Races on PostgreSQL with real threads: one registry person, one account, whatever happens."""

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dimos.accounts.models import User
from dimos.registry.actions import do_claim_residency
from dimos.registry.models import Person, ResidencyClaim
from dimos.testing import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DATA = {
    "amka": "27038500123",
    "family_number": "1024",
    "first_name": "Μαρία",
    "last_name": "Παπαδοπούλου",
    "father_name": "Γεώργιος",
    "mother_name": "Ελένη",
    "birth_date": date(1985, 3, 27),
}


def race(workers: list[Callable[[], None]]) -> list[BaseException]:
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_accounts_racing_for_one_registry_person_link_exactly_one(
    registry_person: Person,
) -> None:
    accounts = [make_person(f"racer{i}@example.gr") for i in range(6)]
    errors = race([lambda a=a: do_claim_residency(a, dict(DATA)) for a in accounts])
    assert errors == []
    registry_person.refresh_from_db()
    assert registry_person.account in accounts
    approved = ResidencyClaim.objects.filter(status=ResidencyClaim.Status.APPROVED)
    assert approved.count() == 1
    assert ResidencyClaim.objects.filter(status=ResidencyClaim.Status.PENDING).count() == 5
    assert User.objects.filter(resident_since__isnull=False).count() == 1


def test_one_account_in_many_tabs_makes_one_claim(registry_person: Person) -> None:
    account = make_person("tabs@example.gr")
    errors = race([lambda: do_claim_residency(account, dict(DATA)) for _ in range(8)])
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert len(errors) == 7
    assert ResidencyClaim.objects.filter(account=account).count() == 1
