"""The API's side of the work units report on: the reports on an assignment and their
review, extension requests and their decision, explanation requests and their answer.

One rule with the pages: the object is looked up among those of assignments the user may
see (404 otherwise), the action asked of access/permissions.py (403), the input checked by
the page's form and the write done by the page's service (its checks, its notices)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.bridge import check, form_data, found, require
from api.views import ProgressReportCreate
from api.work_serializers import (
    ExplanationAnswerSerializer,
    ExplanationCreateSerializer,
    ExplanationRequestSerializer,
    ExtensionCreateSerializer,
    ExtensionDecisionSerializer,
    ExtensionRequestSerializer,
    ProgressReportDetailSerializer,
    ReportReviewSerializer,
)
from directives import selectors, services
from directives.models import (
    Assignment,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    ReportStatus,
)
from directives.progress_forms import (
    EXTENSION_DECISION,
    REPORT_DECISION,
    DecisionForm,
    ExplanationAnswerForm,
    ExplanationRequestForm,
    ExtensionRequestForm,
)


def _assignment(user, pk: int) -> Assignment:
    return found(lambda: selectors.assignment_for_user(user=user, pk=pk))


def _of_visible(model, user, pk: int):
    """A report or request of an assignment the user may see, or 404."""
    visible = Assignment.objects.visible_to(user).values("pk")
    rows = model.objects.select_related("assignment").filter(assignment__in=visible)
    return found(lambda: rows.get(pk=pk))


class _AssignmentRows(generics.ListAPIView):
    """Rows about one assignment the user may see, newest first."""

    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        assignment = _assignment(self.request.user, self.kwargs["pk"])
        return self.model.objects.filter(assignment=assignment).order_by(
            f"-{self.newest_by}", "-pk"
        )


# --- Progress reports ----------------------------------------------------------------------


class AssignmentReports(ProgressReportCreate, _AssignmentRows):
    """The reports on an assignment the user may see, newest first; staff and leaders of
    its own unit send new ones (POST)."""

    model = ProgressReport
    newest_by = "submitted_at"
    serializer_class = ProgressReportDetailSerializer


class ReviewQueue(generics.ListAPIView):
    """The reports waiting for the user's decision, oldest first, as on the review page: a
    monitor's submitted reports on the assignments they review; a unit leader's, the
    unit's reports waiting for approval. Others may not review (403)."""

    serializer_class = ProgressReportDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgressReport.objects.none()
        user = self.request.user
        if user.has_perm("directives.review"):
            rows = selectors.reports_awaiting_review(user=user)
        else:
            require(user, "directives.approve_for_unit")
            rows = selectors.reports_awaiting_leader(user=user)
        return rows.order_by("submitted_at", "pk")


class ProgressReportReview(APIView):
    @extend_schema(
        request=ReportReviewSerializer,
        responses={200: ProgressReportDetailSerializer},
        examples=[
            OpenApiExample("Chấp nhận", value={"decision": "accept"}, request_only=True),
            OpenApiExample(
                "Trả lại",
                value={
                    "decision": "return",
                    "comment": "Đề nghị bổ sung số liệu hội nghị quán triệt ở cấp xã.",
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request, pk: int):
        """Accept a report, or return it with a comment.

        A report waiting for its unit leader's approval is decided by that leader (it then
        goes to the committee, or back to its author); a submitted one by the monitor
        who reviews its assignment, as in the review queue. Either way the rule is
        access/permissions.py's (403 otherwise) and the write the review service's.
        """
        user = request.user
        report = _of_visible(ProgressReport, user, pk)
        by_leader = report.status == ReportStatus.AWAITING_LEADER and user.has_perm(
            "directives.approve_report", report
        )
        if not by_leader:
            require(user, "directives.review_report", report)
        serializer = ReportReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = check(DecisionForm(form_data(serializer.validated_data), **REPORT_DECISION))
        accept = form["decision"] == "accept"
        if by_leader:
            report = services.progress_leader_decide(
                report=report, leader=user, approve=accept, comment=form["comment"]
            )
        else:
            report = services.progress_review(
                report=report, reviewer=user, accept=accept, comment=form["comment"]
            )
        return Response(ProgressReportDetailSerializer(report).data)


# --- Extension requests --------------------------------------------------------------------


class AssignmentExtensions(_AssignmentRows):
    """Extension requests on an assignment the user may see, newest first; staff and
    leaders of its own unit ask for one (POST)."""

    model = ExtensionRequest
    newest_by = "requested_at"
    serializer_class = ExtensionRequestSerializer

    @extend_schema(
        request=ExtensionCreateSerializer,
        responses={201: ExtensionRequestSerializer},
        examples=[
            OpenApiExample(
                "Xin gia hạn",
                value={
                    "proposed_due_on": "2025-12-31",
                    "reason": "Chờ bố trí kinh phí tổ chức hội nghị ở các xã vùng cao.",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        user = request.user
        assignment = _assignment(user, pk)
        require(user, "directives.report_on_assignment", assignment)
        serializer = ExtensionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = check(
            ExtensionRequestForm(form_data(serializer.validated_data), assignment=assignment)
        )
        row = services.extension_request_create(assignment=assignment, by=user, **data)
        return Response(ExtensionRequestSerializer(row).data, status=status.HTTP_201_CREATED)


class ExtensionDecide(APIView):
    @extend_schema(
        request=ExtensionDecisionSerializer,
        responses={200: ExtensionRequestSerializer},
        examples=[
            OpenApiExample("Đồng ý gia hạn", value={"decision": "approve"}, request_only=True),
            OpenApiExample(
                "Không đồng ý",
                value={"decision": "refuse", "comment": "Nhiệm vụ trọng tâm, không gia hạn."},
                request_only=True,
            ),
        ],
    )
    def post(self, request, pk: int):
        """Approve an extension request (the due date moves; the original stays) or
        refuse it with a comment: the monitor who reviews its assignment."""
        user = request.user
        extension = _of_visible(ExtensionRequest, user, pk)
        require(user, "directives.decide_extension", extension)
        serializer = ExtensionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = check(DecisionForm(form_data(serializer.validated_data), **EXTENSION_DECISION))
        extension = services.extension_decide(
            request=extension,
            by=user,
            approve=form["decision"] == "approve",
            comment=form["comment"],
        )
        return Response(ExtensionRequestSerializer(extension).data)


# --- Explanation requests ------------------------------------------------------------------


class AssignmentExplanations(_AssignmentRows):
    """Explanation requests on an assignment the user may see, newest first; the monitor
    who reviews it asks for one when it is overdue (POST)."""

    model = ExplanationRequest
    newest_by = "requested_at"
    serializer_class = ExplanationRequestSerializer

    @extend_schema(
        request=ExplanationCreateSerializer,
        responses={201: ExplanationRequestSerializer},
        examples=[
            OpenApiExample(
                "Yêu cầu giải trình",
                value={"message": "Đề nghị giải trình lý do chậm tổ chức hội nghị quán triệt."},
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        user = request.user
        assignment = _assignment(user, pk)
        require(user, "directives.review_assignment", assignment)
        serializer = ExplanationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = check(ExplanationRequestForm(form_data(serializer.validated_data)))
        row = services.explanation_request_create(assignment=assignment, by=user, **data)
        return Response(ExplanationRequestSerializer(row).data, status=status.HTTP_201_CREATED)


class ExplanationAnswer(APIView):
    @extend_schema(
        request=ExplanationAnswerSerializer,
        responses={200: ExplanationRequestSerializer},
        examples=[
            OpenApiExample(
                "Giải trình",
                value={"answer": "Do mưa lũ kéo dài, hội nghị dời sang tháng 11."},
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        """Answer an explanation request: staff and leaders of the assignment's unit."""
        user = request.user
        explanation = _of_visible(ExplanationRequest, user, pk)
        require(user, "directives.report_on_assignment", explanation.assignment)
        serializer = ExplanationAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = check(ExplanationAnswerForm(form_data(serializer.validated_data)))
        row = services.explanation_answer(request=explanation, by=user, **data)
        return Response(ExplanationRequestSerializer(row).data)
