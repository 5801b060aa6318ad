"""django-filter FilterSets of the directives app, one per list page."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from config.widgets import QuickSelect
from directives.models import Assignment, Directive, DirectiveKind, DirectiveStatus, Task
from directives.status import OPEN, Status
from units.models import Unit
from units.text import fold, words_q


def _unit_filter(label: str, field_name: str) -> django_filters.ModelChoiceFilter:
    """A unit drop-down whose choices the FilterSet fills in for the user (thousands of
    issuers for a national user: rendered in Python, not a template per option)."""
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=Unit.objects.none(),
        empty_label=_("All"),
        widget=QuickSelect,
    )


def _id_array(ids: set[int]) -> RawSQL:
    """A subquery of the given ids, passed to PostgreSQL as a single array parameter."""
    return RawSQL("SELECT unnest(%s::bigint[])", (sorted(ids),))


class DirectiveFilterSet(django_filters.FilterSet):
    """The directive list's filters. Every drop-down is built from what ``user`` may see:
    the issuers and monitoring units of the directives in their scope, the years those
    directives were issued in. A unit id from outside that list is refused as an invalid
    choice, so tampering with the query string reveals nothing."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=DirectiveKind.choices, empty_label=_("All")
    )
    issuer_id = _unit_filter(_("Issued by"), "issuer")
    # The readable twin of issuer_id, for links and bookmarks: "?issuer=tinh uy hai duong".
    issuer = django_filters.CharFilter(
        method="filter_issuer_name", label=_("Issuer name"), widget=forms.HiddenInput
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="issued_on__year", choices=[], empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DirectiveStatus.choices, empty_label=_("All")
    )
    monitoring_unit_id = _unit_filter(_("Monitoring unit"), "monitoring_unit")

    class Meta:
        model = Directive
        fields = ["q", "kind", "issuer_id", "year", "status", "monitoring_unit_id"]

    def __init__(self, data=None, queryset: QuerySet[Directive] | None = None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        # ``queryset`` is already scoped to the user by the selector.
        # One reading of the user's directives gives all three lists, rather than applying
        # the visibility rule once for each.
        seen = (
            self.queryset.order_by()
            .values_list("issuer_id", "monitoring_unit_id", "issued_on__year")
            .distinct()
        )
        issuers, monitors, years = set(), set(), set()
        for issuer, monitor, year in seen:
            issuers.add(issuer)
            if monitor is not None:
                monitors.add(monitor)
            if year is not None:
                years.add(year)
        # A choice shows the unit's name only: the other columns of thousands of units
        # are not read. The ids go as one array: Django spends longer preparing thousands
        # of separate IN parameters than the database spends on the query.
        names = Unit.objects.only("pk", "name").order_by("name")
        self.filters["issuer_id"].queryset = names.filter(pk__in=_id_array(issuers))
        self.filters["monitoring_unit_id"].queryset = names.filter(pk__in=_id_array(monitors))
        self.filters["year"].extra["choices"] = [
            (year, str(year)) for year in sorted(years, reverse=True)
        ]

    def search(self, queryset: QuerySet[Directive], name: str, value: str) -> QuerySet[Directive]:
        """Directives whose number, type or subject, or one of whose tasks' title or
        description, has every word of ``value`` (accents ignored). ``matched_task`` names
        the first matching task, so the list can say why a directive is there; a
        confidential directive is found only by its own fields, as lists hide its content."""
        key = fold(value)
        if not key:
            return queryset
        # search.TaskSearchText keeps each task's folded title and description, with its
        # directive: the directives with a matching task are found without reading tasks.
        matching = Directive.objects.filter(words_q("task_search_entries__text", key))
        first = Task.objects.filter(
            words_q("search_entry__text", key),
            directive=OuterRef("pk"),
            directive__confidential=False,
        ).order_by("order", "pk")
        return queryset.annotate(matched_task=Subquery(first.values("title")[:1])).filter(
            words_q("search_text", key) | Q(confidential=False, pk__in=matching.values("pk"))
        )

    def filter_issuer_name(
        self, queryset: QuerySet[Directive], name: str, value: str
    ) -> QuerySet[Directive]:
        key = fold(value)
        if not key:
            return queryset
        return queryset.filter(issuer__search_text__contains=key)


class MyWorkFilterSet(django_filters.FilterSet):
    """Filters of "Việc của tôi". The directive choices are only the directives that gave
    the user's unit a task."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All"), method="filter_status"
    )
    directive = django_filters.ModelChoiceFilter(
        label=_("Directive"), queryset=Directive.objects.none(), empty_label=_("All"),
        method="filter_directive",
    )  # fmt: skip
    # Open work unless asked otherwise: finished and cancelled work stays one click away.
    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("finished", _("Finished or cancelled")), ("all", _("Everything"))],
        empty_label=_("Open work"),
        method="filter_show",
    )

    class Meta:
        model = Assignment
        fields = ["status", "directive", "show"]

    def __init__(self, *args, directives=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if directives is not None:
            self.filters["directive"].queryset = directives

    def filter_status(self, queryset, name, value):
        return queryset.filter(current_status=value)

    def filter_show(self, queryset, name, value):
        if value == "finished":
            return queryset.exclude(current_status__in=list(OPEN))
        return queryset

    @property
    def qs(self):
        rows = super().qs
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        if not data.get("show") and not data.get("status"):
            rows = rows.filter(current_status__in=list(OPEN))
        return rows

    def filter_directive(self, queryset, name, value):
        return queryset.filter(task__directive=value)
