from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from dimos.accounts.models import User
from dimos.polls.models import Option, Poll, Question

QUESTIONS = [
    ("Να γίνει πεζόδρομος η οδός Μακεδονίας;", False, None, ["Ναι", "Όχι"]),
    ("Τι θέλετε στον πεζόδρομο;", True, 2, ["Δέντρα", "Παγκάκια", "Ποδηλατόδρομο"]),
]


def build_poll(
    *,
    opens_in: timedelta = timedelta(days=-1),
    closes_in: timedelta = timedelta(days=7),
    questions: list[tuple[str, bool, int | None, list[str]]] | None = None,
    **fields: Any,
) -> Poll:
    now = timezone.now()
    fields.setdefault("title", "Πεζόδρομος στο κέντρο")
    fields.setdefault("description", "Γνώμη για τον πεζόδρομο.")
    fields.setdefault("scheduled", True)
    poll = Poll.objects.create(opens_at=now + opens_in, closes_at=now + closes_in, **fields)
    for position, (text, multiple, max_choices, options) in enumerate(
        QUESTIONS if questions is None else questions, 1
    ):
        question = Question.objects.create(
            poll=poll, text=text, multiple=multiple, max_choices=max_choices, position=position
        )
        for i, option in enumerate(options, 1):
            Option.objects.create(question=question, text=option, position=i)
    return poll


def answers_for(poll: Poll, *picks: list[int]) -> dict[int, list[int]]:
    """Answers by option position (0-based) per question, as the form gives them."""
    out = {}
    for question, pick in zip(poll.questions.order_by("position"), picks, strict=True):
        options = list(question.options.order_by("position"))
        out[question.pk] = [options[i].pk for i in pick]
    return out


@pytest.fixture
def make_poll(db: None) -> Callable[..., Poll]:
    return build_poll


@pytest.fixture
def poll_clerk(clerk: User) -> User:
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="polls", codename="change_poll")
    )
    return User.objects.get(pk=clerk.pk)  # fresh permission cache
