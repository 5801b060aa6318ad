from __future__ import annotations

from django.contrib import admin

from reports.models import (
    ReportingPeriod,
    ReportNumberCounter,
    ReportRequest,
    RollupReport,
    UnitReport,
    UnitReportIndicator,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "start_on", "end_on", "directive"]
    list_filter = ["kind"]
    search_fields = ["label"]
    date_hierarchy = "end_on"
    raw_id_fields = ["directive"]


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "period", "deadline", "frequency"]
    list_filter = ["frequency", "period"]
    search_fields = ["title", "committee__name"]
    raw_id_fields = ["committee", "requested_by_unit", "created_by"]
    filter_horizontal = ["units", "directives"]


class UnitReportIndicatorInline(admin.TabularInline):
    model = UnitReportIndicator
    raw_id_fields = ["assignment"]
    extra = 0


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ["request", "unit", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["unit__name", "request__title"]
    raw_id_fields = ["request", "unit", "updated_by", "submitted_by"]
    inlines = [UnitReportIndicatorInline]


@admin.register(RollupReport)
class RollupReportAdmin(admin.ModelAdmin):
    list_display = ["code", "committee", "period", "status", "progress", "built_at"]
    list_filter = ["status", "period"]
    search_fields = ["code", "subject", "committee__name"]
    raw_id_fields = ["committee", "issuer", "requested_by"]
    readonly_fields = ["figures", "narratives", "error", "built_at", "delivered_at"]


@admin.register(ReportNumberCounter)
class ReportNumberCounterAdmin(admin.ModelAdmin):
    list_display = ["issuer", "doc_kind", "term", "last_number"]
    search_fields = ["issuer__name"]
    raw_id_fields = ["issuer"]
