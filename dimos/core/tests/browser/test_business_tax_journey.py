"""A business representative declares last month's receipts, sees the tax the system computed,
pays it by card in the sandbox gateway and gets the receipt at once."""

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

if not apps.is_installed("dimos.business_tax"):
    pytest.skip("dimos.business_tax is not in INSTALLED_APPS yet", allow_module_level=True)

from django.utils import timezone

from dimos.accounts.models import Business, User
from dimos.business_tax import rules
from dimos.business_tax.models import Debt, TaxProfile
from dimos.business_tax.seed import seed
from dimos.payments.models import Receipt
from dimos.testing import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_representative_declares_a_month_and_pays_it_by_card(
    page: Page,
    axe_report: Callable[[Page], str],
    log_in: Callable[[Page, str, str], None],
    representative: User,
    business: Business,
) -> None:
    seed(apps)
    today = timezone.localdate()
    last_month = rules.period_of(rules.add_months(today.replace(day=1), -1), rules.MONTHLY)
    TaxProfile.objects.create(business=business, declares_from=last_month.start)
    problems: list[str] = []
    log_in(page, representative.email, PASSWORD)
    page.goto("/business-tax/")
    expect(page).to_have_url(re.compile(r"/business-tax/094014201/$"))
    expect(page.locator("h1")).to_contain_text("Καφέ Το Πλατάνι")
    problems.append(axe_report(page))
    page.locator(f"a[href*='period={last_month.key}']").click()
    expect(page.locator("select[name=period]")).to_have_value(last_month.key)
    problems.append(axe_report(page))
    page.locator("input[name=receipts]").fill("20.000,00")
    page.locator("main form.govgr-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/declare/check/$"))
    expect(page.locator("main")).to_contain_text("100,00 €")
    expect(page.locator("main")).to_contain_text("20.000,00 €")
    problems.append(axe_report(page))
    page.locator("main form.govgr-form button[type=submit]").click()
    expect(page.locator(".govgr-panel--confirmation")).to_be_visible()
    problems.append(axe_report(page))
    page.locator("form[action$='/pay/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/payments/RF[0-9A-Z]+/$"))
    page.locator("form[action$='/card/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sandbox/cardlink/vpos/shophandlermpi$"))
    expect(page.locator("main")).to_contain_text("100,00")
    page.locator("button[name=outcome][value=approve]").click()
    expect(page).to_have_url(re.compile(r"/payments/card/[^/]+/$"))
    expect(page.locator(".govgr-panel--confirmation")).to_be_visible()
    debt = Debt.objects.get()
    assert debt.status == Debt.Status.PAID
    receipt = Receipt.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto("/business-tax/094014201/")
    expect(page.locator("main")).to_contain_text(receipt.display_number)
    problems.append(axe_report(page))
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)
