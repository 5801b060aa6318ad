from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

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
    path("directives/", views.DirectiveList.as_view(), name="directives"),
    path("directives/<id:pk>/", views.DirectiveDetail.as_view(), name="directive"),
    path("assignments/", views.MyWorkList.as_view(), name="assignments"),
    path("assignments/<id:pk>/", views.AssignmentDetail.as_view(), name="assignment"),
    path(
        "assignments/<id:pk>/reports/",
        views.ProgressReportCreate.as_view(),
        name="assignment_reports",
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
