from django.urls import path

from dimos.decisions import views, views_staff

app_name = "decisions"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/download/", views.download, name="download"),
    path("staff/", views_staff.staff_list, name="staff_list"),
    path("staff/new/", views_staff.staff_new, name="staff_new"),
    path("staff/<int:pk>/", views_staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/status/", views_staff.staff_status, name="staff_status"),
]
