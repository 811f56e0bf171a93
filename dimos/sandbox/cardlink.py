"""The gateway side of the Cardlink / Nexi / Worldline VPOS redirect protocol (payments.md §7.1).

What a real VPOS does with the merchant's form, as plain functions that tests use directly:

- parse_request(): verify the digest of the form the browser posted (all values in order,
  except `digest`) and read the order from it;
- signed_response(): the fields the gateway posts back, signed, optionally wrong on purpose;
- post_background() / send_background_confirmations() / schedule_background_confirmations():
  the server-to-server "background confirmation", only ever to the portal itself.

The digest is computed here independently of dimos.payments.gateways, so that a test crossing
the two checks two implementations against each other (and the merchant side is pinned to the
protocol's published vectors).

    from dimos.sandbox.cardlink import signed_response, urlencoded
    fields = signed_response(form.fields, "CAPTURED", secret="sandbox-secret")
    client.post(confirm_url, urlencoded(fields), content_type=FORM_CONTENT_TYPE)
"""

import base64
import hashlib
import hmac
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

Fields = list[tuple[str, str]]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
DEFAULT_MID = "sandbox-mid"
DEFAULT_SECRET = "sandbox-secret"  # noqa: S105 — the sandbox's, known to everyone by design
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver"})
MAX_BACKGROUND = 5
BACKGROUND_TIMEOUT_SECONDS = 10.0
LATE_DELAY_SECONDS = 3.0
REQUIRED = ("mid", "orderid", "orderAmount", "currency", "confirmUrl", "cancelUrl")

# What the tester's buttons make the gateway answer.
STATUSES = {"approve": "CAPTURED", "decline": "REFUSED", "cancel": "CANCELED", "error": "ERROR"}
MESSAGES = {
    "CAPTURED": "OK, 00 - Approved",
    "REFUSED": "Refused, 05 - Do not honour",
    "CANCELED": "Failed, user canceled",
    "ERROR": "Error, system error",
}
_EUROS = re.compile(r"(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?")


class RequestRefused(Exception):  # noqa: N818 — what the gateway does: it refuses
    """The merchant's form is not one the gateway accepts; `reason` is for the developer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ForeignHostRefused(ValueError):  # noqa: N818
    """The sandbox posts only to the portal itself, never to another host."""


@dataclass(frozen=True)
class VposRequest:
    """A merchant's payment form whose digest verified, with its fields in the order posted."""

    fields: Fields

    @property
    def data(self) -> dict[str, str]:
        return dict(self.fields)

    def get(self, name: str) -> str:
        return self.data.get(name, "")

    @property
    def order_id(self) -> str:
        return self.get("orderid")

    @property
    def amount_cents(self) -> int:
        return euros_to_cents(self.get("orderAmount"))

    @property
    def language(self) -> str:
        return "en" if self.get("lang") == "en" else "el"


@dataclass(frozen=True)
class BackgroundResult:
    attempt: int
    url: str
    status: int | None  # the portal's HTTP status; None when it could not be reached
    error: str = ""


def digest(values: Sequence[str], secret: str, algorithm: str = "sha256") -> str:
    if algorithm not in ("sha256", "sha1"):
        raise ValueError(f"unknown digest algorithm {algorithm!r}")
    raw = hashlib.new(algorithm, ("".join(values) + secret).encode("utf-8")).digest()
    return base64.b64encode(raw).decode("ascii")


def euros_to_cents(text: str) -> int:
    match = _EUROS.fullmatch(text)
    if match is None:
        raise ValueError(f"not an amount in euros: {text!r}")
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def cents_to_euros(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros}.{rest:02d}"


def urlencoded(fields: Sequence[tuple[str, str]]) -> str:
    """The body a gateway posts: the fields urlencoded, in order."""
    return urlencode(list(fields))


def credentials() -> tuple[str, str, str]:
    """(mid, secret, algorithm) the sandbox gateway expects: what gateway_from_settings uses."""
    return (
        getattr(settings, "DIMOS_SANDBOX_CARDLINK_MID", "") or DEFAULT_MID,
        getattr(settings, "DIMOS_SANDBOX_CARDLINK_SECRET", "") or DEFAULT_SECRET,
        getattr(settings, "DIMOS_CARDLINK_DIGEST", "") or "sha256",
    )


def parse_request(
    body: bytes | str, *, mid: str, secret: str, algorithm: str = "sha256"
) -> VposRequest:
    """Verify the merchant's form as the gateway would; raise RequestRefused if it is not good."""
    try:
        text = body.decode("ascii") if isinstance(body, bytes) else body
        fields = parse_qsl(
            text, keep_blank_values=True, strict_parsing=True, errors="strict", max_num_fields=64
        )
    except (UnicodeError, ValueError) as exc:
        raise RequestRefused(f"not a urlencoded form: {exc}") from exc
    names = [name for name, _ in fields]
    if len(set(names)) != len(names):
        raise RequestRefused("a field is repeated")
    values = dict(fields)
    received = values.get("digest", "")
    if not received:
        raise RequestRefused("no digest")
    expected = digest([value for name, value in fields if name != "digest"], secret, algorithm)
    if not hmac.compare_digest(expected.encode(), received.encode("utf-8")):
        raise RequestRefused("the digest does not match (wrong secret, field order or value)")
    missing = [name for name in REQUIRED if not values.get(name)]
    if missing:
        raise RequestRefused(f"missing fields: {', '.join(missing)}")
    if values["mid"] != mid:
        raise RequestRefused(f"unknown merchant id {values['mid']!r}; the sandbox's is {mid!r}")
    if values["currency"] != "EUR":
        raise RequestRefused(f"currency {values['currency']!r}; only EUR")
    try:
        euros_to_cents(values["orderAmount"])
    except ValueError as exc:
        raise RequestRefused(str(exc)) from exc
    return VposRequest(fields=fields)


def _reference(order_id: str, kind: str, digits: int) -> str:
    """The same order gets the same transaction id every time: a repeated callback is a repeat."""
    number = int.from_bytes(hashlib.sha256(f"{kind}:{order_id}".encode()).digest()[:8], "big")
    return str(number % 10**digits).zfill(digits)


def signed_response(
    request_fields: Sequence[tuple[str, str]],
    status: str,
    secret: str,
    *,
    tamper: bool = False,
    amount_cents: int | None = None,
    algorithm: str = "sha256",
    tx_id: str | None = None,
    payment_ref: str | None = None,
    message: str | None = None,
) -> Fields:
    """The fields the gateway posts back for the merchant's form `request_fields`.

    `status`: CAPTURED, REFUSED, CANCELED, ERROR (or any other the protocol knows).
    `tamper`: a well-formed digest that does not verify. `amount_cents`: report this amount
    instead of the ordered one (signed correctly: the merchant must catch it by comparing).
    Identical arguments give identical fields, like a gateway repeating its confirmation.
    """
    values = dict(request_fields)
    order_id = values.get("orderid", "")
    amount = values.get("orderAmount", "") if amount_cents is None else cents_to_euros(amount_cents)
    fields: Fields = [
        ("version", values.get("version", "2")),
        ("mid", values.get("mid", "")),
        ("orderid", order_id),
        ("status", status),
        ("orderAmount", amount),
        ("currency", values.get("currency", "EUR")),
        ("paymentTotal", amount),
        ("message", MESSAGES.get(status, status) if message is None else message),
        ("riskScore", "" if status == "CANCELED" else "0"),
    ]
    if status != "CANCELED":  # a payer who cancels never chose a card
        fields.append(("payMethod", "visa"))
    fields.append(("txId", tx_id if tx_id is not None else _reference(order_id, "tx", 12)))
    if status == "CAPTURED":
        ref = payment_ref if payment_ref is not None else _reference(order_id, "ref", 6)
        fields.append(("paymentRef", ref))
    signing_secret = secret + "-tampered" if tamper else secret
    fields.append(("digest", digest([value for _, value in fields], signing_secret, algorithm)))
    return fields


def allowed_hosts() -> frozenset[str]:
    public = urlsplit(getattr(settings, "DIMOS_PUBLIC_URL", "") or "").hostname
    return (LOCAL_HOSTS | {public}) if public else LOCAL_HOSTS


def check_target(url: str) -> None:
    """Raise ForeignHostRefused unless `url` is http(s) on the portal's own host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in allowed_hosts():
        raise ForeignHostRefused(
            f"the sandbox posts only to the portal ({', '.join(sorted(allowed_hosts()))}), "
            f"not to {url!r}"
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the portal's answer, reported as such; following it could leave the portal."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# No proxies from the environment (the portal is local), no redirects.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def post_background(
    url: str, fields: Sequence[tuple[str, str]], *, attempt: int = 1
) -> BackgroundResult:
    """One server-to-server confirmation POST; raises ForeignHostRefused before any network."""
    check_target(url)
    request = urllib.request.Request(  # noqa: S310 — scheme and host checked above
        url,
        data=urlencoded(fields).encode("ascii"),
        method="POST",
        headers={"Content-Type": FORM_CONTENT_TYPE, "User-Agent": "Dimos sandbox VPOS"},
    )
    try:
        with _opener.open(request, timeout=BACKGROUND_TIMEOUT_SECONDS) as answer:
            return BackgroundResult(attempt, url, answer.status)
    except urllib.error.HTTPError as exc:
        return BackgroundResult(attempt, url, exc.code)
    except (urllib.error.URLError, OSError) as exc:
        return BackgroundResult(attempt, url, None, str(exc))


def send_background_confirmations(
    url: str, fields: Sequence[tuple[str, str]], times: int
) -> list[BackgroundResult]:
    """`times` identical confirmations, one after the other (0..MAX_BACKGROUND)."""
    check_target(url)
    results = [post_background(url, fields, attempt=n) for n in range(1, _times(times) + 1)]
    for result in results:
        logger.info("Sandbox background confirmation %s → %s", result, url)
    return results


def schedule_background_confirmations(
    url: str, fields: Sequence[tuple[str, str]], times: int, delay: float | None = None
) -> threading.Thread:
    """The same, `delay` seconds from now in a thread: late, after the browser's return."""
    check_target(url)
    _times(times)
    frozen = list(fields)
    seconds = LATE_DELAY_SECONDS if delay is None else delay

    def late() -> None:
        time.sleep(seconds)
        send_background_confirmations(url, frozen, times)

    thread = threading.Thread(target=late, name="sandbox-background-confirmation", daemon=True)
    thread.start()
    return thread


def _times(times: int) -> int:
    if not 0 <= times <= MAX_BACKGROUND:
        raise ValueError(f"background confirmations: 0 to {MAX_BACKGROUND}, not {times}")
    return times
