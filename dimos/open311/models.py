import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


class ApiKey(models.Model):
    """What lets another application file requests through Open311 on behalf of its users.

    Only the SHA-256 of the key is kept: staff see the key once, when it is issued; a stolen
    database does not give working keys. The first characters stay visible to tell keys apart.
    """

    name = models.CharField(_("application"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="open311_keys",
        help_text=_("Requests filed with the key belong to this account."),
    )
    prefix = models.CharField(_("starts with"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    # Declared so that type checking does not depend on the app being in INSTALLED_APPS.
    objects: "models.Manager[ApiKey]" = models.Manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_of(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Changeset(models.Model):
    """When the list of services last changed: discovery's `changeset` tells clients to reload.

    One row, moved on by every save of a category or a department (see changeset.py).
    """

    changed_at = models.DateTimeField(default=timezone.now)

    objects: "models.Manager[Changeset]" = models.Manager()

    def __str__(self) -> str:
        return self.changed_at.isoformat()
