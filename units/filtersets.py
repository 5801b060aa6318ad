from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitKind, UnitLevel


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=UnitLevel.choices)
    active = django_filters.BooleanFilter(label=_("Still in operation"), method="filter_active")

    class Meta:
        model = Unit
        fields = ["q", "kind", "level", "active"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        active = queryset.active()
        return active if value else queryset.exclude(pk__in=active.values("pk"))
