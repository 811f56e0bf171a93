"""A citizen pays a payment order by card in the sandbox gateway and downloads the receipt."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.payments import actions
from dimos.payments.models import PaymentOrder, Receipt
from dimos.testing import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_citizen_pays_by_card_in_the_sandbox_and_gets_the_receipt(
    page: Page,
    axe_report: Callable[[Page], str],
    log_in: Callable[[Page, str, str], None],
    citizen: User,
) -> None:
    order = actions.do_issue_order(
        amount_cents=2500, description="Τέλος χρήσης γηπέδου", payer_person=citizen
    )
    problems: list[str] = []
    log_in(page, citizen.email, PASSWORD)
    page.goto("/payments/")
    problems.append(axe_report(page))
    page.get_by_role("link", name="Τέλος χρήσης γηπέδου").click()
    expect(page.locator("main")).to_contain_text("GR8300000000000000012345678")
    problems.append(axe_report(page))
    page.locator("form[action$='/card/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sandbox/cardlink/vpos/shophandlermpi$"))
    expect(page.locator("main")).to_contain_text("25,00")
    page.locator("button[name=outcome][value=approve]").click()
    expect(page).to_have_url(re.compile(r"/payments/card/[^/]+/$"))
    expect(page.locator(".govgr-panel--confirmation")).to_be_visible()
    problems.append(axe_report(page))
    order.refresh_from_db()
    assert order.status == PaymentOrder.Status.PAID
    receipt = Receipt.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)
    assert receipt.payment.order == order
