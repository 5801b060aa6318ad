"""Reads of units, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from units.filtersets import UnitFilterSet
from units.models import Unit, User


def units_for_user(*, user: User, filters: dict | None = None) -> tuple[QuerySet, UnitFilterSet]:
    queryset = Unit.objects.visible_to(user).select_related("successor")
    filterset = UnitFilterSet(filters or None, queryset=queryset)
    return filterset.qs, filterset


def unit_for_user(*, user: User, pk: int) -> Unit:
    """The unit, or Unit.DoesNotExist when it is outside the user's scope."""
    return Unit.objects.visible_to(user).get(pk=pk)
