"""SMS providers: one interface, an HTTP adapter for a real provider, and the sandbox.

Chosen by DIMOS_SMS_PROVIDER: "sandbox" (the default while DIMOS_SANDBOX is on) stores messages
in the database for the staff page "SMS sandbox"; "http" posts them to a provider:

    POST DIMOS_SMS_HTTP_URL
    Authorization: Bearer DIMOS_SMS_HTTP_TOKEN
    Content-Type: application/json
    {"to": "+306912345678", "text": "…", "sender": DIMOS_SMS_SENDER, "reference": "123"}

    2xx {"id": "<provider's message id>"}   accepted
    408, 429, 5xx, no answer                  temporary: tried again later
    any other 4xx                             refused for good (e.g. a number it cannot reach)

The reference is the notification's id, sent also as the Idempotency-Key header: a provider
that honours either sends a message given twice (a retry after a crash) only once.
"""

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings

from dimos.notifications.models import SandboxSms

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "Dimos"
DEFAULT_TIMEOUT_SECONDS = 10.0


class SmsError(Exception):
    """The provider did not take the message; `retry` says whether trying later may help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class SmsProvider(Protocol):
    def send(self, to: str, text: str, reference: str) -> str:
        """Send `text` to the E.164 number `to`; return the provider's id of the message.

        `reference` is ours and the same on every try of one message. Raise SmsError.
        """
        ...


class HttpSmsProvider:
    def __init__(
        self, url: str, token: str, sender: str, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise SmsError(f"DIMOS_SMS_HTTP_URL must be an http(s) URL, not {url!r}", retry=False)
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, to: str, text: str, reference: str) -> str:
        payload = {"to": to, "text": text, "sender": self.sender, "reference": reference}
        request = urllib.request.Request(  # noqa: S310 — scheme checked in __init__
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode(errors="replace")
            retry = exc.code in (408, 429) or exc.code >= 500
            raise SmsError(f"SMS provider answered HTTP {exc.code}: {detail}", retry=retry) from exc
        except (urllib.error.URLError, OSError) as exc:  # refused, DNS, timeout, TLS
            raise SmsError(f"SMS provider unreachable: {exc}", retry=True) from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        # A 2xx is an acceptance even without an id; the reference identifies the message.
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""


class SandboxSmsProvider:
    """Stores the message instead of sending it; like a real provider, once per reference."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, to: str, text: str, reference: str) -> str:
        if not getattr(settings, "SANDBOX_ENABLED", False):
            raise SmsError(
                "The sandbox SMS provider works only with DIMOS_SANDBOX on; "
                "set DIMOS_SMS_PROVIDER=http and the DIMOS_SMS_HTTP_* settings.",
                retry=False,
            )
        message, _ = SandboxSms.objects.get_or_create(
            reference=reference, defaults={"to": to, "text": text, "sender": self.sender}
        )
        return message.provider_id


def provider_from_settings() -> SmsProvider:
    sender = getattr(settings, "DIMOS_SMS_SENDER", "") or DEFAULT_SENDER
    default = "sandbox" if getattr(settings, "SANDBOX_ENABLED", False) else "http"
    name = getattr(settings, "DIMOS_SMS_PROVIDER", "") or default
    if name == "sandbox":
        return SandboxSmsProvider(sender)
    if name == "http":
        url = getattr(settings, "DIMOS_SMS_HTTP_URL", "")
        token = getattr(settings, "DIMOS_SMS_HTTP_TOKEN", "")
        if not url or not token:
            raise SmsError(
                "SMS is not set up: set DIMOS_SMS_HTTP_URL and DIMOS_SMS_HTTP_TOKEN.", retry=False
            )
        timeout = float(getattr(settings, "DIMOS_SMS_HTTP_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
        return HttpSmsProvider(url, token, sender, timeout)
    raise SmsError(f"Unknown DIMOS_SMS_PROVIDER {name!r}; use 'http' or 'sandbox'.", retry=False)
