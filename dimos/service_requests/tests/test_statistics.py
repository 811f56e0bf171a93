import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.accounts.models import User
from dimos.service_requests import actions, queries
from dimos.service_requests.models import Category, ServiceRequest

pytestmark = pytest.mark.django_db


def file(citizen: User, code: str) -> ServiceRequest:
    return actions.do_submit_request(
        citizen,
        actions.Submission(
            kind="complaint",
            category=Category.objects.get(code=code),
            subject="Θέμα",
            description="Περιγραφή.",
            notify_channel="email",
            notify_address=citizen.email,
            address="Οδός 1",
        ),
    )


def test_answered_in_time_overdue_and_reopened_per_category(resident: User, clerk: User) -> None:
    with time_machine.travel("2026-01-05 10:00 +0200", tick=False):
        quick, late, _unanswered, reopened = (file(resident, "street-lighting") for _ in range(4))
        file(resident, "cleaning")
    with time_machine.travel("2026-01-20 10:00 +0200", tick=False):
        actions.do_change_status(quick, clerk, "resolved")
        actions.do_change_status(reopened, clerk, "resolved")
        actions.do_reopen(reopened, resident, "Όχι ακόμη.")
    with time_machine.travel("2026-04-01 10:00 +0200", tick=False):
        actions.do_change_status(late, clerk, "rejected", public_note="Δεν είναι αρμοδιότητά μας.")
        rows = {r.name: r for r in queries.statistics(2026, datetime.date(2026, 4, 1))}
    lighting = rows["Ηλεκτροφωτισμός"]
    assert (lighting.received, lighting.answered, lighting.answered_in_time) == (4, 3, 2)
    assert lighting.open_overdue == 2  # `never` and the reopened one, both past 24 Feb
    assert lighting.in_time_share == 67 and lighting.reopen_share == 33
    assert rows["Καθαριότητα"].received == 1
    assert queries.received_per_month(2026) == [(1, 5)]


def test_public_statistics_page_has_no_personal_data_and_constant_queries(
    client: Client, resident: User
) -> None:
    file(resident, "street-lighting")
    with CaptureQueriesContext(connection) as one:
        page = client.get("/requests/statistics/").content.decode()
    assert "Ηλεκτροφωτισμός" in page and resident.get_full_name() not in page
    for code in ["cleaning", "roads", "certificates", "other"] * 3:
        file(resident, code)
    with CaptureQueriesContext(connection) as many:
        client.get("/requests/statistics/")
    assert len(many) == len(one)


@pytest.mark.parametrize("year", ["abc", "1900", "3000", ""])
def test_bad_year_falls_back_to_this_year(client: Client, year: str, db: None) -> None:
    assert client.get(f"/requests/statistics/?year={year}").status_code == 200
