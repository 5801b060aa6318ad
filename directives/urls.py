from django.urls import path

from directives.views import directives as views
from directives.views import importing

app_name = "directives"

urlpatterns = [
    path("", views.DirectiveListView.as_view(), name="list"),
    path("new/", views.directive_edit, name="create"),
    path("import/", importing.import_start, name="import"),
    path("import/<slug:draft>/", importing.import_review, name="import_review"),
    path("<int:pk>/", views.DirectiveDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.directive_edit, name="edit"),
    path("<int:pk>/delete/", views.directive_delete, name="delete"),
    path("<int:pk>/history/", views.DirectiveHistoryView.as_view(), name="history"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("<int:pk>/tasks/<int:task_pk>/assign/", views.task_assign_view, name="task_assign"),
    path("<int:pk>/tasks/<int:task_pk>/delete/", views.task_delete, name="task_delete"),
    path(
        "<int:pk>/assignments/<int:assignment_pk>/cancel/",
        views.assignment_cancel,
        name="assignment_cancel",
    ),
]
