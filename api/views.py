"""The API's endpoints. Reads go through the same selectors as the pages (404 outside the
user's scope), writes through the same services (their checks, their history); an API
key acts as its owner."""

from __future__ import annotations

import hashlib
import json

from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import (
    AssignmentSerializer,
    DirectiveDetailSerializer,
    DirectiveSerializer,
    NotificationSerializer,
    ProgressReportCreateSerializer,
    ProgressReportSerializer,
    UnitDetailSerializer,
    UnitSerializer,
)
from directives import selectors, services
from directives.filtersets import DirectiveFilterSet, MyWorkFilterSet
from directives.models import Assignment, Directive
from directives.status import Status, urgency_rank
from notifications.api import inbox_for_user, notification_mark_read
from notifications.models import Notification
from units.models import Unit


def _filtered(filterset):
    """The filterset's rows, or a 400 naming the filters that were refused."""
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


class ETagMixin:
    """Detail reads carry an ETag (a hash of the representation); a client sending it
    back in If-None-Match gets 304 without a body while nothing changed."""

    def retrieve_with_etag(self, request, data) -> Response:
        body = json.dumps(data, sort_keys=True, default=str).encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        not_modified = get_conditional_response(request._request, etag=etag)
        if not_modified is not None and not_modified.status_code == 304:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(data)
        response["ETag"] = etag
        return response


# --- Units ---------------------------------------------------------------------------------


class UnitList(generics.ListAPIView):
    """The units the user may see, as a tree: ordered by path, each naming its parent."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).order_by("path")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        rows = self.get_queryset().values_list("path", "pk")
        context["parents"] = dict(rows)
        return context


class UnitDetail(ETagMixin, generics.RetrieveAPIView):
    """One unit with its history of names and changes."""

    serializer_class = UnitDetailSerializer

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "pk" in self.kwargs:
            unit = self.get_object()
            parent = unit.path[: -Unit.steplen]
            context["parents"] = dict(
                self.get_queryset().filter(path=parent).values_list("path", "pk")
            )
        return context

    def retrieve(self, request, *args, **kwargs):
        return self.retrieve_with_etag(request, self.get_serializer(self.get_object()).data)


# --- Directives ----------------------------------------------------------------------------

DIRECTIVE_FILTERS = [
    OpenApiParameter("q", str, description="Tìm theo số, trích yếu hoặc nhiệm vụ"),
    OpenApiParameter("kind", str, description="Loại văn bản (ví dụ CT, KL, NQ)"),
    OpenApiParameter("issuer_id", int, description="Cơ quan ban hành"),
    OpenApiParameter("year", int, description="Năm ban hành"),
    OpenApiParameter("status", str, description="Hiệu lực"),
    OpenApiParameter("monitoring_unit_id", int, description="Đơn vị theo dõi"),
]


@extend_schema(parameters=DIRECTIVE_FILTERS)
class DirectiveList(generics.ListAPIView):
    """Directives the user may see, newest first, filtered as on the directive list."""

    serializer_class = DirectiveSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Directive.objects.none()
        filterset = DirectiveFilterSet(
            self.request.query_params or None,
            queryset=selectors.directives_for_user(user=self.request.user),
        )
        return _filtered(filterset).order_by("-issued_on", "-id")


class DirectiveDetail(ETagMixin, generics.RetrieveAPIView):
    serializer_class = DirectiveDetailSerializer

    def get_queryset(self):
        return selectors.directives_for_user(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return self.retrieve_with_etag(request, self.get_serializer(self.get_object()).data)


# --- Assignments ("Việc của tôi") -----------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Status.values, description="Tình trạng"),
        OpenApiParameter("directive", int, description="Văn bản giao nhiệm vụ"),
    ]
)
class MyWorkList(generics.ListAPIView):
    """The assignments of the user's own unit, most urgent first ("Việc của tôi")."""

    serializer_class = AssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        user = self.request.user
        base = selectors.my_work_assignments(user=user)
        directives = Directive.objects.filter(pk__in=base.values("task__directive_id"))
        filterset = MyWorkFilterSet(
            self.request.query_params or None, queryset=base, directives=directives
        )
        return _filtered(filterset).order_by(
            urgency_rank(), "due_on", "task__directive_id", "task__order", "pk"
        )


class AssignmentDetail(ETagMixin, generics.RetrieveAPIView):
    """An assignment of a unit the user may see."""

    serializer_class = AssignmentSerializer

    def get_queryset(self):
        return selectors.assignments_for_user(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return self.retrieve_with_etag(request, self.get_serializer(self.get_object()).data)


class ProgressReportCreate(APIView):
    """Report progress on an assignment of the user's own unit (staff and leaders)."""

    @extend_schema(
        request={
            "application/json": ProgressReportCreateSerializer,
            "multipart/form-data": ProgressReportCreateSerializer,
        },
        responses={201: ProgressReportSerializer},
        examples=[
            OpenApiExample(
                "Báo cáo tiến độ",
                value={
                    "percent": 60,
                    "results": "Đã tổ chức 12 hội nghị quán triệt tại các xã.",
                    "difficulties": "Kinh phí còn hạn chế.",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        try:
            assignment = selectors.assignment_for_user(user=request.user, pk=pk)
        except Assignment.DoesNotExist as exc:
            raise NotFound() from exc
        if not request.user.has_perm("directives.report_on_assignment", assignment):
            raise PermissionDenied(_("Only the assignment's own unit reports on it."))
        serializer = ProgressReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = data.pop("attachments", [])
        # A refusal by the service (ValidationError) becomes a 400 in api/errors.py.
        report = services.assignment_submit_progress(
            assignment=assignment, author=request.user, files=files, **data
        )
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


# --- Notifications -------------------------------------------------------------------------


@extend_schema(
    parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Chỉ thông báo chưa đọc")]
)
class NotificationList(generics.ListAPIView):
    """The user's own in-app notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true")
        return inbox_for_user(user=self.request.user, unread_only=unread)


class NotificationMarkRead(APIView):
    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request, pk: int):
        """Mark one of the user's notifications as read."""
        try:
            row = notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist as exc:
            raise NotFound() from exc
        return Response(NotificationSerializer(row).data)
