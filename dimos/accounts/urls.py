from django.urls import path

from dimos.accounts import views
from dimos.accounts.models import SignupDoor

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path(
        "register/citizen/",
        views.DoorSignupView.as_view(door=SignupDoor.CITIZEN),
        name="register_citizen",
    ),
    path(
        "register/resident/",
        views.DoorSignupView.as_view(door=SignupDoor.RESIDENT),
        name="register_resident",
    ),
    path(
        "register/business/",
        views.DoorSignupView.as_view(door=SignupDoor.BUSINESS),
        name="register_business",
    ),
    path("me/", views.dashboard, name="dashboard"),
    path("me/details/", views.profile, name="profile"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    path("me/close/", views.close_account, name="close_account"),
    path("me/businesses/new/", views.business_new, name="business_new"),
    path("me/businesses/sent/", views.business_sent, name="business_sent"),
    path("staff/representations/", views.staff_representations, name="staff_representations"),
    path(
        "staff/representations/<int:pk>/", views.staff_representation, name="staff_representation"
    ),
    path(
        "staff/representations/<int:pk>/proof/",
        views.staff_representation_proof,
        name="staff_representation_proof",
    ),
]
