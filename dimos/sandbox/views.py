"""The sandbox card gateway's pages: the card page, and the signed return to the portal.

Stateless like the real gateway: the merchant's signed form travels in the card page and its
digest is verified again when the tester decides, so nothing is stored.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dimos.sandbox import cardlink
from dimos.sandbox.forms import AMOUNT_CHANGES, CardDecisionForm

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def sandbox_only(view: View) -> View:
    """404 unless the sandbox is on: in production the gateway's pages do not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "SANDBOX_ENABLED", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    logger.warning("Sandbox VPOS refused a payment form: %s", reason)
    return render(request, "sandbox/cardlink_refused.html", {"reason": reason}, status=400)


def _verified(request: HttpRequest, body: bytes | str) -> cardlink.VposRequest:
    """The merchant's form, verified, whose return addresses are the portal's own."""
    mid, secret, algorithm = cardlink.credentials()
    vpos = cardlink.parse_request(body, mid=mid, secret=secret, algorithm=algorithm)
    for name in ("confirmUrl", "cancelUrl"):
        try:
            cardlink.check_target(_absolute(request, vpos.get(name)))
        except cardlink.ForeignHostRefused as exc:
            raise cardlink.RequestRefused(f"{name}: {exc}") from exc
    return vpos


def _absolute(request: HttpRequest, url: str) -> str:
    return urljoin(request.build_absolute_uri("/"), url)


@csrf_exempt  # the merchant's page posts here from its own origin, like to the real gateway
@sandbox_only
@require_POST
def cardlink_vpos(request: HttpRequest) -> HttpResponse:
    """POST /sandbox/cardlink/vpos/shophandlermpi — the card page, or a refusal."""
    try:
        vpos = _verified(request, request.body)
    except cardlink.RequestRefused as exc:
        return _refused(request, exc.reason)
    decision = CardDecisionForm(initial={"request": cardlink.urlencoded(vpos.fields)})
    return _card_page(request, vpos, decision)


def _card_page(
    request: HttpRequest, vpos: cardlink.VposRequest, decision: CardDecisionForm, status: int = 200
) -> HttpResponse:
    with translation.override(vpos.language):  # the language the merchant asked for
        return render(
            request,
            "sandbox/cardlink_card.html",
            {"vpos": vpos, "amount_cents": vpos.amount_cents, "decision": decision},
            status=status,
        )


@sandbox_only
@require_POST
def cardlink_decide(request: HttpRequest) -> HttpResponse:
    """The tester's button: sign the answer, send the background calls, return the browser."""
    try:
        vpos = _verified(request, request.POST.get("request", ""))
    except cardlink.RequestRefused as exc:
        return _refused(request, exc.reason)
    decision = CardDecisionForm(request.POST)
    if not decision.is_valid():
        return _card_page(request, vpos, decision, status=400)
    choice = decision.cleaned_data
    status = cardlink.STATUSES[choice["outcome"]]
    amount = vpos.amount_cents + AMOUNT_CHANGES[choice["amount_change"]]
    _, secret, algorithm = cardlink.credentials()
    fields = cardlink.signed_response(
        vpos.fields,
        status,
        secret,
        algorithm=algorithm,
        tamper=choice["tamper"],
        amount_cents=None if amount == vpos.amount_cents else max(amount, 0),
    )
    # Cardlink's background confirmation service calls one address whatever the status: the
    # portal must tell a paid order from a cancelled one by the signed status, not by the URL.
    background_url = _absolute(request, vpos.get("confirmUrl"))
    results: list[cardlink.BackgroundResult] = []
    if choice["background"] and choice["background_when"] == "before":
        results = cardlink.send_background_confirmations(
            background_url, fields, choice["background"]
        )
    elif choice["background"]:
        cardlink.schedule_background_confirmations(background_url, fields, choice["background"])
    with translation.override(vpos.language):
        return render(
            request,
            "sandbox/cardlink_return.html",
            {
                "vpos": vpos,
                "status": status,
                "fields": fields,
                "action": vpos.get("confirmUrl" if status == "CAPTURED" else "cancelUrl"),
                "lost": choice["lose_return"],
                "results": results,
                "late": choice["background"] if choice["background_when"] == "after" else 0,
                "background_url": background_url,
            },
        )
