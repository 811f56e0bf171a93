from django.urls import path

from dimos.registry import views

app_name = "registry"
urlpatterns = [
    path("resident/", views.claim, name="claim"),
    path("resident/status/", views.claim_status, name="claim_status"),
    path("staff/claims/", views.staff_claims, name="staff_claims"),
    path("staff/claims/<int:pk>/", views.staff_claim, name="staff_claim"),
]
