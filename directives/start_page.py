"""What each person's start page shows of the work: reads only, scoped to the user.

Staff and unit leaders: their unit's overdue work, what falls due within the week and the
reports returned to them; a leader also the unit's reports waiting for approval and the
picture of the whole unit (its subtree) by status. Monitors: what waits for their review,
and, like leader viewers, the units with the most overdue work in their scope.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet

from directives.models import Assignment, ReportStatus
from directives.selectors import (
    assignments_for_user,
    extensions_awaiting_decision,
    my_work_assignments,
    reports_awaiting_leader,
    reports_awaiting_review,
    status_counts,
    with_last_report,
)
from directives.status import Status, local_today

WEEK = datetime.timedelta(days=7)


def _capped(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """(the first ``limit`` rows, how many there are): two queries whatever the numbers."""
    return list(queryset[:limit]), queryset.order_by().count()


def own_work(*, user, limit: int = 8) -> dict:
    """The user's unit's overdue work, work due within a week, and returned reports."""
    today = local_today()
    base = my_work_assignments(user=user)
    overdue, overdue_total = _capped(
        base.filter(current_status=Status.OVERDUE).order_by("due_on", "pk"), limit
    )
    due_soon, due_soon_total = _capped(
        base.filter(
            current_status__in=[Status.DUE_TODAY, Status.DUE_SOON, Status.NOT_DUE],
            due_on__lte=today + WEEK,
        ).order_by("due_on", "pk"),
        limit,
    )
    returned, returned_total = _capped(
        with_last_report(base)
        .filter(last_report_status=ReportStatus.RETURNED)
        .order_by("due_on", "pk"),
        limit,
    )
    return {
        "overdue": overdue,
        "overdue_total": overdue_total,
        "due_soon": due_soon,
        "due_soon_total": due_soon_total,
        "returned": returned,
        "returned_total": returned_total,
        "today": today,
    }


def unit_picture(*, user) -> dict[str, int]:
    """A leader's whole unit, its sub-units included: assignments by status."""
    return status_counts(Assignment.objects.visible_to(user).with_status())


def review_waiting(*, user, limit: int = 5) -> dict:
    if user.has_perm("directives.review"):
        reports, reports_total = _capped(reports_awaiting_review(user=user), limit)
        extensions_total = extensions_awaiting_decision(user=user).count()
    else:
        reports, reports_total = _capped(reports_awaiting_leader(user=user), limit)
        extensions_total = 0
    return {
        "reports": reports,
        "reports_total": reports_total,
        "extensions_total": extensions_total,
    }


def most_overdue_units(*, user, limit: int = 5) -> list[dict]:
    """The units in the user's scope holding the most overdue assignments. One query."""
    rows = (
        assignments_for_user(user=user)
        .filter(current_status=Status.OVERDUE)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "unit__name")[:limit]
    )
    return [
        {"unit_id": r["unit_id"], "unit": r["unit__name"], "overdue": r["overdue"]} for r in rows
    ]
