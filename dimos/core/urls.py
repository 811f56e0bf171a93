from django.urls import path

from dimos.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("services/<slug:key>/", views.service, name="service"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/second-factor/", views.staff_second_factor, name="staff_second_factor"),
]
