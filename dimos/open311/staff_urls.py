"""The staff pages for Open311 API keys: HTML in the user's language, so inside i18n_patterns
(at /open311/), unlike the API itself (urls.py)."""

from django.urls import path

from dimos.open311 import views_staff

app_name = "open311_staff"
urlpatterns = [
    path("staff/keys/", views_staff.keys, name="keys"),
    path("staff/keys/new/", views_staff.issue, name="issue"),
    path("staff/keys/<int:pk>/revoke/", views_staff.revoke, name="revoke"),
]
