from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dimos.core.models import AuditEvent
from dimos.decisions import actions
from dimos.decisions.models import Body, Decision
from dimos.decisions.tests.conftest import pdf_of
from dimos.testing import PDF_BYTES


def _data(body: Body, number: str = "7/2026", ada: str = "") -> actions.DecisionData:
    return actions.DecisionData(
        body=body,
        protocol_number=number,
        subject="Έγκριση απολογισμού",
        decision_date=date(2026, 3, 1),
        ada=ada,
    )


def test_publish_stores_pdf_facts_and_reads_text_in_the_background(
    council: Body, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        decision = actions.do_publish_decision(
            _data(council), pdf_of("7/2026", "Έγκριση απολογισμού", "Ύδρευση Κοζάνης")
        )
    decision.refresh_from_db()
    assert (decision.serial, decision.year) == (7, 2026)
    assert decision.page_count == 1
    assert len(decision.pdf_sha256) == 64
    assert decision.text_extracted
    assert "Ύδρευση Κοζάνης" in decision.text
    assert "υδρευση κοζανησ" in decision.search_text
    assert set(
        AuditEvent.objects.filter(object_id=str(decision.pk)).values_list("action", flat=True)
    ) == {"decision.published", "decision.text_extracted"}


@pytest.mark.parametrize(
    "data",
    [b"not a pdf at all", b"%PDF-1.4\n garbage that only starts like a PDF", PDF_BYTES],
)
def test_a_fake_or_empty_pdf_is_refused_and_nothing_is_saved(council: Body, data: bytes) -> None:
    with pytest.raises(ValidationError):
        actions.do_publish_decision(_data(council), data)
    assert not Decision.objects.exists()


def test_number_is_unique_per_body_and_year(council: Body) -> None:
    pdf = pdf_of("7/2026", "Έγκριση απολογισμού")
    actions.do_publish_decision(_data(council), pdf)
    with pytest.raises(ValidationError, match="7/2026"):
        actions.do_publish_decision(_data(council), pdf)
    committee = Body.objects.get(code="dimotiki-epitropi")
    actions.do_publish_decision(_data(committee), pdf)  # another body numbers on its own
    assert Decision.objects.count() == 2


def test_ada_is_unique(council: Body) -> None:
    pdf = pdf_of("7/2026", "Έγκριση απολογισμού")
    actions.do_publish_decision(_data(council, "7/2026", "ΨΘ82ΩΡΦ-7ΑΙ"), pdf)
    with pytest.raises(ValidationError, match="ΨΘ82ΩΡΦ-7ΑΙ"):
        actions.do_publish_decision(_data(council, "8/2026", "ΨΘ82ΩΡΦ-7ΑΙ"), pdf)


def test_revoke_needs_a_reason_and_is_audited(make_decision: Callable[..., Decision]) -> None:
    decision = make_decision()
    with pytest.raises(ValidationError):
        actions.do_revoke_decision(decision, "  ")
    actions.do_revoke_decision(decision, "Ανακλήθηκε με την 130/2026")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REVOKED
    assert AuditEvent.objects.filter(action="decision.revoked", object_id=str(decision.pk))
    with pytest.raises(ValidationError):
        actions.do_revoke_decision(decision, "ξανά")


def test_a_corrected_decision_links_to_its_correction(
    make_decision: Callable[..., Decision],
) -> None:
    first = make_decision("7/2026")
    second = make_decision("9/2026")
    actions.do_mark_corrected(first, second, "Ορθή επανάληψη")
    first.refresh_from_db()
    assert first.status == Decision.Status.CORRECTED
    assert first.corrected_by == second
    with pytest.raises(ValidationError):
        actions.do_mark_corrected(second, first)  # no cycles
    with pytest.raises(ValidationError):
        actions.do_mark_corrected(second, second)


def test_replacing_the_pdf_reads_the_new_text(
    make_decision: Callable[..., Decision], django_capture_on_commit_callbacks: object
) -> None:
    decision = make_decision("7/2026", "Έγκριση απολογισμού", text="παλιό κείμενο")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.do_update_decision(
            decision,
            _data(decision.body),
            pdf=pdf_of("7/2026", "Έγκριση απολογισμού", "καινούργιο κείμενο"),
        )
    decision.refresh_from_db()
    assert "καινούργιο" in decision.text and "παλιό" not in decision.text
    assert AuditEvent.objects.filter(action="decision.updated").count() == 1
