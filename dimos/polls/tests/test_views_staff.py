from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from dimos.accounts.models import User
from dimos.core.models import AuditEvent
from dimos.polls import actions
from dimos.polls.models import Poll, Question
from dimos.polls.tests.conftest import answers_for, build_poll
from dimos.testing import PDF_BYTES

pytestmark = pytest.mark.django_db


def t(msgid: str) -> str:
    """What a Greek reader sees for `msgid` (the msgid itself until it is translated)."""
    with translation.override("el"):
        return translation.gettext(msgid)


ClientFor = Callable[[User], Client]


def local(dt: timedelta) -> str:
    return timezone.localtime(timezone.now() + dt).strftime("%Y-%m-%dT%H:%M")


def poll_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Πλατεία Νίκης",
        "description": "Τι να γίνει στην πλατεία;",
        "opens_at": local(timedelta(days=1)),
        "closes_at": local(timedelta(days=10)),
        "eligibility": "persons",
        "results_shown": "live",
    }
    data.update(overrides)
    return data


def test_resident_cannot_open_the_back_office(client_for: ClientFor, resident: User) -> None:
    assert client_for(resident).get("/polls/staff/").status_code == 403


def test_staff_without_the_permission_get_403(client_for: ClientFor, clerk: User) -> None:
    response = client_for(clerk).get("/polls/staff/")
    assert response.status_code == 403
    assert t("This page is for municipal staff") in response.content.decode()


def test_clerk_creates_adds_questions_previews_and_schedules(
    client_for: ClientFor, poll_clerk: User
) -> None:
    staff = client_for(poll_clerk)
    response = staff.post(
        "/polls/staff/new/",
        {**poll_form(), "document": SimpleUploadedFile("plan.pdf", PDF_BYTES)},
    )
    poll = Poll.objects.get()
    assert response.status_code == 302 and poll.document and not poll.scheduled
    url = f"/polls/staff/{poll.pk}/"
    bad = staff.post(f"{url}questions/new/", {"text": "Τι;", "options": "Μόνο μία"})
    assert t("Give at least two answers, one per line.") in bad.content.decode()
    staff.post(
        f"{url}questions/new/",
        {"text": "Τι θέλετε;", "multiple": "on", "max_choices": "2", "options": "Α\nΒ\nΓ"},
    )
    question = Question.objects.get()
    assert question.max_choices == 2 and question.options.count() == 3
    preview = staff.get(f"{url}preview/").content.decode()
    assert "Τι θέλετε;" in preview
    assert (
        "Προεπισκόπηση: έτσι βλέπουν οι ψηφοφόροι τη δημοσκόπηση. Από εδώ δεν μπορεί "
        "να υποβληθεί ψηφοδέλτιο." in preview
    )
    staff.post(url, {"action": "schedule"})
    poll.refresh_from_db()
    assert poll.scheduled and poll.phase() == "upcoming"
    assert "Πλατεία Νίκης" in staff.get("/polls/staff/").content.decode()


def test_document_must_be_a_pdf(client_for: ClientFor, poll_clerk: User) -> None:
    page = client_for(poll_clerk).post(
        "/polls/staff/new/",
        {
            **poll_form(),
            "document": SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
        },
    )
    assert t("The document must be a PDF.") in page.content.decode()
    assert not Poll.objects.exists()


def test_closing_before_opening_is_refused(client_for: ClientFor, poll_clerk: User) -> None:
    page = client_for(poll_clerk).post(
        "/polls/staff/new/", poll_form(closes_at=local(timedelta(hours=1)))
    )
    assert t("The poll must close after it opens.") in page.content.decode()


def test_units_only_for_residents(client_for: ClientFor, poll_clerk: User, family: object) -> None:
    page = client_for(poll_clerk).post("/polls/staff/new/", poll_form(municipal_units=["Κοζάνης"]))
    assert t("Only a poll for residents can be limited to units.") in page.content.decode()
    client_for(poll_clerk).post(
        "/polls/staff/new/", poll_form(municipal_units=["Κοζάνης"], eligibility="residents")
    )
    assert Poll.objects.get().municipal_units == ["Κοζάνης"]


def test_open_poll_questions_cannot_be_changed(client_for: ClientFor, poll_clerk: User) -> None:
    poll = build_poll()
    question = poll.questions.first()
    assert question is not None
    staff = client_for(poll_clerk)
    staff.post(
        f"/polls/staff/{poll.pk}/questions/{question.pk}/",
        {"text": "Άλλο", "options": "Χ\nΨ"},
    )
    staff.post(f"/polls/staff/{poll.pk}/questions/{question.pk}/", {"action": "delete"})
    staff.post(f"/polls/staff/{poll.pk}/edit/", poll_form())
    question.refresh_from_db()
    assert question.text != "Άλλο" and Poll.objects.get().title == "Πεζόδρομος στο κέντρο"
    page = staff.get(f"/polls/staff/{poll.pk}/").content.decode()
    assert (
        "Η δημοσκόπηση έχει ανοίξει ή έχει κλείσει: οι ερωτήσεις της δεν μπορούν "
        "πλέον να αλλάξουν." in page
    )
    assert (
        "Η δημοσκόπηση έχει ανοίξει: οι ερωτήσεις και οι επιλογές απάντησης δεν "
        "μπορούν πλέον να αλλάξουν." in page
    )


def test_clerk_closes_early_with_a_reason_and_publishes(
    client_for: ClientFor, poll_clerk: User, resident: User
) -> None:
    poll = build_poll()
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    staff = client_for(poll_clerk)
    empty = staff.post(f"/polls/staff/{poll.pk}/close/", {"reason": ""})
    assert t("Give the reason for closing the poll early.") in empty.content.decode()
    staff.post(f"/polls/staff/{poll.pk}/close/", {"reason": "Άλλαξε το σχέδιο."})
    poll.refresh_from_db()
    assert poll.phase() == "closed" and poll.close_reason == "Άλλαξε το σχέδιο."
    staff.post(f"/polls/staff/{poll.pk}/", {"action": "publish"})
    poll.refresh_from_db()
    assert poll.results_published
    assert AuditEvent.objects.filter(action="poll.results_published", actor=poll_clerk).exists()


def test_staff_home_lists_the_polls_queue(client_for: ClientFor, poll_clerk: User) -> None:
    build_poll(scheduled=False)
    page = client_for(poll_clerk).get("/staff/").content.decode()
    assert "/polls/staff/" in page
