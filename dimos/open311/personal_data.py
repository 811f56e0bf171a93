"""Open311 API keys of an account, and what closing the account does (core/personal_data)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.personal_data import Closure, Section, exclude, register
from dimos.open311.models import ApiKey


def revoke_keys(person: Any) -> None:
    ApiKey.objects.filter(owner=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


register(
    Section(
        key="api_keys",
        title=_("Open311 API keys of your account"),
        model=ApiKey,
        # Never the key or its hash: the first characters tell keys apart.
        rows=lambda p: ApiKey.objects.filter(owner=p),
        columns=["name", "prefix", "created_at", "revoked_at", "last_used_at"],
        closure=Closure.KEEP,
        reason=_("Revoked, and kept as the record of which application filed which request."),
        close=revoke_keys,
    )
)
exclude("open311.Changeset", "when the list of services changed; no person")
