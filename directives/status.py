"""Assignment status: the one place where dates and reports become a status and a colour.

``assignment_status`` (Python, for one object) and ``status_expression`` (SQL, for counting
and filtering millions of rows) implement the same rules; tests hold them equal.

Rules, for today T, current due date D, original due date O and completion date C:
1. cancelled → cancelled;
2. C set → done on time when C ≤ O (the original date: an extension does not make a late
   completion look punctual), else done late; no due date at all → done on time;
3. no D (ongoing duty) → ongoing;
4. T > D → overdue; T = D → due today; D − T ≤ DUE_SOON_DAYS → due soon; else not yet due.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.validation import LATEST_DATE


class Status(models.TextChoices):
    NOT_DUE = "not_due", _("Not yet due")
    DUE_SOON = "due_soon", _("Due soon")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    ONGOING = "ongoing", _("Ongoing")
    CANCELLED = "cancelled", _("Cancelled")


COLOURS = {
    Status.OVERDUE: "red",
    Status.DUE_TODAY: "orange",
    Status.DUE_SOON: "orange",
    Status.NOT_DUE: "green",
    Status.DONE_ON_TIME: "green",
    Status.DONE_LATE: "brown",
    Status.ONGOING: "grey",
    Status.CANCELLED: "grey",
}

# Most urgent first: the order of "Việc của tôi" and the status a task rolls up to.
URGENCY = [
    Status.OVERDUE,
    Status.DUE_TODAY,
    Status.DUE_SOON,
    Status.NOT_DUE,
    Status.ONGOING,
    Status.DONE_LATE,
    Status.DONE_ON_TIME,
    Status.CANCELLED,
]
DONE = {Status.DONE_ON_TIME, Status.DONE_LATE}
OPEN = {Status.OVERDUE, Status.DUE_TODAY, Status.DUE_SOON, Status.NOT_DUE, Status.ONGOING}


def local_today() -> datetime.date:
    return timezone.localdate()


def days_overdue(due_on: datetime.date | None, today: datetime.date | None = None) -> int:
    """How many days past its due date something is on ``today``: 0 when not yet late.

    The one count of "days overdue" shown anywhere (dashboard, e-mails, pages), so that
    the same task is never "1,062 days" in one place and "1,064" in another. It counts
    calendar days from the due date, as the overdue status itself does (rule 4 above).
    """
    if due_on is None:
        return 0
    return max(((today or local_today()) - due_on).days, 0)


def compute_status(
    *,
    cancelled: bool,
    completed_on: datetime.date | None,
    due_on: datetime.date | None,
    original_due_on: datetime.date | None,
    today: datetime.date,
    soon_days: int | None = None,
) -> Status:
    soon_days = settings.DUE_SOON_DAYS if soon_days is None else soon_days
    if cancelled:
        return Status.CANCELLED
    if completed_on is not None:
        deadline = original_due_on or due_on
        if deadline is None or completed_on <= deadline:
            return Status.DONE_ON_TIME
        return Status.DONE_LATE
    if due_on is None:
        return Status.ONGOING
    if today > due_on:
        return Status.OVERDUE
    if today == due_on:
        return Status.DUE_TODAY
    if (due_on - today).days <= soon_days:
        return Status.DUE_SOON
    return Status.NOT_DUE


def assignment_status(assignment, today: datetime.date | None = None) -> Status:
    return compute_status(
        cancelled=assignment.cancelled,
        completed_on=assignment.completed_on,
        due_on=assignment.due_on,
        original_due_on=assignment.original_due_on,
        today=today or local_today(),
    )


def status_expression(
    today: datetime.date | None = None, prefix: str = "", unprefixed: Iterable[str] = ()
) -> Case:
    """The same rules as ``compute_status`` as one SQL CASE over an assignment's columns,
    or over annotations named ``<prefix><column>`` (the columns in ``unprefixed`` read
    as they are)."""
    today = today or local_today()
    soon = today + datetime.timedelta(days=settings.DUE_SOON_DAYS)

    def f(name: str) -> str:
        return name if name.split("__")[0] in unprefixed else f"{prefix}{name}"

    deadline = Coalesce(F(f("original_due_on")), F(f("due_on")))
    return Case(
        When(Q(**{f("cancelled"): True}), then=Value(Status.CANCELLED.value)),
        When(
            Q(**{f("completed_on__isnull"): False})
            & (
                Q(**{f("original_due_on__isnull"): True, f("due_on__isnull"): True})
                | Q(**{f("completed_on__lte"): deadline})
            ),
            then=Value(Status.DONE_ON_TIME.value),
        ),
        When(Q(**{f("completed_on__isnull"): False}), then=Value(Status.DONE_LATE.value)),
        When(Q(**{f("due_on__isnull"): True}), then=Value(Status.ONGOING.value)),
        When(Q(**{f("due_on__lt"): today}), then=Value(Status.OVERDUE.value)),
        When(Q(**{f("due_on"): today}), then=Value(Status.DUE_TODAY.value)),
        When(Q(**{f("due_on__lte"): soon}), then=Value(Status.DUE_SOON.value)),
        default=Value(Status.NOT_DUE.value),
        output_field=models.CharField(),
    )


def urgency_rank(field: str = "current_status") -> Case:
    """0 for the most urgent status (overdue) onwards, over a status annotation named
    ``field``, so "most urgent first" is sorted by the database, not in Python."""
    return Case(
        *(When(**{field: status.value}, then=Value(i)) for i, status in enumerate(URGENCY)),
        default=Value(len(URGENCY)),
        output_field=IntegerField(),
    )


def rollup(statuses: Iterable[str]) -> Status:
    """A task's status from its lead assignments' statuses (a directive's from its tasks'):
    done only when every one is done, otherwise the most urgent open one."""
    present = {Status(s) for s in statuses} - {Status.CANCELLED}
    if not present:
        return Status.CANCELLED
    if present <= DONE:
        return Status.DONE_LATE if Status.DONE_LATE in present else Status.DONE_ON_TIME
    return next(s for s in URGENCY if s in present and s not in DONE)


# How many months apart the occurrences of a recurring duty are.
RECURRENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def next_occurrence(due: datetime.date, recurrence: str) -> datetime.date:
    """The next due date of a recurring duty; month ends stay month ends (31/3 → 30/6)."""
    months = RECURRENCE_MONTHS[recurrence]
    month_index = due.year * 12 + due.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    if year > LATEST_DATE.year:
        # Only a due date entered before dates were limited can get here (31/12/9999).
        raise ValidationError(
            _("The next occurrence of this duty would fall after %(year)d; correct its due date.")
            % {"year": LATEST_DATE.year}
        )
    last_day = calendar.monthrange(year, month)[1]
    at_month_end = due.day == calendar.monthrange(due.year, due.month)[1]
    return datetime.date(year, month, last_day if at_month_end else min(due.day, last_day))


class MonthsBefore(models.Func):
    """SQL: the date ``months`` months before a date, a month end staying a month end
    (30/6 → 31/3), so it takes back the steps ``next_occurrence`` made. ``months`` is
    written once in each branch of the CASE, so an expensive one (a subquery) is evaluated
    once per row."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra):
        d, d_params = compiler.compile(self.source_expressions[0])
        m, m_params = compiler.compile(self.source_expressions[1])
        back = f"({d} - make_interval(months => ({m})::int))"
        sql = (
            f"(CASE WHEN ({d} + 1) = (date_trunc('month', {d}) + interval '1 month')::date "
            f"THEN (date_trunc('month', {back}) + interval '1 month' - interval '1 day')::date "
            f"ELSE {back}::date END)"
        )
        params = [*d_params, *d_params, *d_params, *m_params, *d_params, *m_params]
        return sql, params
