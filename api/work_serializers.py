"""What the API shows and accepts for the work on directives: new directives and their
import from text, tasks, assignments, the review of progress reports, extension and
explanation requests. Dates are ISO 8601.

Input serializers check types and shapes only; the rules (which units, which deadlines,
what a task needs) are the page's own forms and services, asked by the views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers import UnitRefSerializer
from directives.importing.apply import PastDue
from directives.importing.groups import CHOICES as GROUP_CHOICES
from directives.models import (
    AssignmentRole,
    DeadlineKind,
    DecisionStatus,
    DirectiveKind,
    DirectiveStatus,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    Recurrence,
    Task,
)
from directives.status import Status
from units.models import UnitKind, UnitLevel

# A database id: positive and within a bigint, so no lookup ever overflows.
MAX_ID = 2**63 - 1
TEXT_MAX = 20_000


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def text_field(max_length: int = TEXT_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, **kwargs)


def optional_text(max_length: int = TEXT_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


# --- Tasks ---------------------------------------------------------------------------------


class TaskAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    due_on = serializers.DateField(allow_null=True)
    progress = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices, source="current_status")


class TaskSerializer(serializers.ModelSerializer):
    assignments = TaskAssignmentSerializer(
        many=True,
        source="visible_assignments",
        help_text=_("Only the assignments of units the user may see."),
    )
    # Blank for a task that does not recur: declared, as a read-only model field's enum
    # would leave the blank out.
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, allow_blank=True)
    status = serializers.SerializerMethodField()
    progress = serializers.FloatField(allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id", "directive", "section", "title", "description", "order", "deadline_kind",
            "due_on", "period_label", "recurrence", "target_indicator", "target_unit",
            "target_value", "baseline_value", "status", "progress", "assignments",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status(self, task: Task) -> str | None:
        return task.status or None


class TaskCreateSerializer(serializers.Serializer):
    """A task as the directive form takes it; the form's rules apply (a date task needs
    its date, a recurring one its recurrence)."""

    section = optional_text(20)
    title = text_field(500)
    description = optional_text()
    deadline_kind = serializers.ChoiceField(
        choices=DeadlineKind.choices, required=False, default=DeadlineKind.DATE
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    period_label = optional_text(120)
    recurrence = serializers.ChoiceField(
        choices=Recurrence.choices, required=False, allow_blank=True, default=""
    )
    target_indicator = optional_text(300)
    target_unit = optional_text(40)
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    baseline_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )


# --- Directives ----------------------------------------------------------------------------


class DirectiveCreateSerializer(serializers.Serializer):
    """A directive with its tasks, checked as the "Enter a directive" page checks it."""

    kind = serializers.ChoiceField(choices=DirectiveKind.choices)
    number = optional_text(20)
    code = optional_text(60)
    issuer = id_field(help_text=_("A unit the user may change directives of."))
    issued_on = serializers.DateField()
    place = optional_text(120)
    term = optional_text(20)
    subject = text_field()
    full_text = optional_text(500_000)
    signer_on_behalf = optional_text(120)
    signer_title = optional_text(120)
    signer_name = optional_text(120)
    recipients = serializers.ListField(
        child=text_field(300), required=False, default=list, max_length=200
    )
    confidential = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(
        choices=DirectiveStatus.choices, required=False, default=DirectiveStatus.IN_FORCE
    )
    implements = id_field(required=False, allow_null=True)
    monitoring_unit = id_field(required=False, allow_null=True)
    tasks = TaskCreateSerializer(many=True, required=False, default=list, max_length=200)


class ImportTextSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=500_000,
        required=False,
        allow_blank=True,
        help_text=_("The document's text; or send a file as ``upload`` (multipart)."),
    )
    upload = serializers.FileField(required=False, max_length=255)


class ImportHeaderSerializer(serializers.Serializer):
    """The header as reviewed; a field left out keeps the parser's proposal."""

    kind = serializers.ChoiceField(choices=DirectiveKind.choices, required=False)
    code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    term = serializers.CharField(max_length=20, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    issuer = id_field(required=False, allow_null=True)
    monitoring_unit = id_field(required=False, allow_null=True)
    signer_on_behalf = serializers.CharField(max_length=120, required=False, allow_blank=True)
    signer_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    signer_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    recipients = serializers.ListField(child=text_field(300), required=False, max_length=200)
    past_due_all = serializers.ChoiceField(
        choices=PastDue.choices, required=False, allow_blank=True
    )
    import_anyway = serializers.BooleanField(required=False)


class ImportTaskSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        min_value=0, max_value=10_000, help_text=_("The proposed task this row starts from.")
    )
    section = serializers.CharField(max_length=20, required=False, allow_blank=True)
    text = text_field()
    deadline = serializers.DateField(required=False, allow_null=True)
    recurrence = serializers.ChoiceField(
        choices=Recurrence.choices, required=False, allow_blank=True
    )
    ongoing = serializers.BooleanField(required=False)
    lead = id_field(required=False, allow_null=True)
    lead_group = serializers.ChoiceField(choices=GROUP_CHOICES, required=False, allow_blank=True)
    unassigned = serializers.BooleanField(required=False)
    coordinating = serializers.ListField(child=id_field(), required=False, max_length=200)
    past_due = serializers.ChoiceField(choices=PastDue.choices, required=False, allow_blank=True)


class ImportConfirmSerializer(serializers.Serializer):
    header = ImportHeaderSerializer(required=False)
    tasks = ImportTaskSerializer(
        many=True,
        required=False,
        max_length=500,
        help_text=_("Every task to create; left out, the proposal's tasks as reviewed."),
    )


def _shown(field_class=serializers.CharField, **kwargs):
    """A value of the proposal as read: blank or null where the text did not say."""
    if field_class is serializers.CharField:
        kwargs.setdefault("allow_blank", True)
    return field_class(allow_null=True, **kwargs)


class ImportReviewHeaderSerializer(serializers.Serializer):
    kind = _shown(serializers.ChoiceField, choices=DirectiveKind.choices)
    code = _shown()
    issued_on = _shown(serializers.DateField)
    place = _shown()
    term = _shown()
    subject = _shown()
    issuer = _shown(serializers.IntegerField)
    monitoring_unit = _shown(serializers.IntegerField)
    signer_on_behalf = _shown()
    signer_title = _shown()
    signer_name = _shown()
    recipients = serializers.ListField(child=serializers.CharField(allow_blank=True))
    past_due_all = _shown()
    import_anyway = serializers.BooleanField()


class ImportReviewTaskSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    section = _shown()
    text = _shown()
    deadline = _shown(serializers.DateField)
    recurrence = _shown()
    ongoing = serializers.BooleanField()
    lead = _shown(serializers.IntegerField)
    lead_group = _shown()
    coordinating = serializers.ListField(child=serializers.IntegerField())


class ImportReviewSerializer(serializers.Serializer):
    """The proposal as the review page first shows it: what confirming would create."""

    header = ImportReviewHeaderSerializer()
    tasks = ImportReviewTaskSerializer(many=True)


class ImportDraftSerializer(serializers.Serializer):
    draft = serializers.CharField(help_text=_("The draft's key, for the confirm endpoint."))
    proposal = serializers.JSONField(help_text=_("The import parser's proposal, as read."))
    review = ImportReviewSerializer()


# --- Assignments ---------------------------------------------------------------------------


class AssignmentCreateSerializer(serializers.Serializer):
    unit = id_field(help_text=_("A unit the user may assign to."))
    role = serializers.ChoiceField(
        choices=AssignmentRole.choices, required=False, default=AssignmentRole.LEAD
    )
    due_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("The task's deadline when omitted.")
    )


class BulkAssignSerializer(serializers.Serializer):
    """Units picked one by one, and/or every unit of a kind under a parent unit."""

    units = serializers.ListField(child=id_field(), required=False, default=list, max_length=500)
    parent = id_field(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=UnitLevel.choices, required=False, allow_blank=True)
    role = serializers.ChoiceField(
        choices=AssignmentRole.choices, required=False, default=AssignmentRole.LEAD
    )
    due_on = serializers.DateField(required=False, allow_null=True)


class BulkAssignResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    already_held = serializers.IntegerField()
    assignments = TaskAssignmentSerializer(many=True)


# --- Progress reports, extensions, explanations -------------------------------------------


class ProgressReportDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id", "assignment", "reported_on", "percent", "completed", "results",
            "difficulties", "proposals", "indicator_value", "status", "submitted_at",
            "resubmission_of", "reviewed_at", "review_comment",
        ]  # fmt: skip
        read_only_fields = fields


class ReportReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    comment = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the report is returned."),
    )


class ExtensionRequestSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=DecisionStatus.choices)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id", "assignment", "requested_at", "current_due_on", "proposed_due_on", "reason",
            "status", "decided_at", "decision_comment",
        ]  # fmt: skip
        read_only_fields = fields


class ExtensionCreateSerializer(serializers.Serializer):
    proposed_due_on = serializers.DateField()
    reason = text_field()


class ExtensionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    comment = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the request is refused."),
    )


class ExplanationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExplanationRequest
        fields = ["id", "assignment", "requested_at", "message", "answer", "answered_at"]
        read_only_fields = fields


class ExplanationCreateSerializer(serializers.Serializer):
    message = text_field()


class ExplanationAnswerSerializer(serializers.Serializer):
    answer = text_field()
