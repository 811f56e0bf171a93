from django.urls import path

from dimos.sandbox import views

app_name = "sandbox"

urlpatterns = [
    # The path of the real gateways (payments.md §2.1), so only the host differs.
    path("cardlink/vpos/shophandlermpi", views.cardlink_vpos, name="cardlink_vpos"),
    path("cardlink/vpos/decide", views.cardlink_decide, name="cardlink_decide"),
]
