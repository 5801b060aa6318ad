from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitKind, UnitLevel


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=UnitKind.choices, empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=UnitLevel.choices, empty_label=_("All")
    )
    active = django_filters.ChoiceFilter(
        label=_("Operation"),
        choices=[("yes", _("In operation")), ("no", _("Dissolved or merged"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "level", "active"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_active(self, queryset, name, value):
        active = queryset.active()
        return active if value == "yes" else queryset.exclude(pk__in=active.values("pk"))
