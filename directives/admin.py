"""Django admin for every directives model. The change history of the tracked models
(directive, task, assignment, progress report, extension request) is browsable under
"pghistory" (pghistory.admin); the pages of the app show it per directive."""

from __future__ import annotations

from django.contrib import admin

from directives.models import (
    Assignment,
    Directive,
    DirectiveAttachment,
    DirectiveReference,
    ExplanationRequest,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    ReviewMilestone,
    Task,
)
from units.text import fold


class FoldedSearchMixin:
    """Accent-insensitive search on ``search_text`` ("dan van" finds "Dân vận"), on top
    of the ordinary search fields."""

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        key = fold(search_term)
        if key:
            results = results | queryset.filter(search_text__contains=key)
        return results, duplicates


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ("section", "title", "deadline_kind", "due_on", "period_label", "recurrence", "order")
    show_change_link = True


class DirectiveReferenceInline(admin.TabularInline):
    model = DirectiveReference
    fk_name = "directive"
    extra = 0
    fields = ("cited_code", "cited_date", "cited_issuer", "target")
    raw_id_fields = ("target",)


class ReviewMilestoneInline(admin.TabularInline):
    model = ReviewMilestone
    extra = 0


class DirectiveAttachmentInline(admin.TabularInline):
    model = DirectiveAttachment
    extra = 0
    fields = ("file", "original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")


@admin.register(Directive)
class DirectiveAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "kind", "issuer", "issued_on", "status", "confidential")
    list_filter = ("kind", "status", "confidential", "issued_on")
    search_fields = ("code", "subject")
    date_hierarchy = "issued_on"
    autocomplete_fields = ("issuer", "monitoring_unit")
    raw_id_fields = ("implements", "created_by")
    list_select_related = ("issuer",)
    inlines = [
        TaskInline,
        DirectiveReferenceInline,
        ReviewMilestoneInline,
        DirectiveAttachmentInline,
    ]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("unit", "role", "due_on", "original_due_on", "progress", "completed_on", "cancelled")
    autocomplete_fields = ("unit",)
    show_change_link = True


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("__str__", "directive", "deadline_kind", "due_on", "recurrence")
    list_filter = ("deadline_kind", "recurrence")
    search_fields = ("title", "section", "directive__code")
    raw_id_fields = ("directive", "parent")
    list_select_related = ("directive",)
    inlines = [AssignmentInline]


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ("reported_on", "percent", "completed", "status", "author", "reviewed_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("task", "unit", "role", "due_on", "original_due_on", "progress",
                    "completed_on", "cancelled")  # fmt: skip
    list_filter = ("role", "cancelled", "ongoing", "recurrence", "due_on")
    search_fields = ("task__title", "task__directive__code", "unit__name")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("task",)
    list_select_related = ("task", "unit")
    inlines = [ProgressReportInline]


class ProgressAttachmentInline(admin.TabularInline):
    model = ProgressAttachment
    extra = 0
    fields = ("file", "original_name", "content_type", "size")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("assignment", "reported_on", "percent", "completed", "status", "author")
    list_filter = ("status", "completed", "reported_on")
    search_fields = ("results", "assignment__unit__name", "assignment__task__directive__code")
    raw_id_fields = ("assignment", "author", "reviewed_by", "resubmission_of")
    list_select_related = ("assignment__unit", "assignment__task", "author")
    inlines = [ProgressAttachmentInline]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ("assignment", "current_due_on", "proposed_due_on", "status", "requested_by")
    list_filter = ("status",)
    search_fields = ("reason", "assignment__unit__name", "assignment__task__directive__code")
    raw_id_fields = ("assignment", "requested_by", "decided_by")


@admin.register(ExplanationRequest)
class ExplanationRequestAdmin(admin.ModelAdmin):
    list_display = ("assignment", "requested_at", "answered_at")
    list_filter = (("answered_at", admin.EmptyFieldListFilter),)
    search_fields = ("message", "answer", "assignment__unit__name")
    raw_id_fields = ("assignment", "requested_by", "answered_by")


@admin.register(DirectiveReference)
class DirectiveReferenceAdmin(admin.ModelAdmin):
    list_display = ("cited_code", "directive", "cited_date", "target")
    list_filter = (("target", admin.EmptyFieldListFilter),)
    search_fields = ("cited_code", "cited_text", "directive__code")
    raw_id_fields = ("directive", "target")


@admin.register(ReviewMilestone)
class ReviewMilestoneAdmin(admin.ModelAdmin):
    list_display = ("label", "directive", "kind", "due_on")
    list_filter = ("kind",)
    search_fields = ("label", "directive__code")
    raw_id_fields = ("directive",)


@admin.register(DirectiveAttachment)
class DirectiveAttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "directive", "size", "uploaded_at")
    search_fields = ("original_name", "directive__code")
    raw_id_fields = ("directive", "uploaded_by")


@admin.register(ProgressAttachment)
class ProgressAttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "report", "content_type", "size")
    search_fields = ("original_name",)
    raw_id_fields = ("report",)
