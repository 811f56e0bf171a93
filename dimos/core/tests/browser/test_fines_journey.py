"""A citizen pays traffic fines by card in the sandbox gateway: (a) a registered ticket found
with its number and plate, (b) a ticket not registered yet, entered by hand."""

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.fines import actions
from dimos.fines.models import FineCategory, Ticket
from dimos.payments.models import Receipt
from dimos.testing import PASSWORD, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def pay_by_card_in_the_sandbox(page: Page, amount: str) -> None:
    expect(page).to_have_url(re.compile(r"/payments/RF[0-9A-Z]+/$"))
    page.locator("form[action$='/card/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sandbox/cardlink/vpos/shophandlermpi$"))
    expect(page.locator("main")).to_contain_text(amount)
    page.locator("button[name=outcome][value=approve]").click()
    expect(page).to_have_url(re.compile(r"/payments/card/[^/]+/$"))
    expect(page.locator(".govgr-panel--confirmation")).to_be_visible()


def test_citizen_finds_a_registered_ticket_and_pays_it_by_card(
    page: Page,
    axe_report: Callable[[Page], str],
    log_in: Callable[[Page, str, str], None],
    citizen: User,
) -> None:
    # Earlier transactional tests may have flushed the migration's fines table.
    category, _ = FineCategory.objects.get_or_create(
        code="Ε2-Β",
        article="",
        valid_from=date(2025, 6, 13),
        defaults={"amount_cents": 15000, "licence_days": 20, "legal_source": "ν.5209/2025"},
    )
    ticket = actions.do_register_ticket(
        actions.TicketData(
            number="ΚΟΖ-2026-000101",
            plate="ΚΖΝ-1234",
            issued_at=timezone.now() - timedelta(days=3),
            category=category,
            article="38§2ε",
            place="Πλατεία Νίκης",
        ),
        make_staff("police@example.gr", "police"),
    )
    problems: list[str] = []
    log_in(page, citizen.email, PASSWORD)
    page.goto("/fines/")
    problems.append(axe_report(page))
    page.locator("main a[href$='/fines/find/']").first.click()
    problems.append(axe_report(page))
    page.locator("main input[name=number]").fill("koz 2026 000101")  # Latin, no dashes
    page.locator("main input[name=plate]").fill("kzn1234")
    page.locator("main form.govgr-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/fines/tickets/{ticket.number_key}/$"))
    expect(page.locator("main")).to_contain_text("150,00 €")
    problems.append(axe_report(page))
    page.locator("form[action$='/pay/'] button[type=submit]").click()
    problems.append(axe_report(page))
    pay_by_card_in_the_sandbox(page, "150,00")
    problems.append(axe_report(page))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PAID
    page.goto("/fines/mine/")
    problems.append(axe_report(page))
    receipt = Receipt.objects.get()
    expect(page.locator("main")).to_contain_text(receipt.display_number)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)


def test_citizen_pays_a_ticket_not_yet_registered_by_card(
    page: Page,
    axe_report: Callable[[Page], str],
    log_in: Callable[[Page, str, str], None],
    citizen: User,
) -> None:
    problems: list[str] = []
    log_in(page, citizen.email, PASSWORD)
    page.goto("/fines/enter/")
    problems.append(axe_report(page))
    page.locator("main form.govgr-form button[type=submit]").click()  # empty: errors
    expect(page.locator(".govgr-error-summary")).to_be_visible()
    problems.append(axe_report(page))
    page.locator("main input[name=number]").fill("ΚΟΖ-2026-000102")
    page.locator("main input[name=plate]").fill("ΚΖΝ-1234")
    page.locator("main input[name=day]").fill(
        (timezone.localdate() - timedelta(days=1)).isoformat()
    )
    page.locator("main input[name=amount]").fill("30,00")
    page.locator("main form.govgr-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fines/enter/check/$"))
    expect(page.locator("main")).to_contain_text("30,00 €")
    problems.append(axe_report(page))
    page.locator("main form.govgr-form button[type=submit]").click()
    problems.append(axe_report(page))
    pay_by_card_in_the_sandbox(page, "30,00")
    ticket = Ticket.objects.get()
    assert ticket.provisional and ticket.status == Ticket.Status.PAID
    assert Receipt.objects.count() == 1
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)
