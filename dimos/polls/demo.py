"""Demo polls: an open one (a pedestrian street in the centre), a closed one with published
results, and a future one; the demo resident and citizen have not voted yet."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from dimos.accounts.demo import demo_person, staff_group
from dimos.accounts.models import SignupDoor, User
from dimos.polls import actions
from dimos.polls.models import Option, Poll, Question

OPEN_TITLE = "Πεζόδρομος στην οδό Μακεδονίας"
CLOSED_TITLE = "Ωράριο της Δημοτικής Βιβλιοθήκης το Σάββατο"
FUTURE_TITLE = "Νέα παιδική χαρά στο Πάρκο Αγίου Νικολάου"


def _poll(title: str, description: str, opens_in: int, closes_in: int, shown: str) -> Poll:
    now = timezone.now()
    return Poll.objects.create(
        title=title,
        description=description,
        opens_at=now + timedelta(days=opens_in),
        closes_at=now + timedelta(days=closes_in),
        results_shown=shown,
        scheduled=True,
    )


def _question(poll: Poll, position: int, text: str, options: list[str], maximum: int = 0) -> None:
    question = Question.objects.create(
        poll=poll,
        text=text,
        position=position,
        multiple=maximum > 0,
        max_choices=maximum or None,
    )
    Option.objects.bulk_create(
        [Option(question=question, text=t, position=i) for i, t in enumerate(options, 1)]
    )


def _voters(count: int) -> list[User]:
    return [
        demo_person(
            f"psifoforos{i}@example.gr",
            SignupDoor.CITIZEN,
            first_name="Ψηφοφόρος",
            last_name=f"Δοκιμαστικός {i}",
        )
        for i in range(1, count + 1)
    ]


def _cast(poll: Poll, voters: list[User], picks: list[list[list[int]]]) -> None:
    questions = list(poll.questions.prefetch_related("options"))
    for voter, pick in zip(voters, picks, strict=False):
        answers = {
            q.pk: [list(q.options.all())[i].pk for i in chosen]
            for q, chosen in zip(questions, pick, strict=True)
        }
        actions.do_cast_ballot(poll, voter, answers)


def load(out: Any) -> None:
    staff_group().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="polls", codename__in=["change_poll", "view_poll"]
        )
    )
    if Poll.objects.filter(title=OPEN_TITLE).exists():
        return
    clerk = User.objects.get(email="ypallilos@example.gr")
    voters = _voters(12)

    street = _poll(
        OPEN_TITLE,
        "Ο Δήμος εξετάζει να γίνει πεζόδρομος το τμήμα της οδού Μακεδονίας από την Πλατεία "
        "Νίκης έως την οδό Πασχίδου. Πείτε μας τη γνώμη σας.",
        -3,
        14,
        Poll.ResultsShown.AFTER_VOTING,
    )
    _question(street, 1, "Συμφωνείτε να γίνει πεζόδρομος η οδός Μακεδονίας;", ["Ναι", "Όχι"])
    _question(
        street,
        2,
        "Τι θα θέλατε να έχει ο πεζόδρομος; (έως 2 απαντήσεις)",
        ["Δέντρα και πράσινο", "Παγκάκια", "Ποδηλατόδρομο", "Τραπεζοκαθίσματα"],
        maximum=2,
    )
    _cast(
        street,
        voters[:9],
        [[[0 if i % 3 else 1], [i % 4, (i + 1) % 4]] for i in range(9)],
    )

    library = _poll(
        CLOSED_TITLE,
        "Να μένει ανοιχτή η Δημοτική Βιβλιοθήκη και τα Σάββατα;",
        -40,
        1,
        Poll.ResultsShown.AFTER_CLOSING,
    )
    _question(
        library,
        1,
        "Ποιο ωράριο προτιμάτε για το Σάββατο;",
        ["09:00–14:00", "17:00–21:00", "Να μένει κλειστή"],
    )
    _cast(library, voters, [[[i % 3 if i % 5 else 0]] for i in range(12)])
    Poll.objects.filter(pk=library.pk).update(closes_at=timezone.now() - timedelta(days=10))
    actions.do_publish_results(library, clerk)

    playground = _poll(
        FUTURE_TITLE,
        "Πού να γίνει η νέα παιδική χαρά του πάρκου;",
        7,
        21,
        Poll.ResultsShown.LIVE,
    )
    _question(playground, 1, "Πού προτιμάτε τη νέα παιδική χαρά;", ["Βόρεια", "Νότια"])
    out.write("\nDemo polls ready: one open, one closed with results, one upcoming.")
