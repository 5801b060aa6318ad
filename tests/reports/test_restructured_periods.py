"""Figures for a period that spans a merge count the merged unit's work under its
successor; a period before the change shows the units and names as they were."""

from __future__ import annotations

import datetime

import pytest

from reports.aggregates import Slice, status_by_unit, status_counts
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory, UnitFactory
from units.models import Unit, UnitKind, UnitLevel
from units.services import unit_merge, unit_rename

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def merged(two_provinces):
    """Province A's communes X and Y, each with a task done in March 2025; X is merged
    into Y on 01/07/2025 and Y renamed at the same time."""
    committee = two_provinces["a"]["committee"]
    x, y = (
        UnitFactory(
            name=name, kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE, parent=committee
        )
        for name in ("Đảng ủy xã Tân Hưng", "Đảng ủy xã Tân Việt")
    )
    directive = DirectiveFactory(issuer=committee, issued_on=D(2025, 1, 10))
    for unit in (x, y):
        AssignmentFactory(
            unit=unit,
            task=TaskFactory(directive=directive, due_on=D(2025, 3, 31)),
            due_on=D(2025, 3, 31),
            completed_on=D(2025, 3, 20),
            progress=100,
        )
    unit_merge(sources=[x], into=y, effective_on=D(2025, 7, 1))
    unit_rename(unit=y, name="Đảng ủy xã Tân Việt Hưng", effective_on=D(2025, 7, 1))
    return {"committee": committee, "x": Unit.objects.get(pk=x.pk), "y": Unit.objects.get(pk=y.pk)}


def rows(committee: Unit, as_of: datetime.date) -> dict[str, int]:
    s = Slice(path=committee.path, as_of=as_of, start=D(2025, 1, 1))
    return {r["unit"]: r["done"] for r in status_by_unit(s) if r["total"]}


def test_a_period_spanning_the_merge_counts_the_work_under_the_successor(merged):
    assert rows(merged["committee"], D(2025, 12, 31)) == {"Đảng ủy xã Tân Việt Hưng": 2}
    successor = Slice(path=merged["y"].path, as_of=D(2025, 12, 31), start=D(2025, 1, 1))
    assert status_counts(successor)["done"] == 2


def test_a_period_before_the_merge_shows_the_old_units_and_names(merged):
    assert rows(merged["committee"], D(2025, 6, 30)) == {
        "Đảng ủy xã Tân Hưng": 1,
        "Đảng ủy xã Tân Việt": 1,
    }
    successor = Slice(path=merged["y"].path, as_of=D(2025, 6, 30), start=D(2025, 1, 1))
    assert status_counts(successor)["done"] == 1


def test_a_province_merged_into_another_counts_under_it_after_the_change(two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    AssignmentFactory(
        unit=a["committee"],
        task=TaskFactory(directive=DirectiveFactory(issuer=a["committee"])),
        completed_on=D(2024, 5, 1),
    )
    unit_merge(sources=[a["committee"]], into=b["committee"], effective_on=D(2025, 7, 1))
    after = Slice(path=b["committee"].path, as_of=D(2025, 12, 31))
    before = Slice(path=b["committee"].path, as_of=D(2025, 6, 30))
    assert status_counts(after)["done"] == 1
    assert status_counts(before)["done"] == 0
    # The whole country: the closed province's row folds into its successor's.
    country = {r["unit"]: r["done"] for r in status_by_unit(Slice(path="", as_of=D(2025, 12, 31)))}
    assert country.get("Tỉnh ủy Phú Yên") == 1 and "Tỉnh ủy Hải Dương" not in country
