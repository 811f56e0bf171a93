"""Every write of the Open311 app: keys issued and revoked, requests filed by applications."""

import secrets

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dimos.accounts.models import User
from dimos.core import audit
from dimos.open311.models import PREFIX_LENGTH, ApiKey
from dimos.service_requests.actions import Submission, do_submit_request
from dimos.service_requests.models import ServiceRequest


def new_raw_key() -> str:
    return secrets.token_urlsafe(32)  # 256 bits: no guessing, so an unsalted hash is enough


def do_issue_key(
    name: str,
    owner: User,
    issued_by: User | None,
    *,
    raw_key: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiKey, str]:
    """A new key for an application; the raw key is returned once and never stored."""
    raw = raw_key or new_raw_key()
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            owner=owner,
            prefix=raw[:PREFIX_LENGTH],
            key_hash=ApiKey.hash_of(raw),
            created_by=issued_by,
        )
        audit.record("open311.key_issued", key, actor=issued_by, request=request, owner=owner.pk)
    return key, raw


def do_revoke_key(key: ApiKey, revoked_by: User, request: HttpRequest | None = None) -> bool:
    """Revoke a key at once; False when it was already revoked (nothing changes then)."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return False
        locked.revoked_at = timezone.now()
        locked.revoked_by = revoked_by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit.record("open311.key_revoked", locked, actor=revoked_by, request=request)
    key.refresh_from_db()
    return True


def do_file_request(
    key: ApiKey, submission: Submission, request: HttpRequest | None = None
) -> ServiceRequest:
    """File through the one door of requests and complaints, as the key owner's, via the API."""
    with transaction.atomic():
        service_request = do_submit_request(
            key.owner, submission, intake=ServiceRequest.Intake.API, request=request
        )
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        audit.record(
            "open311.request_filed",
            service_request,
            actor=key.owner,
            request=request,
            api_key=key.pk,
            api_key_prefix=key.prefix,
        )
    return service_request
