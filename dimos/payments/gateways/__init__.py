"""Card gateways: one interface (base.py), the Cardlink/Nexi/Worldline adapter, and the factory.

    gateway = gateway_from_settings()
    form = gateway.redirect_form(CardPaymentRequest(order_ref=f"{order.pk}at{attempt}", …))
    …  # render form.fields as hidden inputs, in order, posted to form.action_url
    response = gateway.parse_response(request.body)  # raises InvalidSignature

Settings (all read with getattr, so a missing one means its default):

    DIMOS_CARD_GATEWAY       "cardlink" or "sandbox" (default: sandbox while SANDBOX_ENABLED)
    DIMOS_CARDLINK_MID       merchant id given by the acquirer
    DIMOS_CARDLINK_SECRET    shared secret (env DIMOS_CARDLINK_SECRET or DIMOS_CARDLINK_SECRET_FILE)
    DIMOS_CARDLINK_URL       the acquirer's https://…/vpos/shophandlermpi
    DIMOS_CARDLINK_DIGEST    sha256 (default) or sha1, as the merchant account is configured
    DIMOS_SANDBOX_CARDLINK_MID / _SECRET   what the sandbox expects (sandbox-mid/sandbox-secret)
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from dimos.payments.gateways.base import (
    CardGateway,
    CardPaymentRequest,
    GatewayResponse,
    InvalidSignature,
    RedirectForm,
    cents_to_euros,
    euros_to_cents,
)
from dimos.payments.gateways.cardlink import ALGORITHMS, CardlinkGateway

__all__ = [
    "CardGateway",
    "CardPaymentRequest",
    "CardlinkGateway",
    "GatewayResponse",
    "InvalidSignature",
    "RedirectForm",
    "cents_to_euros",
    "euros_to_cents",
    "gateway_from_settings",
]

SANDBOX_MID = "sandbox-mid"
SANDBOX_SECRET = "sandbox-secret"  # noqa: S105 — the sandbox's, known to everyone by design
SANDBOX_URL_NAME = "sandbox:cardlink_vpos"


def gateway_from_settings() -> CardGateway:
    """The card gateway the settings choose; ImproperlyConfigured names what is missing."""
    sandbox_enabled = bool(getattr(settings, "SANDBOX_ENABLED", False))
    name = getattr(settings, "DIMOS_CARD_GATEWAY", "") or (
        "sandbox" if sandbox_enabled else "cardlink"
    )
    algorithm = getattr(settings, "DIMOS_CARDLINK_DIGEST", "") or "sha256"
    if algorithm not in ALGORITHMS:
        raise ImproperlyConfigured(f"DIMOS_CARDLINK_DIGEST={algorithm!r}: use sha256 or sha1")
    if name == "sandbox":
        if not sandbox_enabled:
            raise ImproperlyConfigured(
                "DIMOS_CARD_GATEWAY=sandbox needs DIMOS_SANDBOX, which production refuses; "
                "use cardlink"
            )
        return CardlinkGateway(
            mid=getattr(settings, "DIMOS_SANDBOX_CARDLINK_MID", "") or SANDBOX_MID,
            secret=getattr(settings, "DIMOS_SANDBOX_CARDLINK_SECRET", "") or SANDBOX_SECRET,
            # A path, not an address: the browser posts it to whichever host served our page,
            # which is also right for a test server on a random port.
            url=reverse(SANDBOX_URL_NAME),
            algorithm=algorithm,
        )
    if name == "cardlink":
        mid = getattr(settings, "DIMOS_CARDLINK_MID", "")
        secret = getattr(settings, "DIMOS_CARDLINK_SECRET", "")
        url = getattr(settings, "DIMOS_CARDLINK_URL", "")
        missing = [
            setting
            for setting, value in (
                ("DIMOS_CARDLINK_MID", mid),
                ("DIMOS_CARDLINK_SECRET", secret),
                ("DIMOS_CARDLINK_URL", url),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"Card payments are not set up: set {', '.join(missing)}")
        if not url.startswith("https://"):
            raise ImproperlyConfigured(f"DIMOS_CARDLINK_URL must be an https:// address: {url!r}")
        return CardlinkGateway(mid=mid, secret=secret, url=url, algorithm=algorithm)
    raise ImproperlyConfigured(f"DIMOS_CARD_GATEWAY={name!r}: use cardlink or sandbox")
