import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.accounts.models import ActivityCategory, Business, User
from dimos.business_tax import actions, rules
from dimos.business_tax.importer import ImportProblemsError, parse_assessments
from dimos.business_tax.models import Debt, FeeType
from dimos.payments.actions import do_settle
from dimos.payments.models import Payment, PaymentOrder

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/business-tax/staff/",
    "/business-tax/staff/debts/",
    "/business-tax/staff/debts/new/",
    "/business-tax/staff/debts/import/",
    "/business-tax/staff/reports/",
]


@pytest.fixture
def staff(client_for: Callable[[User], Client], tax_clerk: User, fees: Any) -> Client:
    return client_for(tax_clerk)


def test_staff_pages_open_with_the_permission(staff: Client, business: Business) -> None:
    for path in [*STAFF_PAGES, f"/business-tax/staff/businesses/{business.pk}/"]:
        assert staff.get(path).status_code == 200, path


def test_staff_without_the_permission_get_403(
    client_for: Callable[[User], Client], clerk: User, business: Business
) -> None:
    client = client_for(clerk)
    for path in [*STAFF_PAGES, f"/business-tax/staff/businesses/{business.pk}/"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "core/staff_only.html" in [t.name for t in response.templates]


def test_people_and_anonymous_cannot_open_staff_pages(
    client: Client, client_for: Callable[[User], Client], representative: User
) -> None:
    assert client.get(STAFF_PAGES[0])["Location"].startswith("/accounts/login/")
    assert client_for(representative).get(STAFF_PAGES[0]).status_code == 403


def test_register_lists_businesses_with_categories(
    staff: Client, business: Business, other_business: Business
) -> None:
    page = staff.get("/business-tax/staff/?category=night-club").content.decode()
    assert "Νυχτερινό Κέντρο Αστέρι" in page and "Καφέ Το Πλατάνι" not in page
    page = staff.get("/business-tax/staff/?q=094014201").content.decode()
    assert "Καφέ Το Πλατάνι" in page


def test_register_queries_do_not_grow_with_businesses(staff: Client, fees: Any) -> None:
    category = ActivityCategory.objects.get(code="retail")
    Business.objects.create(
        afm="090000045", legal_name="Α", address="x", activity_category=category
    )
    with CaptureQueriesContext(connection) as one:
        staff.get("/business-tax/staff/")
    afms = ["094014201", "090000033", "090000021", "090000010", "090000008"]
    from stdnum.gr import vat

    n = 100000000
    while len(afms) < 40:
        n += 1
        candidate = f"{n:09d}"
        if vat.is_valid(candidate):
            afms.append(candidate)
    for afm in afms:
        Business.objects.get_or_create(
            afm=afm, defaults={"legal_name": afm, "address": "x", "activity_category": category}
        )
    with CaptureQueriesContext(connection) as many:
        staff.get("/business-tax/staff/")
    assert len(many) == len(one)


def test_staff_change_category_and_frequency(staff: Client, business: Business) -> None:
    response = staff.post(
        f"/business-tax/staff/businesses/{business.pk}/",
        {
            "category": ActivityCategory.objects.get(code="night-club").pk,
            "frequency": "quarterly",
            "vat_payer": "",
            "declares_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.activity_category.code == "night-club"
    assert (business.tax_profile.frequency, business.tax_profile.vat_payer) == ("quarterly", False)


@time_machine.travel("2025-06-02 10:00 +03:00")
def test_staff_issue_an_unauthorised_public_space_debt(
    staff: Client, business: Business, representative: User, fees: dict[str, FeeType]
) -> None:
    rate = fees["public-space"].rates.get(code="zone-a")
    response = staff.post(
        "/business-tax/staff/debts/new/",
        {
            "afm": "094014201",
            "rate": rate.pk,
            "area": "10",
            "units": "1",
            "period_start": "2025-06-01",
            "unauthorised": "on",
        },
    )
    debt = Debt.objects.get()
    assert response["Location"] == f"/business-tax/staff/debts/{debt.pk}/"
    assert (debt.fee_cents, debt.fine_cents, debt.issued_by.email) == (
        5_080,
        15_240,
        "tax@example.gr",
    )
    page = staff.get(response["Location"]).content.decode()
    assert "203,20 €" in page


def test_issue_form_refuses_an_unknown_afm(staff: Client, fees: dict[str, FeeType]) -> None:
    rate = fees["advertising"].rates.get(code="sign")
    response = staff.post(
        "/business-tax/staff/debts/new/",
        {
            "afm": "090000045",
            "rate": rate.pk,
            "area": "2",
            "units": "1",
            "period_start": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "govgr-error-summary" in response.content.decode()
    assert not Debt.objects.exists()


GOOD_CSV = (
    "afm;fee_type;rate;area_m2;units;period_start;unauthorised;due_date;description\n"
    "094014201;public-space;zone-a;12,5;3;2025-06-01;no;;\n"
    "094014201;advertising;sign;2;1;01/01/2025;;31/03/2025;Επιγραφή πρόσοψης\n"
)


def upload(data: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("debts.csv", data.encode("utf-8"), "text/csv")


def test_csv_import_issues_every_row(
    staff: Client, business: Business, representative: User
) -> None:
    response = staff.post("/business-tax/staff/debts/import/", {"file": upload(GOOD_CSV)})
    assert response.status_code == 302
    fees = sorted(Debt.objects.values_list("fee_cents", flat=True))
    assert fees == [10_360, 19_050]
    sign = Debt.objects.get(fee_type__code="advertising")
    assert (sign.due_date, sign.description) == (date(2025, 3, 31), "Επιγραφή πρόσοψης")
    assert PaymentOrder.objects.count() == 2


def test_csv_import_with_bad_rows_lists_them_and_issues_nothing(
    staff: Client, business: Business
) -> None:
    bad = GOOD_CSV + (
        "123456789;public-space;zone-a;10;1;2025-06-01;no;;\n"
        "094014201;public-space;zone-z;-3;0;2025-13-01;maybe;;\n"
        "094014201;advertising;sign;2;1;2025-01-01;yes;;\n"
    )
    response = staff.post("/business-tax/staff/debts/import/", {"file": upload(bad)})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<td class="govgr-table__cell">4</td>' in page
    assert '<td class="govgr-table__cell">5</td>' in page
    assert '<td class="govgr-table__cell">6</td>' in page
    assert not Debt.objects.exists()


def test_csv_parser_reports_each_problem_with_its_line(business: Business, fees: Any) -> None:
    data = (
        b"afm,fee_type,rate,area_m2,units,period_start\n"
        b"094014201,public-space,zone-a,10,1,2025-06-01\n"
        b"094014201,public-space,zone-z,abc,x,yesterday\n"
    )
    with pytest.raises(ImportProblemsError) as exc:
        parse_assessments(data)
    lines = {p.line for p in exc.value.problems}
    assert lines == {3}
    assert len(exc.value.problems) == 4  # rate, area, units, date


def test_csv_parser_refuses_missing_columns_and_non_utf8(fees: Any) -> None:
    with pytest.raises(ImportProblemsError) as exc:
        parse_assessments(b"afm;rate\n094014201;zone-a\n")
    assert exc.value.problems[0].line == 1
    with pytest.raises(ImportProblemsError):
        parse_assessments("afm;fee_type\nΑ".encode("cp1253"))


@time_machine.travel("2025-06-15 10:00 +03:00")
def test_staff_mark_an_overdue_debt_certified(
    staff: Client, business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    declared = actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=2_000_000,
        today=date(2025, 4, 2),
    )  # fmt: skip
    debt = declared.debt
    assert debt is not None
    queue = staff.get("/business-tax/staff/debts/").content.decode()
    assert debt.description in queue
    response = staff.post(f"/business-tax/staff/debts/{debt.pk}/", {"action": "certify"})
    assert response.status_code == 302
    debt.refresh_from_db()
    assert (debt.certified_on, debt.certified_cents) == (date(2025, 6, 15), 10_400)
    with time_machine.travel("2025-08-20 10:00 +03:00"):
        page = staff.get(f"/business-tax/staff/debts/{debt.pk}/").content.decode()
    assert "0,73" in page and "2,28 €" in page and "106,28 €" in page
    assert debt.description not in staff.get("/business-tax/staff/debts/").content.decode()


@time_machine.travel("2025-06-15 10:00 +03:00")
def test_reports_of_declared_and_collected_with_csv(
    staff: Client, business: Business, representative: User, fees: dict[str, FeeType], profile: Any
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    declared = actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=2_000_000
    )
    assert declared.order is not None
    do_settle(declared.order, method=Payment.Method.CARD, external_ref="r1", amount_cents=10_400)
    page = staff.get("/business-tax/staff/reports/?year=2025").content.decode()
    assert "06/2025" in page and "100,00 €" in page and "104,00 €" in page
    response = staff.get("/business-tax/staff/reports/?year=2025&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = io.StringIO(response.content.decode("utf-8-sig")).read().splitlines()
    assert rows[0] == "month;fee_type;declared_cents;collected_cents"
    assert rows[1].endswith(";10000;10400")
    assert rows[1].startswith("2025-06;")
