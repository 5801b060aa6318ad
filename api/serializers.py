"""What the API shows of each object, and what it accepts. Dates are ISO 8601."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directives.models import Assignment, Directive, ProgressReport
from directives.status import Status
from units.models import Unit


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(
        help_text=_("The parent unit's id; null at the top of what the user may see.")
    )

    class Meta:
        model = Unit
        fields = [
            "id", "name", "short_name", "abbreviation", "kind", "level", "depth",
            "parent", "valid_from", "valid_to",
        ]  # fmt: skip

    def get_parent(self, unit: Unit) -> int | None:
        parents = self.context.get("parents", {})
        return parents.get(unit.path[: -Unit.steplen])


class UnitChangeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    effective_on = serializers.DateField()
    old_name = serializers.CharField()
    new_name = serializers.CharField()


class UnitDetailSerializer(UnitSerializer):
    history = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "history"]

    def get_history(self, unit: Unit) -> list[dict]:
        return UnitChangeSerializer(unit.changes.order_by("-effective_on", "-pk"), many=True).data


class DirectiveSerializer(serializers.ModelSerializer):
    issuer = UnitRefSerializer()
    monitoring_unit = UnitRefSerializer(allow_null=True)
    subject = serializers.SerializerMethodField(
        help_text=_("Null in lists for a confidential directive, as on the list page.")
    )

    class Meta:
        model = Directive
        fields = [
            "id", "code", "kind", "number", "issuer", "issued_on", "subject", "status",
            "confidential", "monitoring_unit", "updated_at",
        ]  # fmt: skip

    def get_subject(self, directive: Directive) -> str | None:
        return None if directive.confidential else directive.subject


class DirectiveDetailSerializer(DirectiveSerializer):
    class Meta(DirectiveSerializer.Meta):
        fields = [
            *DirectiveSerializer.Meta.fields,
            "place", "term", "signer_title", "signer_name", "implements",
        ]  # fmt: skip

    def get_subject(self, directive: Directive) -> str | None:
        return directive.subject


class AssignmentSerializer(serializers.ModelSerializer):
    directive = serializers.SerializerMethodField()
    task = serializers.SerializerMethodField()
    unit = UnitRefSerializer()
    status = serializers.ChoiceField(choices=Status.choices, source="current_status")

    class Meta:
        model = Assignment
        fields = [
            "id", "directive", "task", "unit", "role", "due_on", "original_due_on", "ongoing",
            "recurrence", "progress", "status", "completed_on", "last_reported_on",
            "cancelled",
        ]  # fmt: skip

    def get_directive(self, assignment: Assignment) -> dict:
        directive = assignment.task.directive
        return {"id": directive.pk, "code": directive.code}

    def get_task(self, assignment: Assignment) -> dict:
        task = assignment.task
        return {"id": task.pk, "title": task.title}


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id", "assignment", "reported_on", "percent", "completed", "results",
            "difficulties", "proposals", "indicator_value", "status", "submitted_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):
    """A progress report; the service checks the rest (open assignment, files, dates)."""

    percent = serializers.IntegerField(min_value=0, max_value=100)
    results = serializers.CharField(max_length=20_000)
    reported_on = serializers.DateField(required=False, help_text=_("Today when omitted."))
    completed = serializers.BooleanField(required=False, default=False)
    difficulties = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    proposals = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    indicator_value = serializers.DecimalField(
        required=False, allow_null=True, max_digits=14, decimal_places=2, min_value=0
    )
    attachments = serializers.ListField(
        child=serializers.FileField(max_length=255),
        required=False,
        max_length=20,
        help_text=_("Multipart only; each file as the progress form accepts it."),
    )

    def validate_attachments(self, files):
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        for upload in files:
            if upload.size > limit:
                raise serializers.ValidationError(
                    _("A file is larger than %(size)d MB.") % {"size": settings.MAX_UPLOAD_MB}
                )
        return files


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    subject = serializers.CharField()
    body_text = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
