from django.urls import path

from directives.views import progress as views

app_name = "progress"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/row/", views.assignment_row, name="assignment_row"),
    path("assignments/<int:pk>/report/", views.assignment_report, name="assignment_report"),
    path("assignments/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path(
        "assignments/<int:pk>/explanation/",
        views.explanation_request,
        name="explanation_request",
    ),
    path("explanations/<int:pk>/answer/", views.explanation_answer, name="explanation_answer"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/reports/<int:pk>/", views.report_review, name="report_review"),
    path("review/approve/<int:pk>/", views.report_approve, name="report_approve"),
    path("review/extensions/<int:pk>/", views.extension_decide, name="extension_decide"),
]
