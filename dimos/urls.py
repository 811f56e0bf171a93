from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dimos.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The Open311 GeoReport v2 API: no language prefix, authenticated by api_key.
    path("open311/v2/", include("dimos.open311.urls")),
    # The sandbox card gateway: development only, every page 404s unless DIMOS_SANDBOX.
    path("sandbox/", include("dimos.sandbox.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("dimos.core.urls")),
    path("accounts/", include("dimos.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("registry/", include("dimos.registry.urls")),
    path("requests/", include("dimos.service_requests.urls")),
    path("notifications/", include("dimos.notifications.urls")),
    path("payments/", include("dimos.payments.urls")),
    path("fines/", include("dimos.fines.urls")),
    path("business-tax/", include("dimos.business_tax.urls")),
    path("polls/", include("dimos.polls.urls")),
    path("decisions/", include("dimos.decisions.urls")),
    path("open311/", include("dimos.open311.staff_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DIMOS_BENCH_BARE_VIEW:  # `make bench` only: the yardstick of the benchmark
    urlpatterns.insert(0, path("bench/bare/", core_views.bench_bare, name="bench_bare"))

handler400 = "dimos.core.views.bad_request"
