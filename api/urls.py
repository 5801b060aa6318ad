from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import directive_views, progress_views, report_views, views

app_name = "api"


class IdConverter:
    """A database id: digits that fit a bigint (a longer number is a 404, not a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("units/", views.UnitList.as_view(), name="units"),
    path("units/<id:pk>/", views.UnitDetail.as_view(), name="unit"),
    path("directives/", directive_views.DirectiveListCreate.as_view(), name="directives"),
    path("directives/import/", directive_views.DirectiveImport.as_view(), name="directive_import"),
    path(
        "directives/import/<slug:draft>/",
        directive_views.DirectiveImportDraft.as_view(),
        name="directive_import_draft",
    ),
    path(
        "directives/import/<slug:draft>/confirm/",
        directive_views.DirectiveImportConfirm.as_view(),
        name="directive_import_confirm",
    ),
    path("directives/<id:pk>/", views.DirectiveDetail.as_view(), name="directive"),
    path(
        "directives/<id:pk>/tasks/",
        directive_views.DirectiveTaskList.as_view(),
        name="directive_tasks",
    ),
    path(
        "directives/<id:pk>/tasks/<id:task_pk>/",
        directive_views.DirectiveTaskDetail.as_view(),
        name="directive_task",
    ),
    path(
        "directives/<id:pk>/tasks/<id:task_pk>/assignments/",
        directive_views.TaskAssignmentCreate.as_view(),
        name="task_assignments",
    ),
    path(
        "directives/<id:pk>/tasks/<id:task_pk>/assignments/bulk/",
        directive_views.TaskAssignmentBulk.as_view(),
        name="task_assignments_bulk",
    ),
    path("assignments/", views.MyWorkList.as_view(), name="assignments"),
    path("assignments/<id:pk>/", views.AssignmentDetail.as_view(), name="assignment"),
    path(
        "assignments/<id:pk>/reports/",
        progress_views.AssignmentReports.as_view(),
        name="assignment_reports",
    ),
    path(
        "assignments/<id:pk>/extension-requests/",
        progress_views.AssignmentExtensions.as_view(),
        name="assignment_extensions",
    ),
    path(
        "assignments/<id:pk>/explanation-requests/",
        progress_views.AssignmentExplanations.as_view(),
        name="assignment_explanations",
    ),
    path("progress-reports/", progress_views.ReviewQueue.as_view(), name="review_queue"),
    path(
        "progress-reports/<id:pk>/review/",
        progress_views.ProgressReportReview.as_view(),
        name="progress_report_review",
    ),
    path(
        "extension-requests/<id:pk>/decide/",
        progress_views.ExtensionDecide.as_view(),
        name="extension_decide",
    ),
    path(
        "explanation-requests/<id:pk>/answer/",
        progress_views.ExplanationAnswer.as_view(),
        name="explanation_answer",
    ),
    path("report-requests/", report_views.ReportRequestList.as_view(), name="report_requests"),
    path(
        "report-requests/<id:pk>/",
        report_views.ReportRequestDetail.as_view(),
        name="report_request",
    ),
    path(
        "report-requests/<id:pk>/unit-report/",
        report_views.OwnUnitReport.as_view(),
        name="report_request_unit_report",
    ),
    path("unit-reports/", report_views.UnitReportList.as_view(), name="unit_reports"),
    path("unit-reports/<id:pk>/", report_views.UnitReportDetail.as_view(), name="unit_report"),
    path("rollups/", report_views.RollupList.as_view(), name="rollups"),
    path("rollups/<id:pk>/", report_views.RollupDetail.as_view(), name="rollup"),
    path(
        "rollups/<id:pk>/rebuild/",
        report_views.RollupRebuild.as_view(),
        name="rollup_rebuild",
    ),
    path(
        "rollups/<id:pk>/download/<str:fmt>/",
        report_views.RollupDownload.as_view(),
        name="rollup_download",
    ),
    path("notifications/", views.NotificationList.as_view(), name="notifications"),
    path(
        "notifications/<id:pk>/read/",
        views.NotificationMarkRead.as_view(),
        name="notification_read",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
