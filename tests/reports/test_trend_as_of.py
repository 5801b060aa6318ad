"""The monthly trend reads each month as it stood at its end, recurring duties included."""

from __future__ import annotations

import datetime

import pytest

from directives.models import ReportStatus
from directives.status import next_occurrence
from reports import aggregates as agg
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory, UnitFactory

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


def test_a_recurring_duty_is_overdue_in_the_months_its_occurrence_was_missed():
    unit = UnitFactory()
    task = TaskFactory(directive__issued_on=D(2025, 12, 1), due_on=D(2026, 1, 31))
    duty = AssignmentFactory(unit=unit, task=task, recurrence="monthly")
    # January on time; February's report comes in April, March's the day after.
    for reported_on in (D(2026, 1, 25), D(2026, 4, 5), D(2026, 4, 6)):
        ProgressReportFactory(
            assignment=duty, reported_on=reported_on, percent=100, completed=True,
            status=ReportStatus.ACCEPTED,
        )  # fmt: skip
        duty.due_on = duty.original_due_on = next_occurrence(duty.due_on, "monthly")
    duty.save()
    assert duty.due_on == D(2026, 4, 30)

    trend = _trend(unit, D(2026, 5, 15))

    overdue = {m: r["overdue"] for m, r in trend.items()}
    assert overdue == {
        "12/2025": 0, "01/2026": 0, "02/2026": 0,  # 28/02 is the day February is due
        "03/2026": 1, "04/2026": 0, "05/2026": 1,
    }  # fmt: skip
    # Each month agrees with status_counts on that day.
    for month, row in trend.items():
        counts = agg.status_counts(agg.Slice(path=unit.path, as_of=D.fromisoformat(row["as_of"])))
        assert counts["overdue"] == row["overdue"], month
