"""A resident takes part in a poll (questions, check, cast, receipt) and sees the results."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.polls.models import Ballot, Participation
from dimos.polls.tests.conftest import build_poll
from dimos.testing import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_resident_votes_checks_casts_gets_a_receipt_and_sees_the_results(
    page: Page,
    axe_report: Callable[[Page], str],
    log_in: Callable[[Page, str, str], None],
    resident: User,
) -> None:
    poll = build_poll(results_shown="after_voting")
    problems: list[str] = []
    log_in(page, resident.email, PASSWORD)
    page.goto("/polls/")
    problems.append(axe_report(page))
    page.get_by_role("link", name=poll.title).click()
    problems.append(axe_report(page))
    page.locator("main a.govgr-btn-primary").click()
    expect(page.locator("main")).to_contain_text("Να γίνει πεζόδρομος η οδός Μακεδονίας;")
    problems.append(axe_report(page))
    page.get_by_label("Ναι", exact=True).check()
    page.get_by_label("Δέντρα").check()
    page.get_by_label("Ποδηλατόδρομο").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/vote/check/$"))
    expect(page.locator("main dl")).to_contain_text("Ποδηλατόδρομο")
    problems.append(axe_report(page))
    assert not Participation.objects.exists()
    page.locator(f"form[action$='/polls/{poll.pk}/vote/cast/'] button").click()
    panel = page.locator(".govgr-panel--confirmation")
    expect(panel).to_be_visible()
    receipt = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", panel.inner_text())
    assert receipt is not None and Ballot.objects.get().receipt == receipt.group(0)
    problems.append(axe_report(page))
    page.locator(f"main a[href$='/polls/{poll.pk}/results/']").click()
    expect(page.locator("main svg")).to_have_count(2)
    expect(page.locator("main table").first).to_contain_text("Ναι")
    problems.append(axe_report(page))
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)
