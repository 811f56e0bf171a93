"""Poll participation of a person, and what closing the account does (core/personal_data).

Only that the person took part: ballots carry nothing that leads to a person (models.py),
so no export can say what they chose.
"""

from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.polls.models import Participation

register(
    Section(
        key="poll_participation",
        title=_("Polls you took part in"),
        model=Participation,
        rows=lambda p: Participation.objects.filter(person=p).order_by("at"),
        columns=[("poll__title", _("Poll")), ("at", _("When"))],
        closure=Closure.KEEP,
        reason=_(
            "Kept: the list of who took part guarantees one participation per person in each "
            "poll. What you chose was never linked to you."
        ),
    )
)
exclude("polls.Poll", "polls (public); created_by is a member of staff")
