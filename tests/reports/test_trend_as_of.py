"""The monthly trend reads each month as it stood at its end."""

from __future__ import annotations

import datetime

import pytest

from reports import aggregates as agg
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _trend(unit, as_of):
    rows = agg.monthly_trend(agg.Slice(path=unit.path, as_of=as_of), months=6)
    return {r["month"]: r for r in rows}


def test_a_deadline_missed_and_met_later_shows_in_the_months_between():
    unit = UnitFactory()
    task = TaskFactory(directive__issued_on=D(2025, 12, 1), due_on=D(2026, 2, 28))
    on_time = AssignmentFactory(unit=unit, task=task, due_on=D(2026, 1, 31))
    on_time.completed_on = D(2026, 1, 20)
    on_time.save()
    late = AssignmentFactory(
        task=TaskFactory(directive=task.directive, due_on=D(2026, 2, 28)), unit=unit
    )
    late.completed_on = D(2026, 4, 10)
    late.save()
    AssignmentFactory(task=TaskFactory(directive=task.directive), unit=unit, due_on=D(2026, 3, 31))

    trend = _trend(unit, D(2026, 5, 15))

    got = {
        m: (r["total"], r["done_on_time"], r["done_late"], r["overdue"]) for m, r in trend.items()
    }
    assert got == {
        "12/2025": (3, 0, 0, 0),
        "01/2026": (3, 1, 0, 0),
        "02/2026": (3, 1, 0, 0),  # due that very day
        "03/2026": (3, 1, 0, 1),
        "04/2026": (3, 1, 1, 1),
        "05/2026": (3, 1, 1, 1),
    }  # fmt: skip
