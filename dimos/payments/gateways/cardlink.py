"""The merchant side of the Cardlink / Nexi / Worldline VPOS redirect protocol ("shophandlermpi").

Three acquirers run the same protocol on different hosts (payments.md §2.1, §7):

1. We hand the browser a form of fields in a fixed order, signed with
   digest = base64(SHA-256(utf8(concat(values in order)) + shared secret)) — not an HMAC.
2. The gateway POSTs the browser back to confirmUrl or cancelUrl, and its background
   confirmation service POSTs the same signed fields server to server. Both arrive here as a raw
   urlencoded body; the digest covers every posted value in the order received, except `digest`,
   `_charset_`, `submitButton` and the loyalty fields `xlsbonus*` (signed apart).
3. Only status CAPTURED is a payment, and only once the caller has matched the order id and the
   amount (payments.md §7: "paid iff digest ok AND status == CAPTURED AND orderAmount ==
   expected AND orderid known").

Pure code: no ORM, no request, no settings (the factory in __init__.py reads those).
"""

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl

from dimos.payments.gateways.base import (
    CardPaymentRequest,
    GatewayResponse,
    InvalidSignature,
    Outcome,
    RedirectForm,
    cents_to_euros,
    euros_to_cents,
)

ALGORITHMS = ("sha256", "sha1")  # SHA-1 only for merchants still configured the old way

# Not part of the main digest (Cardlink's DigestService::verify_response).
UNSIGNED_FIELDS = frozenset({"digest", "_charset_", "submitButton"})
BONUS_FIELDS = ("xlsbonusadjamt", "xlsbonustxid", "xlsbonusstatus", "xlsbonusdetails")
BONUS_DIGEST = "xlsbonusdigest"
# The signed fields of a response, in the order the gateway posts them (Cardlink's
# ResponseHandler.php; the recurring fields and extData from yiannis54/cardlink-go, which
# follows Cardlink's documentation, "Table 3"), then the optional tail in any order.
RESPONSE_ORDER = {
    name: index
    for index, name in enumerate(
        (
            "version",
            "mid",
            "orderid",
            "status",
            "orderAmount",
            "currency",
            "paymentTotal",
            "message",
            "riskScore",
            "payMethod",
            "txId",
            "sequence",
            "seqTxId",
            "paymentRef",
        )
    )
}
RESPONSE_TAIL = frozenset({"extData", "extToken", "extTokenPanEnd", "extTokenExp"})
REQUIRED = ("mid", "orderid", "status")

OUTCOMES: dict[str, Outcome] = {
    "CAPTURED": "paid",
    "REFUSED": "declined",
    "REFUSEDRISK": "declined",
    "CANCELED": "cancelled",
    "ERROR": "error",
}  # anything else (AUTHORIZED, PROCESSING, EXECWAIT, …) is not final: "pending"

SALE = "1"  # trType: 1 sale (captured at once), 2 pre-authorisation — we only sell
# Limits of the gateway's fields [UNVERIFIED: the public plugins do not state them; the values
# below are the commonly documented ones, and an order id we build stays far below].
ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,50}")
MAX_DESCRIPTION = 128
MAX_FIELDS = 64  # a response has about 15; more is not the gateway


def compute_digest(values: Iterable[str], secret: str, algorithm: str = "sha256") -> str:
    """base64(HASH(utf8(concat(values)) + utf8(secret))), the protocol's one signature."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown digest algorithm {algorithm!r}; use sha256 or sha1")
    data = "".join(values).encode("utf-8") + secret.encode("utf-8")
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")


def _equal(a: str, b: str) -> bool:
    # compare_digest refuses non-ASCII str; bytes compare in constant time for any content.
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class CardlinkGateway:
    """One merchant account (mid + shared secret) at one VPOS host.

    `url` is the acquirer's shophandlermpi address, e.g.
    https://ecommerce-test.cardlink.gr/vpos/shophandlermpi (Cardlink test).
    """

    name = "cardlink"

    def __init__(
        self, mid: str, secret: str, url: str, algorithm: str = "sha256", css_url: str = ""
    ) -> None:
        if not mid or not secret or not url:
            raise ValueError("a Cardlink gateway needs a merchant id, a shared secret and a URL")
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown digest algorithm {algorithm!r}; use sha256 or sha1")
        self.mid = mid
        self.secret = secret
        self.url = url
        self.algorithm = algorithm
        self.css_url = css_url

    def __repr__(self) -> str:  # never the secret, also not in tracebacks' locals
        return f"CardlinkGateway(mid={self.mid!r}, url={self.url!r}, algorithm={self.algorithm!r})"

    def digest(self, values: Iterable[str]) -> str:
        return compute_digest(values, self.secret, self.algorithm)

    # --- out: the form the browser posts -------------------------------------------------

    def redirect_form(self, request: CardPaymentRequest) -> RedirectForm:
        if not ORDER_ID.fullmatch(request.order_ref):
            raise ValueError(
                f"order_ref {request.order_ref!r}: 1–50 letters, digits, '-' or '_', "
                "and unique per attempt"
            )
        if request.amount_cents <= 0:
            raise ValueError(f"a card payment needs a positive amount, not {request.amount_cents}")
        country = (request.bill_country or "GR").upper()
        fields = [
            ("version", "2"),
            ("mid", self.mid),
            ("lang", "en" if request.language.lower().startswith("en") else "el"),
            ("orderid", request.order_ref),
            ("orderDesc", request.description[:MAX_DESCRIPTION]),
            ("orderAmount", cents_to_euros(request.amount_cents)),
            ("currency", "EUR"),
            ("payerEmail", request.payer_email),
            ("payerPhone", request.payer_phone),
            ("billCountry", country),
            # billState goes here for countries other than Greece; we have no states to send.
            ("billZip", request.bill_zip),
            ("billCity", request.bill_city),
            ("billAddress", request.bill_address),
            # No ship* fields: nothing is shipped. No instalments, no payMethod, no tokens.
            ("trType", SALE),
            ("cssUrl", self.css_url),
            ("confirmUrl", request.confirm_url),
            ("cancelUrl", request.cancel_url),
        ]
        fields.append(("digest", self.digest(value for _, value in fields)))
        return RedirectForm(action_url=self.url, fields=fields)

    # --- back: the browser return and the background confirmation -----------------------

    def parse_response(self, body: bytes) -> GatewayResponse:
        fields = self._parse_body(body)
        self.verify(fields)
        values = dict(fields)
        status = values["status"]  # exact: CAPTURED must also pin where orderid ends
        return GatewayResponse(
            order_ref=values.get("orderid", ""),
            outcome=OUTCOMES.get(status, "pending"),
            amount_cents=_amount(values),
            status=status,
            transaction_id=values.get("txId", ""),
            payment_ref=values.get("paymentRef", ""),
            message=values.get("message", ""),
            fields=fields,
        )

    def verify(self, fields: Sequence[tuple[str, str]]) -> None:
        """Raise InvalidSignature unless `fields`, in this order, carry our digest.

        The digest signs the values but not their names, so a name could be moved to another
        value (or a value split across two names) without breaking it: the names must also be
        the protocol's, each once, in the protocol's order, and the merchant id ours. Then the
        values we rely on are pinned between neighbours of fixed value (mid, status, currency).
        """
        names = [name for name, _ in fields]
        if len(set(names)) != len(names):
            raise InvalidSignature("a field is repeated")
        _check_layout(names)
        values = dict(fields)
        missing = [name for name in (*REQUIRED, "digest") if not values.get(name)]
        if missing:
            raise InvalidSignature(f"missing fields: {', '.join(missing)}")
        signed = [value for name, value in fields if not _unsigned(name)]
        if not _equal(self.digest(signed), values["digest"]):
            raise InvalidSignature("the digest does not match")
        if values.get(BONUS_DIGEST):
            bonus = [values.get(name, "") for name in BONUS_FIELDS]
            if not _equal(self.digest(bonus), values[BONUS_DIGEST]):
                raise InvalidSignature("the loyalty-bonus digest does not match")
        if values["mid"] != self.mid:
            raise InvalidSignature(f"signed for another merchant id {values['mid']!r}")

    @staticmethod
    def _parse_body(body: bytes) -> list[tuple[str, str]]:
        try:
            text = body.decode("ascii")  # a urlencoded body is ASCII; the rest is %-escaped
            return parse_qsl(
                text,
                keep_blank_values=True,
                strict_parsing=True,
                encoding="utf-8",
                errors="strict",
                max_num_fields=MAX_FIELDS,
            )
        except (UnicodeDecodeError, ValueError) as exc:  # ValueError: malformed or too many
            raise InvalidSignature(f"not a urlencoded form: {exc}") from exc


def _unsigned(name: str) -> bool:
    return name in UNSIGNED_FIELDS or name.startswith("xlsbonus")


def _check_layout(names: Sequence[str]) -> None:
    position = -1
    in_tail = False
    for name in names:
        if _unsigned(name):
            continue
        if name in RESPONSE_TAIL:
            in_tail = True
            continue
        if name not in RESPONSE_ORDER:
            raise InvalidSignature(f"a field the protocol does not send: {name!r}")
        if in_tail or RESPONSE_ORDER[name] < position:
            raise InvalidSignature(f"field {name!r} is out of the protocol's order")
        position = RESPONSE_ORDER[name]


def _amount(values: dict[str, str]) -> int | None:
    """The ordered amount in cents, if it is exact, in euros, and what was actually charged."""
    if values.get("currency") != "EUR":  # also pins where orderAmount ends
        return None
    try:
        ordered = euros_to_cents(values.get("orderAmount", ""))
        charged = euros_to_cents(values.get("paymentTotal") or values.get("orderAmount", ""))
    except ValueError:
        return None
    # paymentTotal differs with loyalty points or surcharges, which a municipality does not
    # offer: an amount nobody expected is for staff to look at, never silently "paid".
    return ordered if ordered == charged else None
