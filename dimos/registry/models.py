from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dimos.core.models import ClerkDecision


class Family(models.Model):
    """A family record (μερίδα) of the municipal registry (Δημοτολόγιο)."""

    number = models.CharField(_("family record number (μερίδα)"), max_length=20, unique=True)
    municipal_unit = models.CharField(_("municipal unit"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("family record")
        verbose_name_plural = _("family records")

    def __str__(self) -> str:
        return self.number


class Person(models.Model):
    """A person entered in a family record of the registry."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    amka = models.CharField(_("ΑΜΚΑ"), max_length=11, null=True, blank=True, unique=True)
    # The account verified as this person; one account per registry person.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_person",
    )

    class Meta:
        ordering = ["family", "birth_date"]
        verbose_name = _("registered person")
        verbose_name_plural = _("registered persons")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.family.number})"


class ResidencyClaim(ClerkDecision):
    """A person's claim to be a Δημότης: the data they gave, and who verified it and how."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="residency_claims"
    )
    amka = models.CharField(_("ΑΜΚΑ"), max_length=11)
    family_number = models.CharField(_("family record number (μερίδα)"), max_length=20)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100)
    father_name = models.CharField(_("father's name"), max_length=100)
    mother_name = models.CharField(_("mother's name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("registered person"),
    )

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("residency claim")
        verbose_name_plural = _("residency claims")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=~Q(status="rejected"),
                name="registry_claim_one_live_per_account",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(person__isnull=False),
                name="registry_claim_approved_has_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.family_number}"

    @property
    def automatic(self) -> bool:
        return self.status == self.Status.APPROVED and self.decided_by_id is None
