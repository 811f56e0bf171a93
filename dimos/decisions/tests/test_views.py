from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.accounts.models import User
from dimos.decisions.models import Decision
from dimos.decisions.tests.conftest import pdf_of
from dimos.testing import PDF_BYTES


@pytest.fixture
def decision(make_decision: Callable[..., Decision]) -> Decision:
    return make_decision(
        "123/2026", "Έγκριση του προϋπολογισμού", text="Ύδρευση και αποχέτευση", ada="ΨΘ82ΩΡΦ-7ΑΙ"
    )


def test_anonymous_is_asked_to_log_in(client: Client, decision: Decision) -> None:
    for url in ["/decisions/", f"/decisions/{decision.pk}/", f"/decisions/{decision.pk}/pdf/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_open_to_the_public_by_setting(
    client: Client, decision: Decision, settings: object
) -> None:
    settings.DIMOS_SERVICE_ACCESS = {"decisions": ["public"]}  # type: ignore[attr-defined]
    assert client.get("/decisions/?q=προϋπολογισμός").status_code == 200
    assert client.get(f"/decisions/{decision.pk}/").status_code == 200
    assert client.get(f"/decisions/{decision.pk}/download/").status_code == 200


@pytest.mark.parametrize("persona", ["citizen", "resident"])
def test_citizens_and_residents_search(
    client_for: Callable[[User], Client], decision: Decision, persona: str, request: object
) -> None:
    user = request.getfixturevalue(persona)  # type: ignore[attr-defined]
    response = client_for(user).get("/decisions/", {"q": "ΠΡΟΫΠΟΛΟΓΙΣΜΟΥ"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Βρέθηκε 1 απόφαση" in html
    assert "<mark>προϋπολογισμού</mark>" in html


def test_narrowed_by_setting_a_citizen_is_told_who_may_use_it(
    client_for: Callable[[User], Client], citizen: User, settings: object
) -> None:
    settings.DIMOS_SERVICE_ACCESS = {"decisions": ["resident"]}  # type: ignore[attr-defined]
    assert client_for(citizen).get("/decisions/").status_code == 403


def test_snippet_of_the_pdf_text_is_shown(
    client_for: Callable[[User], Client], citizen: User, decision: Decision
) -> None:
    html = client_for(citizen).get("/decisions/", {"q": "αποχετευση"}).content.decode()
    assert "<mark>αποχέτευση</mark>" in html


def test_the_box_goes_straight_to_a_number_or_ada(
    client_for: Callable[[User], Client], citizen: User, decision: Decision
) -> None:
    client = client_for(citizen)
    assert client.get("/decisions/", {"q": "123/2026"})["Location"] == f"/decisions/{decision.pk}/"
    assert client.get("/decisions/", {"q": "ψθ82ωρφ-7αι"})["Location"] == (
        f"/decisions/{decision.pk}/"
    )
    by_date = client.get("/decisions/", {"q": "15/3/2026"})
    assert by_date.status_code == 200
    assert "123/2026" in by_date.content.decode()


def test_bad_dates_get_a_clear_message(client_for: Callable[[User], Client], citizen: User) -> None:
    response = client_for(citizen).get(
        "/decisions/", {"date_from": "31/12/2026", "date_to": "1/1/2026", "q": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govgr-error-summary" in html
    response = client_for(citizen).get("/decisions/", {"date_from": "32/1/2026"})
    assert response.status_code == 400


def test_detail_shows_checksum_and_diavgeia_link(
    client_for: Callable[[User], Client], citizen: User, decision: Decision
) -> None:
    html = client_for(citizen).get(f"/decisions/{decision.pk}/").content.decode()
    assert decision.pdf_sha256 in html
    assert "https://diavgeia.gov.gr/doc/ΨΘ82ΩΡΦ-7ΑΙ" in html


def test_pdf_is_a_download_with_a_readable_name_at_both_addresses(
    client_for: Callable[[User], Client], citizen: User, decision: Decision
) -> None:
    client = client_for(citizen)
    assert "Λήψη PDF" in client.get(f"/decisions/{decision.pk}/").content.decode()
    old = client.get(f"/decisions/{decision.pk}/pdf/")
    saved = client.get(f"/decisions/{decision.pk}/download/")
    for response in (old, saved):
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == (
            'attachment; filename="Apofasi-123-2026-Dimotiko-Symvoulio.pdf"'
        )
    assert b"".join(saved.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_unknown_decision_is_404(client_for: Callable[[User], Client], citizen: User) -> None:
    assert client_for(citizen).get("/decisions/999999/").status_code == 404


def test_results_query_count_is_the_same_for_1_and_30(
    client_for: Callable[[User], Client], citizen: User, make_decision: Callable[..., Decision]
) -> None:
    import django.db
    import django.test.utils

    client = client_for(citizen)
    make_decision("1/2026", "Απόφαση για την πλατεία", date(2026, 1, 1))

    def count() -> int:
        with django.test.utils.CaptureQueriesContext(django.db.connection) as ctx:
            assert client.get("/decisions/", {"q": "πλατεία"}).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for serial in range(2, 31):
        make_decision(
            f"{serial}/2026", "Απόφαση για την πλατεία", date(2026, 1, 1), read_text=False
        )
    assert count() == one


def test_pagination_links_keep_the_query(
    client_for: Callable[[User], Client], citizen: User, make_decision: Callable[..., Decision]
) -> None:
    for serial in range(1, 22):
        make_decision(f"{serial}/2026", "Καθαριότητα πόλης", date(2026, 1, 1), read_text=False)
    html = client_for(citizen).get("/decisions/", {"q": "καθαριότητα"}).content.decode()
    assert "page=2" in html and "q=%CE%BA" in html


# --- Staff --------------------------------------------------------------------------------


def _upload(number: str = "130/2026", pdf: bytes | None = None) -> dict[str, object]:
    from dimos.decisions.models import Body

    return {
        "body": Body.objects.get(code="dimotiko-symvoulio").pk,
        "protocol_number": number,
        "ada": "",
        "subject": "Έγκριση τεχνικού προγράμματος",
        "decision_date": "20/3/2026",
        "meeting_date": "20/3/2026",
        "pdf": SimpleUploadedFile(
            "apofasi.pdf", pdf or pdf_of(number, "Έγκριση τεχνικού προγράμματος")
        ),
    }


def test_staff_without_permission_get_403(
    client_for: Callable[[User], Client], clerk: User
) -> None:
    client = client_for(clerk)
    assert client.get("/decisions/staff/").status_code == 403
    assert client.get("/decisions/staff/new/").status_code == 403


def test_citizen_cannot_open_staff_pages(
    client_for: Callable[[User], Client], citizen: User
) -> None:
    assert client_for(citizen).get("/decisions/staff/").status_code == 403


def test_secretary_uploads_a_decision(
    client_for: Callable[[User], Client],
    secretary: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    client = client_for(secretary)
    assert client.get("/decisions/staff/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post("/decisions/staff/new/", _upload())
    decision = Decision.objects.get()
    assert response["Location"] == f"/decisions/staff/{decision.pk}/"
    assert decision.protocol_number == "130/2026" and decision.text_extracted
    assert "τεχνικού προγράμματος" in decision.text


def test_a_fake_pdf_is_refused_with_a_message(
    client_for: Callable[[User], Client], secretary: User
) -> None:
    response = client_for(secretary).post("/decisions/staff/new/", _upload(pdf=PDF_BYTES))
    assert response.status_code == 200
    assert "govgr-error-summary" in response.content.decode()
    assert not Decision.objects.exists()


def test_number_year_must_match_decision_date(
    client_for: Callable[[User], Client], secretary: User
) -> None:
    response = client_for(secretary).post("/decisions/staff/new/", _upload("130/2025"))
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_secretary_edits_and_revokes(
    client_for: Callable[[User], Client], secretary: User, decision: Decision
) -> None:
    client = client_for(secretary)
    assert client.get(f"/decisions/staff/{decision.pk}/").status_code == 200
    data = _upload("123/2026")
    data["pdf"] = ""
    data["subject"] = "Έγκριση του προϋπολογισμού (διορθωμένο θέμα)"
    assert client.post(f"/decisions/staff/{decision.pk}/", data).status_code == 302
    decision.refresh_from_db()
    assert decision.subject.endswith("(διορθωμένο θέμα)")
    response = client.post(
        f"/decisions/staff/{decision.pk}/status/",
        {"action": "revoke", "revoke-reason": "Ανάκληση λόγω λάθους"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REVOKED


def test_secretary_marks_corrected_by_number(
    client_for: Callable[[User], Client],
    secretary: User,
    decision: Decision,
    make_decision: Callable[..., Decision],
) -> None:
    correction = make_decision("130/2026", "Ορθή επανάληψη")
    response = client_for(secretary).post(
        f"/decisions/staff/{decision.pk}/status/",
        {"action": "correct", "correct-correction": "130/2026", "correct-reason": ""},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.corrected_by == correction
    html = client_for(secretary).get(f"/decisions/{decision.pk}/").content.decode()
    assert f"/decisions/{correction.pk}/" in html
