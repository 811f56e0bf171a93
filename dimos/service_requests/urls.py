from django.urls import path

from dimos.service_requests import views, views_staff

app_name = "service_requests"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("new/check/", views.check, name="check"),
    path("track/", views.track, name="track"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/submitted/", views.submitted, name="submitted"),
    path("<str:public_id>/receipt.pdf", views.receipt, name="receipt"),
    path("<str:public_id>/reply/", views.reply, name="reply"),
    path("<str:public_id>/reopen/", views.reopen, name="reopen"),
    path("<str:public_id>/confirm/", views.confirm, name="confirm"),
    path("<str:public_id>/attachments/<int:pk>/", views.attachment, name="attachment"),
]

urlpatterns = [
    path("staff/", views_staff.queue, name="staff_queue"),
    path("staff/bulk/", views_staff.bulk_status, name="staff_bulk"),
    path("staff/new/", views_staff.file_for_someone, name="staff_new"),
    path("staff/<str:public_id>/", views_staff.handle, name="staff_handle"),
    *urlpatterns,
]
