"""What the API shows and accepts for report requests, unit reports and roll-ups."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import UnitRefSerializer
from api.work_serializers import TEXT_MAX, id_field
from reports.models import (
    NARRATIVE_SECTIONS,
    Frequency,
    ReportingPeriod,
    ReportRequest,
    RollupReport,
    RollupStatus,
    TrackerStatus,
    UnitReport,
    UnitReportStatus,
)


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "kind", "label", "start_on", "end_on"]


class ReportRequestSerializer(serializers.ModelSerializer):
    committee = UnitRefSerializer()
    requested_by_unit = UnitRefSerializer()
    period = PeriodSerializer()
    frequency = serializers.ChoiceField(choices=Frequency.choices)

    class Meta:
        model = ReportRequest
        fields = [
            "id", "title", "content", "committee", "requested_by_unit", "period", "deadline",
            "frequency", "data_cutoff_on", "recipient", "delivery", "outline", "data_forms",
            "created_at",
        ]  # fmt: skip


class TrackerRowSerializer(serializers.Serializer):
    unit = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=TrackerStatus.choices, source="tracker")
    submitted_on = serializers.DateField(allow_null=True)
    unit_report = serializers.IntegerField(allow_null=True, source="answer_id")

    def get_unit(self, row: dict) -> dict:
        return {"id": row["pk"], "name": row["name"]}


class ReportRequestDetailSerializer(ReportRequestSerializer):
    tracker = TrackerRowSerializer(
        many=True, help_text=_("Each unit asked that the user may see, and its answer.")
    )
    directives = serializers.SerializerMethodField()

    class Meta(ReportRequestSerializer.Meta):
        fields = [*ReportRequestSerializer.Meta.fields, "directives", "tracker"]

    def get_directives(self, request: ReportRequest) -> list[int]:
        return list(self.context.get("directive_ids", []))


class IndicatorSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="assignment_id")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class UnitReportSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        allow_null=True, help_text=_("Null while nobody saved it: the pre-filled draft.")
    )
    unit = UnitRefSerializer()
    status = serializers.ChoiceField(choices=UnitReportStatus.choices)
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = UnitReport
        fields = [
            "id", "request", "unit", "status",
            *[key for key, _label in NARRATIVE_SECTIONS],
            "indicators", "updated_at", "submitted_at",
        ]  # fmt: skip

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, report: UnitReport) -> list[dict]:
        rows = self.context.get("indicators")
        if rows is None:
            # Sorted here, so a prefetched list is used as it is.
            rows = sorted(report.indicators.all(), key=lambda i: i.pk) if report.pk else []
        return IndicatorSerializer(rows, many=True).data


class IndicatorInputSerializer(serializers.Serializer):
    assignment = id_field()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class UnitReportInputSerializer(serializers.Serializer):
    """The unit's report: narrative by heading (what is left out stays), indicator values
    by assignment, and ``submit`` to send it (the unit leader)."""

    results = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    limitations = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    causes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    next_steps = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    proposals = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    indicators = IndicatorInputSerializer(many=True, required=False, max_length=500)
    submit = serializers.BooleanField(required=False, default=False)


class RollupSerializer(serializers.ModelSerializer):
    committee = UnitRefSerializer()
    issuer = UnitRefSerializer()
    period = PeriodSerializer()
    status = serializers.ChoiceField(choices=RollupStatus.choices)

    class Meta:
        model = RollupReport
        fields = [
            "id", "code", "number", "subject", "committee", "issuer", "period", "issued_on",
            "status", "progress", "progress_note", "created_at", "built_at",
        ]  # fmt: skip


class RollupDetailSerializer(RollupSerializer):
    figures = serializers.JSONField(help_text=_("Empty until the report is ready."))
    narratives = serializers.JSONField()

    class Meta(RollupSerializer.Meta):
        fields = [
            *RollupSerializer.Meta.fields, "term", "place", "signer_on_behalf",
            "signer_title", "signer_name", "recipients", "error", "figures", "narratives",
        ]  # fmt: skip


class NarrativeSerializer(serializers.Serializer):
    results = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    limitations = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    causes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    next_steps = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    proposals = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class RollupCreateSerializer(serializers.Serializer):
    """A roll-up as its form takes it; what is left out is what the form pre-fills."""

    period = id_field(help_text=_("A reporting period up to the current year."))
    subject = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    term = serializers.CharField(max_length=20, required=False, allow_blank=True)
    place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    signs_as = serializers.ChoiceField(
        choices=[("head", "head"), ("deputy", "deputy")], required=False
    )
    signer_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=200
    )
    narrative = NarrativeSerializer(
        required=False, help_text=_("By heading; a heading left out is drafted from the data.")
    )
