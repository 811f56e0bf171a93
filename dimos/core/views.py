from allauth.mfa.models import Authenticator
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from dimos.core import documents, ratelimit
from dimos.core.access import SERVICES, SERVICES_BY_KEY, can_use, staff_required
from dimos.core.forms import VerifyForm
from dimos.core.staff import queues_for


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"services": SERVICES})


def service(request: HttpRequest, key: str) -> HttpResponse:
    """The page of a service that is not built yet: what it will do, for whom, honestly."""
    svc = SERVICES_BY_KEY.get(key)
    if svc is None:
        raise Http404
    return render(
        request, "core/service.html", {"service": svc, "can_use": can_use(request.user, svc)}
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def bench_bare(request: HttpRequest) -> HttpResponse:
    """The least a Django page can do: "ok" through the full middleware stack (`make bench`)."""
    return HttpResponse("ok", content_type="text/plain")


def staff_second_factor(request: HttpRequest) -> HttpResponse:
    """Where staff land when their session was not confirmed with the authenticator app."""
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404
    has_totp = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).exists()
    return render(request, "core/staff_second_factor.html", {"has_totp": has_totp})


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/staff_home.html", {"queues": queues_for(request.user)})


VERIFY_LIMIT = 30  # lookups per client and window: plenty for people, too few to enumerate codes
VERIFY_WINDOW_SECONDS = 10 * 60


@require_safe
@never_cache
def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Anyone checks that a document is genuine: by the QR code's link, or by typing its code."""
    response = _verify(request, code)
    response["X-Robots-Tag"] = "noindex, nofollow"  # titles carry protocol numbers
    return response


def _verify(request: HttpRequest, code: str | None) -> HttpResponse:
    if code is None:
        if "code" not in request.GET:
            return render(request, "core/verify.html", {"form": VerifyForm()})
        form = VerifyForm(request.GET)
        if not form.is_valid():
            return render(request, "core/verify.html", {"form": form})
        return redirect("core:verify", code=documents.group_code(form.cleaned_data["code"]))
    form = VerifyForm({"code": code})
    if not form.is_valid():
        return render(request, "core/verify.html", {"form": form}, status=404)
    if not ratelimit.hit(
        "verify",
        ratelimit.client_key(request),
        limit=VERIFY_LIMIT,
        window_seconds=VERIFY_WINDOW_SECONDS,
    ):
        response = render(request, "core/verify.html", {"too_many": True}, status=429)
        response["Retry-After"] = str(VERIFY_WINDOW_SECONDS)
        return response
    facts = documents.public_facts(form.cleaned_data["code"])
    if facts is None:
        unknown = documents.group_code(form.cleaned_data["code"])
        return render(
            request,
            "core/verify.html",
            {"form": VerifyForm(initial={"code": unknown}), "unknown": unknown},
            status=404,
        )
    return render(request, "core/verify.html", {"facts": facts})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Our own page for a request Django refuses (a form too large, too many files) — in
    Greek and with the site's frame, which Django's default 400 view renders without."""
    too_large = isinstance(exception, RequestDataTooBig | TooManyFilesSent)
    return render(request, "400.html", {"too_large": too_large}, status=400)
