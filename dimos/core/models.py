from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.choices import ChoiceLabels
from dimos.core.uploads import issued_document_name


class AuditEvent(models.Model):
    """Who did what to which object, when and from where. Never edited, never deleted."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The person whose data was read or changed, so that citizens can see who accessed it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events_about_me",
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_repr}"


class ClerkDecision(ChoiceLabels, models.Model):
    """A request that waits for a clerk to approve it, or to reject it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a clerk")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # None on an approved request: it was decided automatically (e.g. an exact registry match).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True

    def record_decision(self, clerk: Any, *, approve: bool, reason: str = "") -> None:
        """Set the decision on this (locked) row; the caller saves, audits and notifies."""
        if self.status != self.Status.PENDING:
            raise ValidationError(_("This request has already been decided."), code="decided")
        self.status = self.Status.APPROVED if approve else self.Status.REJECTED
        self.decided_by = clerk
        self.decided_at = timezone.now()
        self.rejection_reason = "" if approve else reason.strip()


class Counter(models.Model):
    """The last number issued in a numbering series for a year (protocol, receipts …)."""

    series = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="core_counter_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """A PDF the municipality issued (receipt, certificate …); anyone can check it by its code.

    One valid document per kind and object: issuing again returns it, re-issuing revokes it.
    A revoked document is kept, and still verifies, as revoked.
    """

    kind = models.SlugField(_("kind"), max_length=40)
    # Stored without dashes; shown grouped (K7QX-3M9P-2WHD). See dimos.core.documents.
    code = models.CharField(_("verification code"), max_length=12, unique=True)
    title = models.CharField(_("title"), max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    pdf = models.FileField(_("PDF"), upload_to=issued_document_name)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveSmallIntegerField(_("pages"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="core_document_one_valid_per_object",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(revoked_at__isnull=True, revocation_reason="")
                    | (models.Q(revoked_at__isnull=False) & ~models.Q(revocation_reason=""))
                ),
                name="core_document_revoked_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_document_object")]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return f"{self.title} ({self.display_code})"

    @property
    def display_code(self) -> str:
        """The code as printed: three groups of four."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
