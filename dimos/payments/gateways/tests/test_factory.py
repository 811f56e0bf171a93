"""gateway_from_settings(): the sandbox while developing, the acquirer's VPOS in production."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from dimos.payments.gateways import CardlinkGateway, gateway_from_settings

LIVE = {
    "DIMOS_CARD_GATEWAY": "cardlink",
    "DIMOS_CARDLINK_MID": "0020893996",
    "DIMOS_CARDLINK_SECRET": "live-secret",
    "DIMOS_CARDLINK_URL": "https://ecommerce.cardlink.gr/vpos/shophandlermpi",
}


def configure(settings: Any, **values: Any) -> None:
    for name in (*LIVE, "DIMOS_CARDLINK_DIGEST"):
        if hasattr(settings, name):
            delattr(settings, name)
    for name, value in values.items():
        setattr(settings, name, value)


def test_sandbox_by_default_while_the_sandbox_is_on(settings: Any) -> None:
    configure(settings, SANDBOX_ENABLED=True)
    gateway = gateway_from_settings()
    assert isinstance(gateway, CardlinkGateway)
    assert (gateway.mid, gateway.secret, gateway.algorithm) == (
        "sandbox-mid",
        "sandbox-secret",
        "sha256",
    )
    assert gateway.url == "/sandbox/cardlink/vpos/shophandlermpi"


def test_sandbox_credentials_from_settings(settings: Any) -> None:
    configure(
        settings,
        SANDBOX_ENABLED=True,
        DIMOS_SANDBOX_CARDLINK_MID="m-1",
        DIMOS_SANDBOX_CARDLINK_SECRET="s-1",
        DIMOS_CARDLINK_DIGEST="sha1",
    )
    gateway = gateway_from_settings()
    assert isinstance(gateway, CardlinkGateway)
    assert (gateway.mid, gateway.secret, gateway.algorithm) == ("m-1", "s-1", "sha1")


def test_cardlink_by_default_when_the_sandbox_is_off(settings: Any) -> None:
    configure(
        settings,
        SANDBOX_ENABLED=False,
        **{k: v for k, v in LIVE.items() if k != "DIMOS_CARD_GATEWAY"},
    )
    gateway = gateway_from_settings()
    assert isinstance(gateway, CardlinkGateway)
    assert (gateway.mid, gateway.url, gateway.algorithm) == (
        "0020893996",
        "https://ecommerce.cardlink.gr/vpos/shophandlermpi",
        "sha256",
    )


def test_the_sandbox_cannot_be_chosen_when_it_is_off(settings: Any) -> None:
    configure(settings, SANDBOX_ENABLED=False, DIMOS_CARD_GATEWAY="sandbox")
    with pytest.raises(ImproperlyConfigured, match="DIMOS_SANDBOX"):
        gateway_from_settings()


@pytest.mark.parametrize(
    "missing", ["DIMOS_CARDLINK_MID", "DIMOS_CARDLINK_SECRET", "DIMOS_CARDLINK_URL"]
)
def test_cardlink_names_what_is_missing(settings: Any, missing: str) -> None:
    configure(settings, SANDBOX_ENABLED=False, **{**LIVE, missing: ""})
    with pytest.raises(ImproperlyConfigured, match=missing):
        gateway_from_settings()


def test_cardlink_needs_https(settings: Any) -> None:
    configure(
        settings, SANDBOX_ENABLED=False, **{**LIVE, "DIMOS_CARDLINK_URL": "http://vpos.example/"}
    )
    with pytest.raises(ImproperlyConfigured, match="https"):
        gateway_from_settings()


@pytest.mark.parametrize(
    ("name", "value"), [("DIMOS_CARD_GATEWAY", "viva"), ("DIMOS_CARDLINK_DIGEST", "md5")]
)
def test_unknown_choices_are_refused(settings: Any, name: str, value: str) -> None:
    configure(settings, SANDBOX_ENABLED=False, **{**LIVE, name: value})
    with pytest.raises(ImproperlyConfigured, match=name):
        gateway_from_settings()
