import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dimos.accounts.models import User
from dimos.polls import actions, queries
from dimos.polls.models import Ballot, Participation, Poll
from dimos.polls.tests.conftest import answers_for, build_poll
from dimos.testing import make_person

pytestmark = pytest.mark.django_db


def t(msgid: str) -> str:
    """What a Greek reader sees for `msgid` (the msgid itself until it is translated)."""
    with translation.override("el"):
        return translation.gettext(msgid)


ClientFor = Callable[[User], Client]

# The Greek text of the refusals a reader sees (locale/el/LC_MESSAGES/django.po).
ALREADY_TOOK_PART = (
    "Έχετε ήδη συμμετάσχει σε αυτή τη δημοσκόπηση. Κάθε πρόσωπο συμμετέχει μία φορά."
)
RESIDENTS_ONLY = (
    "Σε αυτή τη δημοσκόπηση μπορούν να συμμετέχουν μόνο εγγεγραμμένοι δημότες του δήμου."
)
POLL_CLOSED = "Η δημοσκόπηση έχει κλείσει. Δεν μπορείτε πλέον να συμμετάσχετε."


def form_data(poll: Poll, *picks: list[int]) -> dict[str, list[str]]:
    return {f"q{q}": [str(o) for o in opts] for q, opts in answers_for(poll, *picks).items()}


def test_anonymous_visitor_is_sent_to_log_in(client: Client, db: None) -> None:
    response = client.get("/polls/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_open_upcoming_and_closed_polls_but_no_drafts(
    client_for: ClientFor, citizen: User
) -> None:
    build_poll(title="Ανοιχτή")
    build_poll(title="Μελλοντική", opens_in=timedelta(days=2), closes_in=timedelta(days=5))
    build_poll(title="Κλειστή", opens_in=-timedelta(days=5), closes_in=-timedelta(days=1))
    build_poll(title="Πρόχειρη", scheduled=False)
    page = client_for(citizen).get("/polls/").content.decode()
    assert "Ανοιχτή" in page and "Μελλοντική" in page and "Κλειστή" in page
    assert "Πρόχειρη" not in page


def test_draft_poll_is_not_found(client_for: ClientFor, citizen: User) -> None:
    poll = build_poll(scheduled=False)
    assert client_for(citizen).get(f"/polls/{poll.pk}/").status_code == 404


def test_resident_answers_checks_and_casts_and_gets_a_receipt(
    client_for: ClientFor, resident: User
) -> None:
    poll = build_poll()
    browser = client_for(resident)
    page = browser.get(f"/polls/{poll.pk}/vote/").content.decode()
    assert "Να γίνει πεζόδρομος η οδός Μακεδονίας;" in page
    assert "Επιλέξτε έως 2 απαντήσεις." in page
    check = browser.post(f"/polls/{poll.pk}/vote/check/", form_data(poll, [0], [0, 2]))
    text = check.content.decode()
    assert t("Check your answers before casting your ballot") in text
    assert "Ποδηλατόδρομο" in text and "Παγκάκια" not in text
    assert not Participation.objects.exists()  # nothing written before casting
    done = browser.post(f"/polls/{poll.pk}/vote/cast/", form_data(poll, [0], [0, 2]))
    assert done.status_code == 200
    receipt = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", done.content.decode())
    assert receipt is not None
    assert Ballot.objects.get().receipt == receipt.group(0)
    assert Participation.objects.get().person == resident
    assert "no-store" in done["Cache-Control"]
    # Neither the answers nor the receipt were kept in the session.
    for session in Session.objects.all():
        assert receipt.group(0) not in str(session.get_decoded())
    again = browser.get(f"/polls/{poll.pk}/").content.decode()
    assert ALREADY_TOOK_PART in again


def test_change_your_answers_brings_them_back_to_the_questions(
    client_for: ClientFor, resident: User
) -> None:
    poll = build_poll()
    page = client_for(resident).post(f"/polls/{poll.pk}/vote/", form_data(poll, [1], [1]))
    assert page.status_code == 200
    assert re.search(r'value="\d+"[^>]*checked', page.content.decode())


def test_cannot_open_check_page_directly(client_for: ClientFor, resident: User) -> None:
    poll = build_poll()
    browser = client_for(resident)
    for step in ("check", "cast"):
        response = browser.get(f"/polls/{poll.pk}/vote/{step}/")
        assert response.status_code == 302 and response["Location"].endswith(
            f"/polls/{poll.pk}/vote/"
        )


def test_same_person_in_two_tabs_casts_once(client_for: ClientFor, resident: User) -> None:
    poll = build_poll()
    browser = client_for(resident)
    browser.post(f"/polls/{poll.pk}/vote/cast/", form_data(poll, [0], [0]))
    second = browser.post(f"/polls/{poll.pk}/vote/cast/", form_data(poll, [1], [1]), follow=True)
    assert ALREADY_TOOK_PART in second.content.decode()
    assert Ballot.objects.count() == 1 and Participation.objects.count() == 1


@pytest.mark.parametrize(
    ("picks", "msgid", "params"),
    [
        (([0], [0, 1, 2]), "Choose at most %(max)s answers.", {"max": 2}),
        (([0], []), "Answer this question.", {}),
    ],
)
def test_bad_answers_show_the_questions_again_with_the_problem(
    client_for: ClientFor,
    resident: User,
    picks: tuple[list[int], list[int]],
    msgid: str,
    params: dict[str, object],
) -> None:
    poll = build_poll()
    message = t(msgid) % params if params else t(msgid)
    for step in ("check", "cast"):
        page = client_for(resident).post(f"/polls/{poll.pk}/vote/{step}/", form_data(poll, *picks))
        text = page.content.decode()
        assert page.status_code == 200 and message in text and t("There is a problem") in text
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_citizen_is_told_a_residents_poll_is_for_residents_and_nothing_is_written(
    client_for: ClientFor, citizen: User
) -> None:
    poll = build_poll(eligibility="residents")
    browser = client_for(citizen)
    assert RESIDENTS_ONLY in browser.get(f"/polls/{poll.pk}/").content.decode()
    response = browser.post(f"/polls/{poll.pk}/vote/cast/", form_data(poll, [0], [0]), follow=True)
    assert RESIDENTS_ONLY in response.content.decode()
    assert browser.get(f"/polls/{poll.pk}/vote/").status_code == 302
    assert not Ballot.objects.exists() and not Participation.objects.exists()


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "message"),
    [
        (timedelta(days=1), timedelta(days=2), "This poll has not opened yet."),
        (
            -timedelta(days=2),
            -timedelta(days=1),
            "This poll has closed. You can no longer take part.",
        ),
    ],
)
def test_outside_the_open_period_the_page_says_why(
    client_for: ClientFor, resident: User, opens_in: timedelta, closes_in: timedelta, message: str
) -> None:
    poll = build_poll(opens_in=opens_in, closes_in=closes_in)
    browser = client_for(resident)
    assert t(message) in browser.get(f"/polls/{poll.pk}/").content.decode()
    response = browser.post(f"/polls/{poll.pk}/vote/cast/", form_data(poll, [0], [0]), follow=True)
    assert t(message) in response.content.decode()
    assert not Ballot.objects.exists()


def test_results_after_closing_are_hidden_until_published(
    client_for: ClientFor, resident: User, clerk: User
) -> None:
    poll = build_poll(results_shown="after_closing")
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    browser = client_for(resident)
    hidden = browser.get(f"/polls/{poll.pk}/results/")
    assert hidden.status_code == 403
    assert (
        "Τα αποτελέσματα εμφανίζονται μετά το κλείσιμο της δημοσκόπησης, όταν τα "
        "δημοσιεύσει ο δήμος." in hidden.content.decode()
    )
    assert browser.get(f"/polls/{poll.pk}/results.csv").status_code == 404
    actions.do_close_early(poll, clerk, "Λήξη")
    assert browser.get(f"/polls/{poll.pk}/results/").status_code == 403
    actions.do_publish_results(poll, clerk)
    shown = browser.get(f"/polls/{poll.pk}/results/")
    assert shown.status_code == 200 and "<svg" in shown.content.decode()


def test_results_after_voting_show_to_those_who_took_part(
    client_for: ClientFor, resident: User
) -> None:
    poll = build_poll(results_shown="after_voting")
    browser = client_for(resident)
    assert browser.get(f"/polls/{poll.pk}/results/").status_code == 403
    actions.do_cast_ballot(poll, resident, answers_for(poll, [1], [1]))
    page = browser.get(f"/polls/{poll.pk}/results/").content.decode()
    assert t("Turnout") in page and "100.0%" in page.replace(",", ".")


def test_live_results_show_counts_percentages_turnout_chart_and_table(
    client_for: ClientFor, resident: User, citizen: User
) -> None:
    poll = build_poll(results_shown="live")
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0, 1]))
    actions.do_cast_ballot(poll, citizen, answers_for(poll, [1], [1]))
    page = client_for(citizen).get(f"/polls/{poll.pk}/results/").content.decode()
    assert "<svg" in page and 'aria-hidden="true"' in page and "<script" not in page
    assert "<table" in page and "50" in page
    assert re.search(r"Παγκάκια</th><td[^>]*>2</td>", page)
    data = queries.results(poll)
    assert data.participants == 2 and data.eligible == User.objects.count()


def test_results_csv_has_every_count(client_for: ClientFor, resident: User) -> None:
    poll = build_poll(results_shown="live")
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [2]))
    response = client_for(resident).get(f"/polls/{poll.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [t("Question"), t("Answer"), t("Votes"), t("Per cent")]
    assert ["Να γίνει πεζόδρομος η οδός Μακεδονίας;", "Ναι", "1", "100.0"] in rows


def test_published_receipts_and_ballots_let_anyone_check_and_recount(
    client_for: ClientFor, resident: User, clerk: User
) -> None:
    poll = build_poll()
    picks = [([0], [0, 1]), ([1], [2]), ([0], [1]), ([0], [0])]
    receipts = [
        actions.do_cast_ballot(poll, make_person(f"v{i}@example.gr"), answers_for(poll, *p))
        for i, p in enumerate(picks)
    ]
    browser = client_for(resident)
    assert browser.get(f"/polls/{poll.pk}/receipts/").status_code == 404
    assert browser.get(f"/polls/{poll.pk}/ballots.csv").status_code == 404
    actions.do_close_early(poll, clerk, "Λήξη")
    actions.do_publish_results(poll, clerk)
    page = browser.get(f"/polls/{poll.pk}/receipts/").content.decode()
    assert all(r in page for r in receipts)
    found = browser.get(
        f"/polls/{poll.pk}/receipts/", {"code": receipts[2].lower().replace("-", "")}
    )
    assert t("Your ballot was counted.") in found.content.decode()
    missing = browser.get(f"/polls/{poll.pk}/receipts/", {"code": "AAAA-AAAA-AAAA"})
    assert (
        "Κανένα ψηφοδέλτιο που καταμετρήθηκε δεν έχει αυτόν τον κωδικό απόδειξης ψήφου. "
        "Ελέγξτε τον κωδικό· αν είναι σωστός, επικοινωνήστε με τον δήμο."
        in missing.content.decode()
    )
    response = browser.get(f"/polls/{poll.pk}/ballots.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert sorted(r[0] for r in body) == sorted(receipts)
    recount = {name: sum(int(r[i]) for r in body) for i, name in enumerate(header) if i}
    expected = {
        f"{q.question.text} — {o.option.text}": o.count
        for q in queries.results(poll).questions
        for o in q.options
    }
    assert recount == expected


def test_results_page_runs_the_same_queries_for_one_and_thirty_ballots(
    client_for: ClientFor, resident: User
) -> None:
    poll = build_poll(results_shown="live")
    actions.do_cast_ballot(poll, resident, answers_for(poll, [0], [0]))
    browser = client_for(resident)
    browser.get(f"/polls/{poll.pk}/results/")
    with CaptureQueriesContext(connection) as one:
        browser.get(f"/polls/{poll.pk}/results/")
    for i in range(29):
        actions.do_cast_ballot(
            poll, make_person(f"m{i}@example.gr"), answers_for(poll, [i % 2], [1])
        )
    with CaptureQueriesContext(connection) as thirty:
        browser.get(f"/polls/{poll.pk}/results/")
    assert len(thirty) == len(one)


def test_list_runs_the_same_queries_for_one_and_thirty_polls(
    client_for: ClientFor, resident: User
) -> None:
    build_poll()
    browser = client_for(resident)
    browser.get("/polls/")
    with CaptureQueriesContext(connection) as one:
        browser.get("/polls/")
    for i in range(29):
        build_poll(title=f"Δημοσκόπηση {i}", questions=[])
    with CaptureQueriesContext(connection) as thirty:
        browser.get("/polls/")
    assert len(thirty) == len(one)


def test_attached_document_is_served_as_pdf(client_for: ClientFor, citizen: User) -> None:
    from django.core.files.base import ContentFile

    from dimos.testing import PDF_BYTES

    poll = build_poll()
    poll.document.save("x.pdf", ContentFile(PDF_BYTES))
    browser = client_for(citizen)
    assert (
        t("Read the attached document (PDF)") in browser.get(f"/polls/{poll.pk}/").content.decode()
    )
    response = browser.get(f"/polls/{poll.pk}/document.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_closed_early_poll_shows_the_reason(
    client_for: ClientFor, citizen: User, clerk: User
) -> None:
    poll = build_poll()
    actions.do_close_early(poll, clerk, "Ακυρώθηκε το έργο.")
    page = client_for(citizen).get(f"/polls/{poll.pk}/").content.decode()
    assert "Ακυρώθηκε το έργο." in page and POLL_CLOSED in page
    assert Poll.objects.get().closed_at <= timezone.now()  # type: ignore[operator]
