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


def test_a_monthly_duty_is_judged_by_the_occurrence_due_in_each_month():
    """A monthly duty due on the 20th: January's report on time, February's and March's
    in April, April's on time, May's never. Each month end reads the occurrence that was
    then waiting, not the duty's current due date (20/05)."""
    unit = UnitFactory()
    task = TaskFactory(directive__issued_on=D(2025, 1, 1), due_on=D(2025, 1, 20))
    duty = AssignmentFactory(unit=unit, task=task, recurrence="monthly", due_on=D(2025, 1, 20))
    for reported_on in (D(2025, 1, 15), D(2025, 4, 10), D(2025, 4, 12), D(2025, 4, 18)):
        ProgressReportFactory(
            assignment=duty, reported_on=reported_on, percent=100, completed=True,
            status=ReportStatus.ACCEPTED,
        )  # fmt: skip
        # As accepting a completing report does (directives/services/progress.py).
        duty.due_on = duty.original_due_on = next_occurrence(duty.due_on, "monthly")
    duty.last_reported_on = D(2025, 4, 18)
    duty.save()
    assert duty.due_on == D(2025, 5, 20)
    # A one-off task beside it, due 25/03 and done 05/04.
    one_off = AssignmentFactory(
        unit=unit, task=TaskFactory(directive=task.directive), due_on=D(2025, 3, 25)
    )
    one_off.completed_on = D(2025, 4, 5)
    one_off.save()

    trend = _trend(unit, D(2025, 6, 15))

    got = {
        m: (r["total"], r["done_on_time"], r["done_late"], r["overdue"], r["open"])
        for m, r in trend.items()
    }
    # By hand: the duty is overdue when the month ends after the date then waiting:
    # 31/01 → 20/02 (not yet), 28/02 and 31/03 → 20/02 (missed), 30/04 → 20/05 (not
    # yet), 31/05 and 15/06 → 20/05 (missed). The one-off is overdue on 31/03 only.
    assert got == {
        "01/2025": (2, 0, 0, 0, 2),
        "02/2025": (2, 0, 0, 1, 2),
        "03/2025": (2, 0, 0, 2, 2),
        "04/2025": (2, 0, 1, 0, 1),
        "05/2025": (2, 0, 1, 1, 1),
        "06/2025": (2, 0, 1, 1, 1),
    }  # fmt: skip
    # Each month agrees with the counts of that day and with the list of overdue work.
    for month, row in trend.items():
        day = D.fromisoformat(row["as_of"])
        counts = agg.status_counts(agg.Slice(path=unit.path, as_of=day))
        assert counts["overdue"] == row["overdue"], month
        overdue = agg.overdue_list(agg.Slice(path=unit.path, as_of=day))
        assert len(overdue) == row["overdue"], month
    february = agg.overdue_list(agg.Slice(path=unit.path, as_of=D(2025, 2, 28)))
    assert [(r["pk"], r["due_on"], r["days_overdue"]) for r in february] == [
        (duty.pk, "2025-02-20", 8)
    ]
