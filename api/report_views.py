"""The API's side of reporting: report requests and the units' answers, and roll-up
reports (their status, a new build queued through the roll-up outbox, a rebuild, and the
.docx/.xlsx documents). Reads through reports.selectors (404 outside the user's scope),
writes through reports.services with the rules of access/permissions.py (403)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.bridge import check, form_data, found
from api.errors import error_response
from api.report_serializers import (
    ReportRequestDetailSerializer,
    ReportRequestSerializer,
    RollupCreateSerializer,
    RollupDetailSerializer,
    RollupSerializer,
    UnitReportInputSerializer,
    UnitReportSerializer,
)
from api.views import ETagMixin, _filtered
from directives.status import local_today
from reports import exports, services
from reports.drafting import rollup_draft
from reports.forms import RollupCreateForm, UnitReportForm
from reports.models import (
    NARRATIVE_SECTIONS,
    ReportRequest,
    RollupReport,
    RollupStatus,
    UnitReport,
)
from reports.periods import periods_offered
from reports.selectors import (
    report_request_for_user,
    report_requests_for_user,
    request_tracker,
    rollup_for_user,
    rollups_for_user,
    unit_report_draft,
    unit_reports_for_user,
)
from reports.views import managed_committee
from units.models import Unit

# --- Report requests -----------------------------------------------------------------------


class ReportRequestList(generics.ListAPIView):
    """Report requests for the user's committee subtree and those addressed to their
    unit, latest deadline first."""

    serializer_class = ReportRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReportRequest.objects.none()
        return report_requests_for_user(user=self.request.user).order_by("-deadline", "-pk")


class ReportRequestDetail(ETagMixin, APIView):
    @extend_schema(responses={200: ReportRequestDetailSerializer})
    def get(self, request, pk: int):
        """A request with its tracker: each unit asked (that the user may see) submitted,
        late, or not yet."""
        user = request.user
        row = found(lambda: report_request_for_user(user=user, pk=pk))
        visible = set(Unit.objects.visible_to(user).values_list("pk", flat=True))
        row.tracker = [r for r in request_tracker(row, local_today()) if r["pk"] in visible]
        directive_ids = row.directives.visible_to(user).order_by("pk").values_list("pk", flat=True)
        body = ReportRequestDetailSerializer(row, context={"directive_ids": directive_ids})
        return self.retrieve_with_etag(request, body.data)


# --- Unit reports --------------------------------------------------------------------------


class UnitReportList(generics.ListAPIView):
    """Unit reports of units in the user's scope, most recently changed first."""

    serializer_class = UnitReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnitReport.objects.none()
        return (
            unit_reports_for_user(user=self.request.user)
            .prefetch_related("indicators")
            .order_by("-updated_at", "-pk")
        )


class UnitReportDetail(ETagMixin, APIView):
    @extend_schema(responses={200: UnitReportSerializer})
    def get(self, request, pk: int):
        row = found(lambda: unit_reports_for_user(user=request.user).get(pk=pk))
        return self.retrieve_with_etag(request, UnitReportSerializer(row).data)


class OwnUnitReport(APIView):
    """The user's unit's answer to a report request, as its page shows and saves it."""

    def load(self, request, pk: int):
        report_request = found(lambda: report_request_for_user(user=request.user, pk=pk))
        if request.user.unit is None:
            raise PermissionDenied()
        report, indicators = unit_report_draft(
            request=report_request, unit=request.user.unit, user=request.user
        )
        return report_request, report, indicators

    @extend_schema(responses={200: UnitReportSerializer})
    def get(self, request, pk: int):
        """The unit's report: the stored one, or before anyone saved it, the draft
        pre-filled from the unit's progress reports (``id`` null)."""
        _request, report, indicators = self.load(request, pk)
        return Response(UnitReportSerializer(report, context={"indicators": indicators}).data)

    @extend_schema(
        request=UnitReportInputSerializer,
        responses={200: UnitReportSerializer},
        examples=[
            OpenApiExample(
                "Báo cáo của đơn vị",
                value={
                    "results": "Tổ chức 15 hội nghị quán triệt với 1.200 lượt đảng viên.",
                    "limitations": "Một số xã vùng cao chưa tổ chức được.",
                    "indicators": [{"assignment": 301, "value": "15"}],
                    "submit": True,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request, pk: int):
        """Save the unit's report, and with ``submit`` send it.

        1. the request must be in the user's scope (404) and ask the user's unit (403);
        2. staff and leaders edit while it is a draft, the unit leader submits (403);
        3. the page's form checks the values; ``unit_report_open``, ``unit_report_save``
           and ``unit_report_submit`` write them in one transaction.
        """
        user = request.user
        report_request, report, indicators = self.load(request, pk)
        serializer = UnitReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        data = {key: getattr(report, key) for key, _label in NARRATIVE_SECTIONS}
        data |= {key: values[key] for key, _label in NARRATIVE_SECTIONS if key in values}
        for indicator in indicators:
            data[f"indicator_{indicator.assignment_id}"] = indicator.value
        known = {i.assignment_id for i in indicators}
        for row in values.get("indicators", []):
            if row["assignment"] not in known:
                message = _("The report has no indicator for assignment %(id)d.")
                raise ValidationError({"indicators": [message % {"id": row["assignment"]}]})
            data[f"indicator_{row['assignment']}"] = row["value"]
        instance = UnitReport.objects.get(pk=report.pk) if report.pk else report
        form = UnitReportForm(form_data(data), instance=instance, indicators=indicators)
        check(form)
        texts = {key: form.cleaned_data[key] for key, _label in NARRATIVE_SECTIONS}
        with transaction.atomic():
            report = services.unit_report_open(request=report_request, unit=user.unit, by=user)
            services.unit_report_save(
                report=report, by=user, texts=texts, values=form.indicator_values()
            )
            if values["submit"]:
                report = services.unit_report_submit(report=report, by=user)
        report.refresh_from_db()
        return Response(UnitReportSerializer(report).data)


# --- Roll-up reports -----------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("period", int, description="Kỳ báo cáo"),
        OpenApiParameter("status", str, enum=RollupStatus.values, description="Tình trạng"),
    ]
)
class RollupList(generics.ListAPIView):
    """Roll-up reports of committees in the user's scope, newest first, with their build
    status; monitors and administrators ask for a new one (POST)."""

    serializer_class = RollupSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RollupReport.objects.none()
        _rows, filterset = rollups_for_user(
            user=self.request.user, filters=self.request.query_params
        )
        return _filtered(filterset).order_by("-created_at", "-pk")

    @extend_schema(
        request=RollupCreateSerializer,
        responses={201: RollupDetailSerializer},
        examples=[
            OpenApiExample(
                "Báo cáo 6 tháng đầu năm",
                value={
                    "period": 4,
                    "signs_as": "deputy",
                    "signer_name": "Trần Thị B",
                    "narrative": {"proposals": "Đề nghị Ban Dân vận Trung ương hướng dẫn."},
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        """Number a new roll-up for the user's committee and queue its build (the roll-up
        outbox hands it to a worker after commit). What is left out is what the roll-up
        form pre-fills for the period; the status then goes pending → building → ready."""
        user = request.user
        committee = managed_committee(user, "reports.create_rollup")
        serializer = RollupCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        period = periods_offered().filter(pk=values["period"]).first()
        draft = rollup_draft(
            committee=committee,
            by=user,
            period=period,
            deputy=values.get("signs_as") == "deputy",
        )
        data = RollupCreateForm.initial_from(draft) | {"period": values["period"]}
        narrative = values.pop("narrative", {})
        data |= {f"text_{key}": text for key, text in narrative.items()}
        if "recipients" in values:
            values["recipients"] = "\n".join(values["recipients"])
        data |= {k: v for k, v in values.items() if k != "period"}
        form = RollupCreateForm(form_data(data))
        check(form)
        report = services.rollup_create_from_form(
            by=user, committee=committee, data=form.cleaned_data, texts=form.narrative_text()
        )
        return Response(RollupDetailSerializer(report).data, status=status.HTTP_201_CREATED)


class RollupDetail(ETagMixin, APIView):
    @extend_schema(responses={200: RollupDetailSerializer})
    def get(self, request, pk: int):
        """A roll-up: its build status and progress, then its figures and narratives."""
        report = found(lambda: rollup_for_user(user=request.user, pk=pk))
        return self.retrieve_with_etag(request, RollupDetailSerializer(report).data)


class RollupRebuild(APIView):
    @extend_schema(request=None, responses={202: RollupDetailSerializer})
    def post(self, request, pk: int):
        """Build the roll-up again (after a failure, late submissions or a stuck build);
        its number stays. 400 while it is being built."""
        report = found(lambda: rollup_for_user(user=request.user, pk=pk))
        report = services.rollup_rebuild(report=report, by=request.user)
        return Response(RollupDetailSerializer(report).data, status=status.HTTP_202_ACCEPTED)


DOCUMENT_TYPES = {"docx": exports.DOCX_TYPE, "xlsx": exports.XLSX_TYPE}


class RollupDownload(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "xlsx"])],
        responses={
            (200, exports.DOCX_TYPE): OpenApiTypes.BINARY,
            (200, exports.XLSX_TYPE): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="Báo cáo chưa được tổng hợp xong."),
        },
    )
    def get(self, request, pk: int, fmt: str):
        """The roll-up as the signed-off document (.docx) or its figures (.xlsx), once
        it is ready (409 before)."""
        if fmt not in DOCUMENT_TYPES:
            raise NotFound()
        report = found(lambda: rollup_for_user(user=request.user, pk=pk))
        if report.status != RollupStatus.READY:
            return error_response(
                "not_ready", _("The report is not built yet."), status.HTTP_409_CONFLICT
            )
        name = f"bao-cao-{report.number}-{report.period.end_on:%Y%m%d}.{fmt}"
        if fmt == "docx":
            content = exports.rollup_docx(report)
        else:
            content = exports.figures_xlsx(
                figures=report.figures, title=report.code, narratives=report.narratives
            )
        response = HttpResponse(content, content_type=DOCUMENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
