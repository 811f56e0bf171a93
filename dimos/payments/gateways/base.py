"""What every card gateway adapter speaks: a redirect form out, a verified response back.

Pure code: no ORM, no request objects, no settings. Money is integer cents here as everywhere;
only the wire format of a gateway may say "12.50", and the conversions below are exact.
"""

import re
from dataclasses import dataclass
from typing import Literal, Protocol

Outcome = Literal["paid", "declined", "cancelled", "error", "pending"]

_EUROS = re.compile(r"(?P<euros>0|[1-9][0-9]{0,11})(?:\.(?P<cents>[0-9]{1,2}))?")


@dataclass(frozen=True)
class CardPaymentRequest:
    """One attempt to pay by card.

    `order_ref` is sent to the gateway as its order id, which the gateway refuses to see twice:
    the caller makes it unique per attempt (e.g. f"{order.pk}at{attempt}") and maps it back to
    its order when the response arrives (GatewayResponse.order_ref is the same string).
    The billing address is optional; 3-D Secure 2 scores better with it.
    """

    order_ref: str
    amount_cents: int
    description: str
    payer_email: str
    payer_phone: str
    confirm_url: str
    cancel_url: str
    language: str = "el"
    bill_country: str = "GR"
    bill_zip: str = ""
    bill_city: str = ""
    bill_address: str = ""


@dataclass(frozen=True)
class RedirectForm:
    """An HTML form the browser POSTs to the gateway: `fields` in this order, as hidden inputs."""

    action_url: str
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class GatewayResponse:
    """A response whose signature verified. It is not yet a payment: the caller still checks
    that `order_ref` is one of its attempts and that `amount_cents` is what that attempt asked.

    `amount_cents` is None when the gateway's amount is missing, not exact euros and cents,
    not in euros, or when what was charged differs from what was ordered.
    """

    order_ref: str
    outcome: Outcome
    amount_cents: int | None
    status: str
    transaction_id: str
    payment_ref: str
    message: str
    fields: list[tuple[str, str]]


class InvalidSignature(Exception):  # noqa: N818 — the name the payments app catches
    """The response is not from the gateway, or was altered on the way: change nothing."""


class CardGateway(Protocol):
    name: str

    def redirect_form(self, request: CardPaymentRequest) -> RedirectForm: ...

    def parse_response(self, body: bytes) -> GatewayResponse:
        """Verify and read the raw urlencoded POST body of a browser return or a background
        confirmation; raise InvalidSignature if it does not verify."""
        ...


def cents_to_euros(cents: int) -> str:
    """1 → "0.01", 1250 → "12.50", 1234567 → "12345.67": the gateways' decimal euros."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError(f"an amount is integer cents, not {type(cents).__name__}")
    if cents < 0:
        raise ValueError(f"a negative amount cannot be paid: {cents}")
    euros, rest = divmod(cents, 100)
    return f"{euros}.{rest:02d}"


def euros_to_cents(text: str) -> int:
    """ "12.50", "12.5" and "12" → 1250, 1250 and 1200; anything else (signs, exponents, commas,
    spaces, a third decimal, a leading zero like "012") raises ValueError. No float on the way."""
    match = _EUROS.fullmatch(text)
    if match is None:
        raise ValueError(f"not an amount in euros: {text!r}")
    cents = match["cents"] or "0"
    return int(match["euros"]) * 100 + int(cents.ljust(2, "0"))
