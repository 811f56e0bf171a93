"""Keyboard and focus behaviour of the gov.gr patterns: the skip link and the error summary."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    # Live-server tests need real commits; serialized_rollback restores the data migrations'
    # rows (activity categories) that the flush after each test would otherwise remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_keyboard_user_reaches_main_content_with_skip_link(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.govgr--skip-link')"), page.evaluate(
        "document.activeElement.outerHTML"
    )
    expect(page.locator("a.govgr--skip-link")).to_be_visible()  # shown while it has focus
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    assert page.evaluate("location.hash") == "#main-content"
    # The next Tab continues from the main content, not from the header.
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_error_summary_links_focus_the_field(page: Page) -> None:
    page.goto("/accounts/register/citizen/")
    page.locator("main form.govgr-form button[type=submit]").click()
    page.wait_for_load_state()
    first_link = page.locator(".govgr-error-summary a").first
    href = first_link.get_attribute("href")
    assert href and href.startswith("#"), href
    field = page.locator(href)
    expect(field).to_have_count(1)
    first_link.click()
    expect(field).to_be_focused()
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
