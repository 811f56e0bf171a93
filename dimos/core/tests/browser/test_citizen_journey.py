"""A citizen signs up, confirms the e-mail through the link in the message, and logs in and out."""

import re
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Page, expect

from dimos.testing import PASSWORD

pytestmark = [
    pytest.mark.browser,
    # Live-server tests need real commits; serialized_rollback restores the data migrations'
    # rows (activity categories) that the flush after each test would otherwise remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOGOUT_BUTTON = 'header form[action$="/accounts/logout/"] button'
LOGIN_LINK = 'header a[href$="/accounts/login/"]'


def test_citizen_registers_confirms_email_logs_out_and_in(
    page: Page, log_in: Callable[[Page, str, str], None], log_out: Callable[[Page], None]
) -> None:
    email = "eleni.dimitriou@example.gr"
    page.goto("/accounts/register/citizen/")
    form = page.locator("main form.govgr-form")
    form.locator("input[name=first_name]").fill("Ελένη")
    form.locator("input[name=last_name]").fill("Δημητρίου")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("input[name=accept_privacy]").check()
    assert form.locator("input[name=door]").input_value() == "citizen"
    mails_before = len(mail.outbox)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # Not logged in until the address is confirmed (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
    expect(page.locator(".govgr-error-summary")).to_have_count(0)
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert len(mail.outbox) == mails_before + 1, [m.subject for m in mail.outbox]
    message = mail.outbox[-1]
    assert message.to == [email]
    link = re.search(r"/accounts/confirm-email/[^\s]+", message.body)
    assert link, message.body

    page.goto(link.group(0))
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: confirming logs the person in, in this same session.
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()
    assert EmailAddress.objects.get(email=email).verified
    page.goto("/accounts/me/")
    expect(page).to_have_url(re.compile(r"/accounts/me/$"))
    expect(page.locator("main")).to_contain_text("Ελένη Δημητρίου")
    expect(page.locator("main")).to_contain_text(email)

    log_out(page)
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    expect(page.locator(LOGIN_LINK)).to_be_visible()
    page.goto("/accounts/me/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))

    log_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/me/$"))
    expect(page.locator(LOGOUT_BUTTON)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ελένη Δημητρίου")

    log_out(page)
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    expect(page.locator(LOGIN_LINK)).to_be_visible()
