import segno.helpers
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dimos.accounts.http import AuthenticatedHttpRequest
from dimos.core.audit import client_ip
from dimos.core.documents import document_response
from dimos.payments import actions, queries
from dimos.payments.gateways import gateway_from_settings
from dimos.payments.gateways.base import CardPaymentRequest
from dimos.payments.models import CardAttempt, PaymentOrder
from dimos.payments.statements.rf import format_rf


def _own_order_or_404(request: AuthenticatedHttpRequest, rf: str) -> PaymentOrder:
    order = queries.own_order(request.user, rf)
    if order is None:
        raise Http404
    return order


def _epc_qr_data_uri(order: PaymentOrder) -> str:
    """EPC/SEPA payment QR with the RF as structured reference, for banking apps."""
    qr = segno.helpers.make_epc_qr(
        name=settings.DIMOS_BANK["beneficiary"][:70],
        iban=settings.DIMOS_BANK["iban"],
        amount=order.due_cents / 100,
        reference=order.rf or None,
        bic=settings.DIMOS_BANK["bic"] or None,
    )
    return qr.svg_data_uri(scale=4, border=2)


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "payments/mine.html",
        {
            "orders": queries.orders_of(request.user)[:100],
            "receipts": queries.receipts_of(request.user)[:100],
        },
    )


@login_required
def order(request: AuthenticatedHttpRequest, rf: str) -> HttpResponse:
    payment_order = _own_order_or_404(request, rf)
    return render(
        request,
        "payments/order.html",
        {
            "order": payment_order,
            "rf_printed": format_rf(payment_order.rf or ""),
            "bank": settings.DIMOS_BANK,
            "qr": _epc_qr_data_uri(payment_order) if payment_order.is_payable else "",
        },
    )


@login_required
@require_POST
def card_start(request: AuthenticatedHttpRequest, rf: str) -> HttpResponse:
    """Hand the browser to the card gateway with a signed form."""
    payment_order = _own_order_or_404(request, rf)
    try:
        attempt = actions.do_start_card_attempt(payment_order, request=request)
    except ValidationError:
        return redirect("payments:order", rf=rf)
    form = gateway_from_settings().redirect_form(
        CardPaymentRequest(
            order_ref=attempt.gateway_order_id,
            amount_cents=attempt.amount_cents,
            description=payment_order.description[:128],
            payer_email=request.user.email,
            payer_phone=request.user.mobile,
            language=request.LANGUAGE_CODE,
            confirm_url=request.build_absolute_uri(reverse("payments:card_return")),
            cancel_url=request.build_absolute_uri(reverse("payments:card_return")),
        )
    )
    return render(
        request, "payments/card_redirect.html", {"form_out": form, "order": payment_order}
    )


@csrf_exempt  # the gateway posts here; its signed digest, not a CSRF token, proves it
@require_POST
def card_return(request: HttpRequest) -> HttpResponse:
    """The gateway's browser return and its background confirmation land here alike."""
    attempt = actions.do_handle_card_response(request.body, client_ip(request))
    if attempt is None:
        return render(request, "payments/card_problem.html", status=400)
    # A cross-site POST carries no session cookie: continue with a plain GET as the person.
    return redirect("payments:card_done", attempt=attempt.gateway_order_id)


@login_required
def card_done(request: AuthenticatedHttpRequest, attempt: str) -> HttpResponse:
    found = CardAttempt.objects.filter(
        gateway_order_id=attempt, order__in=queries.orders_of(request.user)
    ).first()
    if found is None:
        raise Http404
    receipt = None
    if found.outcome == CardAttempt.Outcome.PAID:
        payment = found.order.payments.filter(details__attempt=found.gateway_order_id).first()
        receipt = getattr(payment, "receipt", None) if payment else None
    return render(request, "payments/card_done.html", {"attempt": found, "receipt": receipt})


@login_required
def receipt_pdf(request: AuthenticatedHttpRequest, year: int, number: int) -> FileResponse:
    receipt = queries.own_receipt(request.user, year, number)
    if receipt is None:
        raise Http404
    return document_response(actions.do_issue_receipt_document(receipt, request=request))
