from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.accounts.models import Business, Representation, User
from dimos.business_tax import actions, rules
from dimos.business_tax.models import Debt, Declaration, FeeType
from dimos.business_tax.tests.conftest import represent
from dimos.payments.actions import do_settle
from dimos.payments.models import Payment
from dimos.testing import make_person

pytestmark = pytest.mark.django_db

URL = "/business-tax/094014201/"
TODAY = "2025-04-15 10:00 +03:00"  # March 2025 ended; its deadline is 30/04/2025


@pytest.fixture
def rep(client_for: Callable[[User], Client], representative: User, profile: Any) -> Client:
    return client_for(representative)


@time_machine.travel(TODAY)
def test_home_goes_to_the_only_business(rep: Client) -> None:
    response = rep.get("/business-tax/")
    assert response.status_code == 302 and response["Location"] == URL


def test_home_lists_several_businesses(
    client_for: Callable[[User], Client], representative: User, other_business: Business
) -> None:
    represent(representative, other_business)
    page = client_for(representative).get("/business-tax/").content.decode()
    assert "/business-tax/094014201/" in page and "/business-tax/090000045/" in page


@time_machine.travel(TODAY)
def test_dashboard_lists_undeclared_periods_and_the_fees(rep: Client) -> None:
    page = rep.get(URL).content.decode()
    assert "Καφέ Το Πλατάνι Ο.Ε." in page
    assert "Τέλος 0,5% επί των ακαθάριστων εσόδων καταστημάτων εστίασης" in page
    assert "?fee=food-drink-receipts&amp;period=2025-03:2025-03" in page
    assert "30/04/2025" in page  # the deadline of March
    assert "?fee=food-drink-receipts&amp;period=2025-01:2025-01" in page


@time_machine.travel(TODAY)
def test_representative_declares_a_month_through_the_check_page(rep: Client) -> None:
    form = rep.get(URL + "declare/?period=2025-03:2025-03")
    assert form.status_code == 200
    response = rep.post(
        URL + "declare/?fee=food-drink-receipts",
        {"period": "2025-03:2025-03", "receipts": "20.000,00"},
    )
    assert response.status_code == 302 and response["Location"] == URL + "declare/check/"
    check = rep.get(URL + "declare/check/").content.decode()
    for text in ("20.000,00 €", "0,5 %", "100,00 €", "30/04/2025"):
        assert text in check
    assert not Declaration.objects.exists()  # nothing written before confirming
    response = rep.post(URL + "declare/check/")
    declaration = Declaration.objects.get()
    assert response["Location"] == f"{URL}declarations/{declaration.year}-{declaration.number}/"
    done = rep.get(response["Location"]).content.decode()
    assert declaration.display_number in done
    assert "100,00 €" in done
    debt = Debt.objects.get()
    response = rep.post(f"{URL}debts/{debt.pk}/pay/")
    order = debt.debt_orders.get().order
    assert response["Location"] == f"/payments/{order.rf}/"
    assert rep.get(response["Location"]).status_code == 200


@time_machine.travel("2025-06-02 10:00 +03:00")
def test_check_page_shows_the_surcharge_with_its_months(rep: Client) -> None:
    rep.post(
        URL + "declare/?fee=food-drink-receipts",
        {"period": "2025-03:2025-03", "receipts": "20000"},
    )
    check = rep.get(URL + "declare/check/").content.decode()
    assert "4,00 €" in check  # 2 months started after 30/04: 2 × 2 % of 100 €
    assert "104,00 €" in check


@time_machine.travel(TODAY)
def test_base_including_the_fee_is_stated_and_used(rep: Client, settings: Any) -> None:
    settings.DIMOS_TAX_BASE_INCLUDES_FEE = True
    page = rep.get(URL).content.decode()
    assert "(1 + rate)" in page or "(1 +" in page
    rep.post(
        URL + "declare/?fee=food-drink-receipts",
        {"period": "2025-03:2025-03", "receipts": "10.050,00"},
    )
    check = rep.get(URL + "declare/check/").content.decode()
    assert "50,00 €" in check


@time_machine.travel(TODAY)
def test_bad_receipts_get_a_message_and_change_nothing(rep: Client) -> None:
    response = rep.post(
        URL + "declare/?fee=food-drink-receipts", {"period": "2025-03:2025-03", "receipts": "abc"}
    )
    assert response.status_code == 200
    assert "govgr-error-summary" in response.content.decode()
    response = rep.post(
        URL + "declare/?fee=food-drink-receipts", {"period": "2031-03:2031-03", "receipts": "1"}
    )
    assert response.status_code == 200
    assert not Declaration.objects.exists()


@time_machine.travel(TODAY)
def test_cannot_open_check_page_directly(rep: Client) -> None:
    response = rep.get(URL + "declare/check/")
    assert response.status_code == 302 and response["Location"] == URL + "declare/"


@time_machine.travel(TODAY)
def test_amending_declaration_shows_the_difference(
    rep: Client, business: Business, representative: User, fees: dict[str, FeeType]
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=2_000_000
    )
    form = rep.get(URL + "declare/?fee=food-drink-receipts").content.decode()
    assert "2025-03:2025-03" in form  # offered again, to amend
    rep.post(
        URL + "declare/?fee=food-drink-receipts",
        {"period": "2025-03:2025-03", "receipts": "30.000,00"},
    )
    check = rep.get(URL + "declare/check/").content.decode()
    assert "150,00 €" in check and "50,00 €" in check
    rep.post(URL + "declare/check/")
    assert Debt.objects.filter(origin="amended", fee_cents=5_000).exists()


@time_machine.travel(TODAY)
def test_next_debt_is_the_earliest_due_with_its_amount_today(
    rep: Client, business: Business, representative: User, fees: dict[str, FeeType]
) -> None:
    fee = fees["food-drink-receipts"]
    for month, base in ((3, 3_000_000), (1, 1_000_000), (2, 2_000_000)):
        period = rules.period_of(date(2025, month, 1), rules.MONTHLY)
        actions.do_declare(business, representative, fee, period, base_cents=base)
    page = rep.get(URL).content.decode()
    next_block = page.split("govgr-panel", 1)[1].split("</div>", 1)[0]
    assert "01/2025" in next_block  # January, due 28/02/2025: the earliest
    assert "52,00 €" in next_block  # 50 € + 2 months started late: 2 × 2 % = 2 €
    assert "28/02/2025" in next_block


@time_machine.travel(TODAY)
def test_paid_debts_show_their_receipts(
    rep: Client, business: Business, representative: User, fees: dict[str, FeeType]
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    declared = actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=2_000_000
    )
    assert declared.order is not None
    do_settle(declared.order, method=Payment.Method.CARD, external_ref="t", amount_cents=10_000)
    receipt = Payment.objects.get().receipt
    page = rep.get(URL).content.decode()
    assert f"/payments/receipts/{receipt.year}-{receipt.number}.pdf" in page
    assert rep.get(f"/payments/receipts/{receipt.year}-{receipt.number}.pdf").status_code == 200


@time_machine.travel(TODAY)
def test_proof_of_declaration_downloads_as_pdf(
    rep: Client, business: Business, representative: User, fees: dict[str, FeeType]
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    d = actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=2_000_000
    ).declaration
    response = rep.get(f"{URL}declarations/{d.year}-{d.number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@time_machine.travel(TODAY)
def test_other_business_representative_gets_404(
    client_for: Callable[[User], Client],
    business: Business,
    representative: User,
    other_representative: User,
    fees: dict[str, FeeType],
    profile: Any,
) -> None:
    march = rules.period_of(date(2025, 3, 1), rules.MONTHLY)
    declared = actions.do_declare(
        business, representative, fees["food-drink-receipts"], march, base_cents=2_000_000
    )
    d, debt = declared.declaration, declared.debt
    assert debt is not None
    client = client_for(other_representative)
    for path in (
        URL,
        URL + "declare/",
        URL + "declare/check/",
        f"{URL}declarations/{d.year}-{d.number}/",
        f"{URL}declarations/{d.year}-{d.number}.pdf",
        f"{URL}debts/{debt.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{URL}debts/{debt.pk}/pay/").status_code == 404
    # And the other's own debt is not reachable through their business either.
    assert client.get(f"/business-tax/090000045/debts/{debt.pk}/").status_code == 404


@time_machine.travel(TODAY)
def test_pending_representation_sees_nothing(
    client_for: Callable[[User], Client], business: Business, fees: dict[str, FeeType]
) -> None:
    person = make_person("pending@example.gr")
    represent(person, business, status=Representation.Status.PENDING)
    response = client_for(person).get(URL)
    assert response.status_code == 403  # not a representative at all: the service says so


@time_machine.travel(TODAY)
def test_approved_elsewhere_pending_here_gets_404(
    client_for: Callable[[User], Client],
    business: Business,
    other_representative: User,
) -> None:
    represent(other_representative, business, status=Representation.Status.PENDING)
    assert client_for(other_representative).get(URL).status_code == 404


def test_citizen_is_refused_and_anonymous_goes_to_login(
    client: Client, client_for: Callable[[User], Client], citizen: User, business: Business
) -> None:
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    assert client_for(citizen).get(URL).status_code == 403


def _declare_months(business: Business, person: User, fee: FeeType, months: range) -> None:
    """Declare these months since 09/2022; every other one paid, with its receipt."""
    for i in months:
        period = rules.period_of(rules.add_months(date(2022, 9, 1), i), rules.MONTHLY)
        declared = actions.do_declare(business, person, fee, period, base_cents=100_000 + i)
        if i % 2 and declared.order is not None:
            do_settle(
                declared.order,
                method=Payment.Method.CARD,
                external_ref=f"q{i}",
                amount_cents=declared.order.amount_cents,
            )


@time_machine.travel(TODAY)
def test_dashboard_queries_do_not_grow_with_debts(
    rep: Client, business: Business, representative: User, fees: dict[str, FeeType]
) -> None:
    fee = fees["food-drink-receipts"]
    _declare_months(business, representative, fee, range(2))
    rep.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert rep.get(URL).status_code == 200
    _declare_months(business, representative, fee, range(2, 30))
    with CaptureQueriesContext(connection) as many:
        assert rep.get(URL).status_code == 200
    assert len(many) == len(few)


@time_machine.travel("2025-05-20 10:00 +03:00")
def test_representative_declares_public_space_by_square_metres(
    rep: Client, fees: dict[str, FeeType]
) -> None:
    choose = rep.get(URL + "declare/?fee=").content.decode()
    assert "?fee=public-space" in choose and "?fee=food-drink-receipts" in choose
    assert "?fee=advertising" not in choose  # assessed by the municipality only
    rate = fees["public-space"].rates.get(code="zone-a")
    response = rep.post(
        URL + "declare/?fee=public-space",
        {"rate": rate.pk, "area": "12,5", "start": "2025-06:2025-06", "months": "3"},
    )
    assert response["Location"] == URL + "declare/check/"
    check = rep.get(URL + "declare/check/").content.decode()
    assert "190,50 €" in check and "5,08 €" in check
    rep.post(URL + "declare/check/")
    debt = Debt.objects.get()
    assert (debt.fee_cents, debt.period_start, debt.period_end) == (
        19_050,
        date(2025, 6, 1),
        date(2025, 8, 31),
    )
