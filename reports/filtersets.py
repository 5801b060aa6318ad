"""Filters of the dashboard and the report lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from config.widgets import QuickSelect
from directives.models import Directive, DirectiveKind
from reports.models import ReportingPeriod, RollupReport, RollupStatus
from reports.periods import periods_offered
from units.models import Unit


class DashboardFilterSet(django_filters.FilterSet):
    """Period, directive, document type and subtree of the dashboard. Directives and units
    offered are only those the user may see; anything else is "not a valid choice"."""

    period = django_filters.ModelChoiceFilter(
        label=_("Period"),
        queryset=ReportingPeriod.objects.all(),
        empty_label=_("This year to date"),
        method="keep",
    )
    directive = django_filters.ModelChoiceFilter(
        label=_("Directive"),
        queryset=Directive.objects.none(),
        empty_label=_("All directives"),
        method="keep",
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Document type"),
        choices=DirectiveKind.choices,
        empty_label=_("All types"),
        method="keep",
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (with the units under it)"),
        queryset=Unit.objects.none(),
        empty_label=_("Whole committee"),
        method="keep",
        widget=QuickSelect,
    )

    class Meta:
        model = Unit
        fields = ["period", "directive", "kind", "unit"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["period"].queryset = periods_offered()
        self.filters["directive"].queryset = Directive.objects.visible_to(user).only(
            "pk", "kind", "code", "subject", "issued_on", "confidential"
        )
        self.filters["unit"].queryset = Unit.objects.visible_to(user).only(
            "pk", "name", "path", "depth"
        )

    def keep(self, queryset, name, value):
        # The dashboard reads the cleaned values into a Slice; nothing to filter here.
        return queryset


class RollupFilterSet(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(
        label=_("Period"), queryset=ReportingPeriod.objects.all(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RollupStatus.choices, empty_label=_("All")
    )

    class Meta:
        model = RollupReport
        fields = ["period", "status"]
