"""Decisions for the tests: real PDFs with Greek text (rendered once per session)."""

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from dimos.accounts.models import User
from dimos.decisions import actions, samples
from dimos.decisions.models import Body, Decision, DecisionType


@functools.cache
def pdf_of(number: str, subject: str, text: str = "") -> bytes:
    return samples.decision_pdf(
        number, "Γραμματεία", subject, date(2026, 3, 15), [text] if text else []
    )


# The fixture every search test shares: believable subjects with accents, capitals, final
# sigmas and inflected forms, and one word (ύδρευση) only inside a PDF.
FIXTURE = [
    ("12/2025", date(2025, 1, 20), "Ψήφιση του προϋπολογισμού οικονομικού έτους 2025", ""),
    ("45/2025", date(2025, 6, 3), "ΑΠΟΦΑΣΗ για την ανακατασκευή της κεντρικής πλατείας", ""),
    ("88/2025", date(2025, 11, 28), "Τροποποίηση κανονισμού καθαριότητας", "Άρθρο 3: ύδρευση."),
    ("3/2026", date(2026, 1, 15), "Έγκριση πρακτικού του Δημοτικού Συμβουλίου", ""),
    ("9/2026", date(2026, 2, 10), "Ορισμός επιτροπής παραλαβής έργων", ""),
]


@pytest.fixture
def council(db: None) -> Body:
    # Seeded by migration 0003; a flushed database (transactional tests) may lack it.
    return Body.objects.get_or_create(
        code="dimotiko-symvoulio",
        defaults={"name": "Δημοτικό Συμβούλιο", "name_latin": "Dimotiko Symvoulio"},
    )[0]


@pytest.fixture
def make_decision(council: Body) -> Callable[..., Decision]:
    def make(
        number: str = "123/2026",
        subject: str = "Έγκριση του προϋπολογισμού του Δήμου",
        decision_date: date = date(2026, 3, 15),
        text: str = "",
        body: Body | None = None,
        ada: str = "",
        type_code: str = "",
        read_text: bool = True,
    ) -> Decision:
        decision = actions.do_publish_decision(
            actions.DecisionData(
                body=body or council,
                protocol_number=number,
                subject=subject,
                decision_date=decision_date,
                ada=ada,
                decision_type=DecisionType.objects.filter(code=type_code).first(),
            ),
            pdf_of(number, subject, text),
        )
        if read_text:
            actions.do_store_extracted_text(decision.pk)
            decision.refresh_from_db()
        return decision

    return make


@pytest.fixture
def fixture_decisions(make_decision: Callable[..., Decision]) -> list[Decision]:
    return [make_decision(n, s, d, t) for n, d, s, t in FIXTURE]


@pytest.fixture
def secretary(clerk: User) -> User:
    """A clerk of the council's secretariat: may publish and change decisions."""
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="decisions", codename__in=["add_decision", "change_decision"]
        )
    )
    return User.objects.get(pk=clerk.pk)  # permissions are cached per instance


def numbers(decisions: Any) -> list[str]:
    return [d.protocol_number for d in decisions]
