from django.urls import path

from dimos.payments import views, views_staff

app_name = "payments"
urlpatterns = [
    path("staff/", views_staff.orders, name="staff_orders"),
    path("staff/new/", views_staff.order_new, name="staff_order_new"),
    path("staff/orders/<int:pk>/", views_staff.order_detail, name="staff_order"),
    path("staff/import/", views_staff.statement_import, name="staff_import"),
    path("staff/import/<int:pk>/", views_staff.statement_import_done, name="staff_import_done"),
    path("staff/review/", views_staff.review, name="staff_review"),
    path("staff/review/<int:pk>/", views_staff.review_item, name="staff_review_item"),
    path("staff/alerts/<int:pk>/handled/", views_staff.alert_handled, name="staff_alert_handled"),
    path("", views.mine, name="mine"),
    path("card/return/", views.card_return, name="card_return"),
    path("card/<str:attempt>/", views.card_done, name="card_done"),
    path("receipts/<int:year>-<int:number>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<str:rf>/", views.order, name="order"),
    path("<str:rf>/card/", views.card_start, name="card_start"),
]
