from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export.xlsx", views.DashboardExportView.as_view(), name="dashboard_xlsx"),
    path("directives/<int:pk>/", views.DirectiveDrillView.as_view(), name="directive_drill"),
    path("rollups/", views.RollupListView.as_view(), name="rollup_list"),
    path("rollups/new/", views.RollupCreateView.as_view(), name="rollup_create"),
    path("rollups/<int:pk>/", views.RollupDetailView.as_view(), name="rollup_detail"),
    path("rollups/<int:pk>/rebuild/", views.RollupRebuildView.as_view(), name="rollup_rebuild"),
    path(
        "rollups/<int:pk>/download.<str:fmt>",
        views.RollupDownloadView.as_view(),
        name="rollup_download",
    ),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/my-report/", views.UnitReportView.as_view(), name="unit_report"),
    path(
        "requests/<int:pk>/my-report/decide/",
        views.UnitReportDecideView.as_view(),
        name="unit_report_decide",
    ),
]
