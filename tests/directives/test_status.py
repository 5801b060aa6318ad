"""Status rules on boundary dates; the SQL expression and the Python function agree."""

from __future__ import annotations

import datetime
import itertools

import pytest

from directives.models import Assignment
from directives.status import (
    Status,
    compute_status,
    next_occurrence,
    rollup,
    status_expression,
)
from tests.factories import AssignmentFactory

D = datetime.date
TODAY = D(2024, 6, 15)


def status(**kwargs) -> Status:
    base = dict(cancelled=False, completed_on=None, due_on=None, original_due_on=None)
    return compute_status(**{**base, **kwargs}, today=TODAY, soon_days=7)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (D(2024, 6, 14), Status.OVERDUE),  # yesterday
        (D(2024, 6, 15), Status.DUE_TODAY),
        (D(2024, 6, 16), Status.DUE_SOON),  # tomorrow
        (D(2024, 6, 22), Status.DUE_SOON),  # exactly 7 days ahead
        (D(2024, 6, 23), Status.NOT_DUE),  # 8 days ahead
    ],
)
def test_open_assignment_status_around_its_due_date(due, expected):
    assert status(due_on=due, original_due_on=due) == expected


def test_completion_on_the_due_date_is_on_time_and_a_day_later_is_late():
    due = D(2024, 3, 31)
    assert status(due_on=due, original_due_on=due, completed_on=due) == Status.DONE_ON_TIME
    assert status(due_on=due, original_due_on=due, completed_on=D(2024, 4, 1)) == (Status.DONE_LATE)


def test_an_extension_stops_overdue_but_a_completion_after_the_original_date_is_late():
    original, extended = D(2024, 6, 1), D(2024, 7, 15)
    assert status(due_on=extended, original_due_on=original) == Status.NOT_DUE
    done = D(2024, 6, 20)  # within the extension, after the original date
    assert status(due_on=extended, original_due_on=original, completed_on=done) == (
        Status.DONE_LATE
    )


def test_ongoing_cancelled_and_done_without_deadline():
    assert status() == Status.ONGOING
    assert status(cancelled=True, due_on=D(2020, 1, 1)) == Status.CANCELLED
    assert status(completed_on=D(2024, 1, 1)) == Status.DONE_ON_TIME


def test_due_soon_window_follows_the_setting(settings):
    settings.DUE_SOON_DAYS = 3
    kwargs = dict(cancelled=False, completed_on=None, original_due_on=None, today=TODAY)
    assert compute_status(due_on=D(2024, 6, 18), **kwargs) == Status.DUE_SOON
    assert compute_status(due_on=D(2024, 6, 19), **kwargs) == Status.NOT_DUE


@pytest.mark.django_db
def test_sql_expression_agrees_with_python_on_every_boundary():
    days = [None, D(2024, 6, 1), D(2024, 6, 14), D(2024, 6, 15), D(2024, 6, 22), D(2024, 6, 23)]
    cases = list(itertools.product([False, True], days, days, [None, D(2024, 6, 10)]))
    for cancelled, due, original, completed in cases:
        AssignmentFactory(
            cancelled=cancelled, due_on=due, original_due_on=original, completed_on=completed
        )
    rows = Assignment.objects.annotate(s=status_expression(TODAY)).values_list(
        "s", "cancelled", "due_on", "original_due_on", "completed_on"
    )
    assert len(rows) == len(cases)
    for sql_status, cancelled, due, original, completed in rows:
        assert sql_status == status(
            cancelled=cancelled, due_on=due, original_due_on=original, completed_on=completed
        ), (cancelled, due, original, completed)


def test_rollup_is_done_only_when_every_assignment_is_done():
    assert rollup([Status.DONE_ON_TIME, Status.DONE_ON_TIME]) == Status.DONE_ON_TIME
    assert rollup([Status.DONE_ON_TIME, Status.DONE_LATE]) == Status.DONE_LATE
    assert rollup([Status.DONE_ON_TIME, Status.NOT_DUE]) == Status.NOT_DUE
    assert rollup([Status.NOT_DUE, Status.OVERDUE, Status.DUE_SOON]) == Status.OVERDUE
    assert rollup([Status.CANCELLED, Status.DONE_LATE]) == Status.DONE_LATE
    assert rollup([Status.CANCELLED]) == Status.CANCELLED


@pytest.mark.parametrize(
    ("due", "recurrence", "expected"),
    [
        (D(2024, 1, 31), "monthly", D(2024, 2, 29)),  # month end stays month end
        (D(2024, 2, 29), "monthly", D(2024, 3, 31)),
        (D(2024, 1, 15), "monthly", D(2024, 2, 15)),
        (D(2024, 3, 31), "quarterly", D(2024, 6, 30)),
        (D(2024, 6, 30), "half-yearly", D(2024, 12, 31)),
        (D(2024, 12, 31), "half-yearly", D(2025, 6, 30)),
        (D(2024, 12, 31), "yearly", D(2025, 12, 31)),
    ],
)
def test_next_occurrence(due, recurrence, expected):
    assert next_occurrence(due, recurrence) == expected
