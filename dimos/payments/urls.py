from django.urls import path

from dimos.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("card/return/", views.card_return, name="card_return"),
    path("card/<str:attempt>/", views.card_done, name="card_done"),
    path("receipts/<int:year>-<int:number>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<str:rf>/", views.order, name="order"),
    path("<str:rf>/card/", views.card_start, name="card_start"),
]
