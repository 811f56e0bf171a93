"""On PostgreSQL with real threads: protocol numbers under concurrent filing."""

import threading

import pytest
from django.db import connection

from dimos.accounts.models import Department
from dimos.service_requests import actions
from dimos.service_requests.models import Category, ServiceRequest
from dimos.testing import make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_hundred_concurrent_submissions_get_two_hundred_consecutive_numbers() -> None:
    threads_count, per_thread = 40, 5  # 200 filings, within PostgreSQL's connection limit
    residents = [make_person(f"r{i}@example.gr") for i in range(threads_count)]
    # Earlier transactional tests may have flushed the migration's categories.
    department, _ = Department.objects.get_or_create(code="cleaning", defaults={"name": "Κ"})
    category, _ = Category.objects.get_or_create(
        code="cleaning", defaults={"name": "Καθαριότητα", "department": department}
    )
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def resident_files(resident: object) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                actions.do_submit_request(
                    resident,
                    actions.Submission(  # type: ignore[arg-type]
                        kind="complaint",
                        category=category,
                        subject=f"Κάδος {n}",
                        description="Γεμάτος.",
                        notify_channel="email",
                        notify_address="r@example.gr",
                        address="Πλατεία",
                    ),
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=resident_files, args=(r,)) for r in residents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(ServiceRequest.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 201))
    assert ServiceRequest.objects.values("tracking_code").distinct().count() == 200
