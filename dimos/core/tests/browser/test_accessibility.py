"""axe-core (vendored) finds nothing serious or critical against WCAG 2.1 A/AA on key pages."""

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.testing import PASSWORD, totp_now

pytestmark = [
    pytest.mark.browser,
    # Live-server tests need real commits; serialized_rollback restores the data migrations'
    # rows (activity categories) that the flush after each test would otherwise remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AxeReport = Callable[[Page], str]


@pytest.mark.parametrize(("path", "lang"), [("/", "el"), ("/en/", "en")], ids=["greek", "english"])
def test_home_page_has_no_serious_accessibility_violations(
    page: Page, axe_report: AxeReport, path: str, lang: str
) -> None:
    page.goto(path)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    report = axe_report(page)
    assert not report, report


def test_sign_up_form_with_errors_has_summary_problem_title_and_no_serious_violations(
    page: Page, axe_report: AxeReport
) -> None:
    page.goto("/accounts/register/citizen/")
    page.locator("main form.govgr-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".govgr-error-summary")).to_be_visible()
    # Collect every problem before asserting, so that one failure does not hide the others.
    problems = []
    title = page.title()
    if not title.startswith("Πρόβλημα:"):
        problems.append(f'<title> should start with "Πρόβλημα:" but is {title!r}')
    report = axe_report(page)
    if report:
        problems.append(report)
    assert not problems, "\n".join(problems)


def test_login_page_has_no_serious_accessibility_violations(
    page: Page, axe_report: AxeReport
) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("main input[name=login]")).to_be_visible()
    report = axe_report(page)
    assert not report, report


def test_staff_home_after_second_factor_has_no_serious_accessibility_violations(
    page: Page, axe_report: AxeReport, log_in: Callable[[Page, str, str], None], clerk: User
) -> None:
    log_in(page, clerk.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    # allauth accepts only the current 30-second TOTP window: do not type a code about to expire.
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    page.locator("main input[name=code]").fill(totp_now())
    page.locator("main form.govgr-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.locator("main h1")).to_be_visible()
    report = axe_report(page)
    assert not report, report
