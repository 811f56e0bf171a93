"""The GeoReport v2 endpoint, mounted at /open311/v2/ outside i18n_patterns: API URLs carry no
language prefix. The staff pages for API keys are in staff_urls.py."""

from django.urls import path, re_path

from dimos.open311 import views

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("services.<str:fmt>", views.services, name="services"),
    path(
        "services/<str:service_code>.<str:fmt>",
        views.service_definition,
        name="service_definition",
    ),
    path("requests.<str:fmt>", views.requests, name="requests"),
    path("requests/<str:service_request_id>.<str:fmt>", views.request_detail, name="request"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
