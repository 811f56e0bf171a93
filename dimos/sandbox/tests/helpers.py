"""Helpers of the sandbox tests: a merchant's form, and reading forms back out of a page."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from dimos.payments.gateways import CardlinkGateway, CardPaymentRequest

VPOS_PATH = "/sandbox/cardlink/vpos/shophandlermpi"
DECIDE_PATH = "/sandbox/cardlink/vpos/decide"
MID = "sandbox-mid"
SECRET = "sandbox-secret"
FORM = "application/x-www-form-urlencoded"


def merchant_gateway(
    secret: str = SECRET, mid: str = MID, algorithm: str = "sha256"
) -> CardlinkGateway:
    return CardlinkGateway(mid=mid, secret=secret, url=VPOS_PATH, algorithm=algorithm)


def merchant_fields(
    confirm_url: str = "http://testserver/payments/card/confirm/",
    cancel_url: str = "http://testserver/payments/card/cancel/",
    amount_cents: int = 1250,
    *,
    language: str = "el",
    secret: str = SECRET,
    mid: str = MID,
) -> list[tuple[str, str]]:
    """What our payments app posts to the gateway, built by the merchant-side adapter."""
    request = CardPaymentRequest(
        order_ref="42at1",
        amount_cents=amount_cents,
        description="Δημοτικό τέλος",
        payer_email="maria@example.gr",
        payer_phone="6912345678",
        confirm_url=confirm_url,
        cancel_url=cancel_url,
        language=language,
    )
    return merchant_gateway(secret, mid).redirect_form(request).fields


def body(fields: list[tuple[str, str]]) -> str:
    return urlencode(fields)


@dataclass
class Form:
    action: str
    inputs: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict[str, str | None] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(Form(action=values.get("action") or "", attrs=values))
        elif tag == "input" and self.forms and values.get("type") == "hidden":
            self.forms[-1].inputs.append((values["name"] or "", values.get("value") or ""))


def forms_in(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def autopost_form(html: str) -> Form:
    [form] = [f for f in forms_in(html) if "data-autosubmit" in f.attrs]
    return form
