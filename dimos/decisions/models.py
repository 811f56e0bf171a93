"""Decisions of the municipality's bodies, as published on Diavgeia (ν.3861/2010)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dimos.core.choices import ChoiceLabels
from dimos.core.uploads import random_name
from dimos.decisions import rules


class Body(models.Model):
    """The body that takes decisions: municipal council, municipal committee, mayor …

    Each numbers its decisions on its own, from 1 every year (a Diavgeia "unit").
    """

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_latin = models.CharField(
        _("name in Latin letters"),
        max_length=120,
        blank=True,
        help_text=_("For the names of saved files; empty: transliterated from the name."),
    )
    diavgeia_unit_id = models.CharField(_("Diavgeia unit"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("decision body")
        verbose_name_plural = _("decision bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def latin(self) -> str:
        return self.name_latin or rules.to_latin(self.name)


class DecisionType(models.Model):
    """A Diavgeia decision type (`decisionTypeId`); labels are refreshed from `GET /types`."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=250)

    class Meta:
        ordering = ["code"]
        verbose_name = _("decision type")
        verbose_name_plural = _("decision types")

    def __str__(self) -> str:
        return self.label if self.label == self.code else f"{self.label} ({self.code})"


class ThematicCategory(models.Model):
    """A code of Diavgeia's THK dictionary (`thematicCategoryIds`)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("label"), max_length=250)

    class Meta:
        ordering = ["label"]
        verbose_name = _("thematic category")
        verbose_name_plural = _("thematic categories")

    def __str__(self) -> str:
        return self.label


class Decision(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        REVOKED = "revoked", _("Revoked")
        CORRECTED = "corrected", _("Corrected")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions"
    )
    # The number as written (`123/2026`), and its parts for exact look-ups. Diavgeia also
    # carries numbers that are not `N/YYYY` (`Α/1522`): those keep `serial` empty.
    protocol_number = models.CharField(_("decision number"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"), null=True, blank=True)
    ada = models.CharField(_("ΑΔΑ"), max_length=30, blank=True)
    subject = models.TextField(_("subject"), max_length=2000)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"))
    published_at = models.DateTimeField(_("published on Diavgeia"), null=True, blank=True)
    decision_type = models.ForeignKey(
        DecisionType,
        verbose_name=_("decision type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    categories = models.ManyToManyField(
        ThematicCategory, verbose_name=_("thematic categories"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    corrected_by = models.ForeignKey(
        "self",
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrects",
    )
    pdf = models.FileField(_("PDF"), upload_to=random_name)
    pdf_sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)  # extracted from the PDF in the background
    text_extracted = models.BooleanField(default=False)
    diavgeia_version = models.CharField(max_length=64, blank=True)
    diavgeia_checksum = models.CharField(max_length=128, blank=True)
    # Search, see queries.py. `search_head` and `search_text` hold normalize_greek() of the
    # number, ΑΔΑ and subject (and, for `search_text`, the PDF text): on SQLite they are
    # what is searched. On PostgreSQL a trigger fills `search_vector` (migration 0002).
    search_head = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decision_date", "-serial", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            # Numbers are serial within one body and one year (reference §1.2).
            models.UniqueConstraint(
                fields=["body", "year", "serial"], name="decisions_number_unique"
            ),
            models.UniqueConstraint(
                fields=["ada"], condition=~Q(ada=""), name="decisions_ada_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="corrected") | Q(corrected_by__isnull=False),
                name="decisions_corrected_has_correction",
            ),
        ]
        indexes = [
            models.Index(fields=["-decision_date"], name="decisions_by_date"),
            models.Index(fields=["serial", "year"], name="decisions_by_number"),
        ]

    def __str__(self) -> str:
        return f"{self.protocol_number} {self.subject[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    @property
    def diavgeia_url(self) -> str:
        return f"https://diavgeia.gov.gr/doc/{self.ada}" if self.ada else ""

    @property
    def file_name(self) -> str:
        """`Apofasi-123-2026-Dimotiko-Symvoulio.pdf`."""
        return rules.file_name(self.protocol_number, self.body.latin)

    def refresh_search_fields(self) -> None:
        self.search_head, self.search_text = rules.search_fields(
            self.protocol_number, self.ada, self.subject, self.text
        )
