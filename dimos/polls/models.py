"""Polls. Who took part (Participation) and what was chosen (Ballot) are kept apart.

Nothing in a Ballot leads back to a person: no foreign key to the account, no time, no
sequential id (random UUIDs, and every default ordering is by that random id), and the rows
are written into the ballot box in the same transaction as the participation but in no order
that mirrors it (see actions.do_cast_ballot and actions.reseal_ballot_box). The tests in
tests/test_secrecy.py prove it with full access to the database.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.choices import ChoiceLabels
from dimos.core.uploads import random_name
from dimos.polls import rules


class Poll(ChoiceLabels, models.Model):
    class Eligibility(models.TextChoices):
        RESIDENTS = rules.Eligibility.RESIDENTS, _("Residents (Δημότες) only")
        RESIDENTS_AND_CITIZENS = (
            rules.Eligibility.RESIDENTS_AND_CITIZENS,
            _("Residents and citizens (Δημότες and Πολίτες)"),
        )

    class ResultsShown(models.TextChoices):
        LIVE = rules.ResultsShown.LIVE, _("Live, while the poll is open")
        AFTER_VOTING = rules.ResultsShown.AFTER_VOTING, _("To each person after they take part")
        AFTER_CLOSING = (
            rules.ResultsShown.AFTER_CLOSING,
            _("Only after closing, when staff publish them"),
        )

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=8000)
    document = models.FileField(_("document (PDF)"), upload_to=random_name, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    eligibility = models.CharField(
        _("who may take part"),
        max_length=10,
        choices=Eligibility.choices,
        default=Eligibility.RESIDENTS_AND_CITIZENS,
    )
    # Names of municipal units (δημοτικές ενότητες) as in the registry; empty: all of them.
    municipal_units = models.JSONField(_("only residents of"), default=list, blank=True)
    results_shown = models.CharField(
        _("results are shown"),
        max_length=15,
        choices=ResultsShown.choices,
        default=ResultsShown.AFTER_CLOSING,
    )
    scheduled = models.BooleanField(_("scheduled"), default=False)
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing early"), blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="polls_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(close_reason=""),
                name="polls_early_close_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phase(self, now: datetime | None = None) -> rules.Phase:
        return rules.phase(
            self.scheduled, self.opens_at, self.closes_at, self.closed_at, now or timezone.now()
        )

    @property
    def current_phase(self) -> rules.Phase:
        return self.phase()

    @property
    def ends_at(self) -> datetime:
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    @property
    def is_frozen(self) -> bool:
        return rules.is_frozen(self.phase())

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The poll must close after it opens.")}, code="dates"
            )
        if self.municipal_units and self.eligibility != rules.Eligibility.RESIDENTS:
            raise ValidationError(
                {"municipal_units": _("Only a poll for residents can be limited to units.")},
                code="units",
            )
        if self.pk and self._frozen_in_database():
            raise ValidationError(_("The poll is open or closed: it can no longer be changed."))

    def _frozen_in_database(self) -> bool:
        stored = Poll.objects.filter(pk=self.pk).first()
        return stored is not None and stored.is_frozen


class Question(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    multiple = models.BooleanField(_("more than one answer allowed"), default=False)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many answers"),
        null=True,
        blank=True,
        help_text=_("Only for questions with more than one answer. Empty: no limit."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(multiple=True) | Q(max_choices__isnull=True),
                name="polls_single_choice_has_no_maximum",
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=1),
                name="polls_maximum_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if not self.multiple and self.max_choices is not None:
            raise ValidationError(
                {"max_choices": _("A question with one answer has no maximum.")}, code="max"
            )
        if self.poll_id and Poll.objects.get(pk=self.poll_id).is_frozen:
            raise ValidationError(
                _("The poll is open or closed: its questions can no longer be changed."),
                code="frozen",
            )


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("answer"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if (
            self.question_id
            and Question.objects.select_related("poll").get(pk=self.question_id).poll.is_frozen
        ):
            raise ValidationError(
                _("The poll is open or closed: its answers can no longer be changed."),
                code="frozen",
            )


class Participation(models.Model):
    """The voter roll: that a person took part, never what they chose."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="poll_participations"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # The one-participation rule lives in the database: two tabs or a hundred racing
            # requests cannot both insert (actions.do_cast_ballot turns the error into a refusal).
            models.UniqueConstraint(fields=["poll", "person"], name="polls_one_participation"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id} {self.person_id}"


class Ballot(models.Model):
    """The ballot box: answers and a receipt code, and nothing that leads to a person.

    No account, no time (not even the day), a random id; default order by that random id.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    receipt = models.CharField(_("receipt code"), max_length=16, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    """One answer ticked on a ballot; a random id, so its rows carry no order either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="choices")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="polls_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.option_id}"
