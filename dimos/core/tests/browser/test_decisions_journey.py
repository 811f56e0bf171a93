"""A citizen searches council decisions, opens one and saves its PDF; axe finds nothing serious."""

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.decisions import actions, samples
from dimos.decisions.models import Body
from dimos.testing import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _publish(number: str, subject: str, day: date, text: str) -> None:
    # Seeded by a migration, but an earlier transactional test may have flushed it.
    body, _ = Body.objects.get_or_create(
        code="dimotiko-symvoulio",
        defaults={"name": "Δημοτικό Συμβούλιο", "name_latin": "Dimotiko Symvoulio"},
    )
    decision = actions.do_publish_decision(
        actions.DecisionData(
            body=body, protocol_number=number, subject=subject, decision_date=day,
            ada="ΨΘ82ΩΡΦ-7ΑΙ" if number == "123/2026" else "",
        ),
        samples.decision_pdf(number, body.name, subject, day, [text]),
    )  # fmt: skip
    actions.do_store_extracted_text(decision.pk)


def test_citizen_finds_a_decision_and_saves_its_pdf(
    page: Page,
    axe_report: Callable[[Page], str],
    log_in: Callable[[Page, str, str], None],
    citizen: User,
) -> None:
    _publish(
        "123/2026", "Ψήφιση του προϋπολογισμού οικονομικού έτους 2026", date(2026, 3, 15),
        "Το Δημοτικό Συμβούλιο ψηφίζει τον προϋπολογισμό.",
    )  # fmt: skip
    _publish("124/2026", "Έργα ύδρευσης στους οικισμούς", date(2026, 3, 20), "Ύδρευση.")
    problems: list[str] = []
    log_in(page, citizen.email, PASSWORD)
    page.goto("/decisions/")
    page.locator("#id_q").fill("ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ")
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator("main mark").first).to_be_visible()
    problems.append(axe_report(page))
    page.locator("main .dimos-result a", has_text="123/2026").click()
    expect(page.locator("h1")).to_contain_text("123/2026")
    expect(page.locator("main")).to_contain_text("ΨΘ82ΩΡΦ-7ΑΙ")
    problems.append(axe_report(page))
    with page.expect_download() as download:
        page.locator("main a[href$='/download/']").click()
    assert download.value.suggested_filename == "Apofasi-123-2026-Dimotiko-Symvoulio.pdf"
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)
