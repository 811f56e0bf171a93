from django.urls import path

from dimos.business_tax import views, views_staff

app_name = "business_tax"
urlpatterns = [
    path("staff/", views_staff.businesses, name="staff_businesses"),
    path("staff/businesses/<int:pk>/", views_staff.business, name="staff_business"),
    path("staff/debts/", views_staff.debts, name="staff_debts"),
    path("staff/debts/new/", views_staff.debt_new, name="staff_debt_new"),
    path("staff/debts/import/", views_staff.debt_import, name="staff_import"),
    path("staff/debts/<int:pk>/", views_staff.debt, name="staff_debt"),
    path("staff/reports/", views_staff.reports, name="staff_reports"),
    path("", views.home, name="home"),
    path("<str:afm>/", views.business, name="business"),
    path("<str:afm>/declare/", views.declare, name="declare"),
    path("<str:afm>/declare/check/", views.check, name="check"),
    path("<str:afm>/declarations/<int:year>-<int:number>/", views.declared, name="declared"),
    path(
        "<str:afm>/declarations/<int:year>-<int:number>.pdf",
        views.declaration_pdf,
        name="declaration_pdf",
    ),
    path("<str:afm>/debts/<int:pk>/", views.debt, name="debt"),
    path("<str:afm>/debts/<int:pk>/pay/", views.pay, name="pay"),
]
