from django.urls import path

from dimos.polls import views, views_staff

app_name = "polls"
urlpatterns = [
    path("", views.polls, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/vote/check/", views.check, name="check"),
    path("<int:pk>/vote/cast/", views.cast, name="cast"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/receipts/", views.receipts, name="receipts"),
    path("<int:pk>/ballots.csv", views.ballots_csv, name="ballots_csv"),
    path("<int:pk>/document.pdf", views.document, name="document"),
    path("staff/", views_staff.staff_list, name="staff_list"),
    path("staff/new/", views_staff.staff_edit, name="staff_new"),
    path("staff/<int:pk>/", views_staff.staff_poll, name="staff_poll"),
    path("staff/<int:pk>/edit/", views_staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/preview/", views_staff.staff_preview, name="staff_preview"),
    path("staff/<int:pk>/close/", views_staff.staff_close, name="staff_close"),
    path("staff/<int:pk>/questions/new/", views_staff.staff_question, name="staff_question_new"),
    path(
        "staff/<int:pk>/questions/<int:question_pk>/",
        views_staff.staff_question,
        name="staff_question",
    ),
]
