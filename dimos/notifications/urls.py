from django.urls import path

from dimos.notifications import views

app_name = "notifications"
urlpatterns = [
    path("staff/failed/", views.staff_failed, name="staff_failed"),
    path(
        "staff/failed/<int:pk>/handled/",
        views.staff_failed_handled,
        name="staff_failed_handled",
    ),
    path("staff/callbacks/", views.staff_callbacks, name="staff_callbacks"),
    path("staff/callbacks/<int:pk>/", views.staff_callback, name="staff_callback"),
    path("sandbox/sms/", views.sandbox_sms, name="sandbox_sms"),
]
