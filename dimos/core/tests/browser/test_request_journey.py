"""A resident complains with a photo, a clerk resolves it, the resident sees it and is told."""

import io
import re
import time
from collections.abc import Callable

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import Page, expect

from dimos.accounts.models import User
from dimos.service_requests.models import Category, ServiceRequest
from dimos.testing import PASSWORD, make_staff, totp_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AxeReport = Callable[[Page], str]
LogIn = Callable[[Page, str, str], None]


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="JPEG")
    return out.getvalue()


def second_factor(page: Page) -> None:
    if time.time() % 30 > 27:  # allauth accepts only the current 30-second window
        time.sleep(30 - time.time() % 30 + 0.2)
    page.locator("main input[name=code]").fill(totp_now())
    page.locator("main form.govgr-form button[type=submit]:not([form])").click()
    page.wait_for_load_state()


def test_complaint_with_photo_is_resolved_and_the_resident_is_told(
    page: Page,
    axe_report: AxeReport,
    log_in: LogIn,
    log_out: Callable[[Page], None],
    resident: User,
) -> None:
    clerk = make_staff("lights@example.gr", "technical")
    # The migration's categories may have been flushed by an earlier transactional test.
    Category.objects.get_or_create(
        code="street-lighting",
        defaults={
            "name": "Ηλεκτροφωτισμός",
            "department": clerk.departments.get(),
            "location_matters": True,
        },
    )
    problems: list[str] = []

    log_in(page, resident.email, PASSWORD)
    page.goto("/requests/new/")
    page.locator("main form.govgr-form button[type=submit]").click()  # empty: errors
    expect(page.locator(".govgr-error-summary")).to_be_visible()
    problems.append(axe_report(page))
    page.get_by_label("Παράπονο").check()
    page.get_by_label("Ηλεκτροφωτισμός").check()
    page.locator("#id_subject").fill("Σβηστή λάμπα")
    page.locator("#id_description").fill("Η λάμπα έξω από το 12 είναι σβηστή.")
    page.locator("#id_address").fill("Μακεδονίας 12, Κοζάνη")
    page.locator("#id_attachments").set_input_files(
        {"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    page.locator("main form.govgr-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/requests/new/check/$"))
    expect(page.locator("main")).to_contain_text("lamp.jpg")
    problems.append(axe_report(page))
    page.locator("main form.govgr-form button[type=submit]").click()
    expect(page.locator(".govgr-panel--confirmation")).to_contain_text("Αριθμός πρωτοκόλλου")
    problems.append(axe_report(page))
    service_request = ServiceRequest.objects.get()
    assert service_request.attachments.count() == 1
    log_out(page)

    log_in(page, clerk.email, PASSWORD)
    second_factor(page)
    page.goto("/requests/staff/")
    problems.append(axe_report(page))
    page.get_by_role("link", name=service_request.protocol).click()
    page.locator("#id_assignee").select_option(str(clerk.pk))
    page.locator("form:has(input[value=assign]) button[type=submit]").click()
    page.locator("#id_status").select_option("resolved")
    page.locator("#id_public_note").fill("Η λάμπα αντικαταστάθηκε.")
    page.locator("form:has(input[value=status]) button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Επιλύθηκε")
    problems.append(axe_report(page))
    log_out(page)

    log_in(page, resident.email, PASSWORD)
    page.goto(f"/requests/{service_request.public_id}/")
    expect(page.locator("main")).to_contain_text("Η λάμπα αντικαταστάθηκε.")
    expect(page.locator("main")).to_contain_text("Επιλύθηκε")
    problems.append(axe_report(page))
    told = [m for m in mail.outbox if m.to == [resident.email] and "Επιλύθηκε" in m.subject]
    assert len(told) == 1 and "Η λάμπα αντικαταστάθηκε." in told[0].body
    problems = [p for p in problems if p]
    assert not problems, "\n\n".join(problems)
