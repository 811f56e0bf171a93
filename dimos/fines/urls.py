from django.urls import path

from dimos.fines import views, views_staff

app_name = "fines"
urlpatterns = [
    path("", views.start, name="start"),
    path("find/", views.lookup, name="lookup"),
    path("enter/", views.enter, name="enter"),
    path("enter/check/", views.check, name="check"),
    path("mine/", views.mine, name="mine"),
    path("tickets/<str:key>/", views.ticket, name="ticket"),
    path("tickets/<str:key>/pay/", views.pay, name="pay"),
    path("staff/", views_staff.tickets, name="staff_tickets"),
    path("staff/register/", views_staff.register, name="staff_register"),
    path("staff/import/", views_staff.import_csv, name="staff_import"),
    path("staff/reconcile/", views_staff.reconcile, name="staff_reconcile"),
    path("staff/tickets/<int:pk>/", views_staff.ticket, name="staff_ticket"),
]
