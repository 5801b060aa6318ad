"""Every figure the dashboards, roll-up reports and exports show: one function per figure,
each computed in SQL by conditional aggregation, so the three always agree.

All figures are taken over a ``Slice``: a unit subtree (``unit__path__startswith``), a
day the figures are "as of" (a period's end, or today while the period runs), optionally
a period start (for "change since the previous period"), one directive and one document
type. On the ``as_of`` day:

* an assignment counts when its directive was issued on or before that day and is not a
  draft;
* its status is the one ``directives.status.status_expression`` gives for that day, with
  a completion recorded after that day treated as not yet done (so a past period reads
  as it stood at its end, not as it stands now).

The status rules themselves live in directives/status.py only; nothing here re-implements
them.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Substr
from django.db.models.lookups import Exact

from directives.models import ProgressReport, ReportStatus
from directives.status import DONE, Status, days_overdue
from reports.slices import (
    ALL_ROWS,
    DIRECTIVE_FIELDS,
    FIGURES_FORMAT,
    STATUS_KEYS,
    STEPLEN,
    Slice,
    _directive,
    _finish_counts,
    _iso,
    _number,
    _rate,
    _status_counts_kwargs,
    assignments_in,
    status_as_of,
    with_columns_as_of,
    with_status_as_of,
)
from units.models import Unit
from units.selectors import names_on

# --- Figures ----------------------------------------------------------------------------


def status_counts(s: Slice) -> dict:
    """How many assignments are in each status on ``as_of``, plus ``total`` (every
    assignment not cancelled), ``done``, ``open`` and ``on_time_rate`` (see
    ``on_time_rate``). One query."""
    # The status CASE is applied to the columns as of the day computed once per row in
    # an inner query (see ``monthly_trend``).
    qs = with_columns_as_of(assignments_in(s), s.as_of, prefix="st_", select=True)
    row = qs[:ALL_ROWS].aggregate(**_counts_aggregates(status_as_of(s.as_of, prefix="st_")))
    return _counts_from_row(row)


def _counts_aggregates(status: Case) -> dict:
    """The aggregates of ``status_counts`` over a status CASE, named apart from the
    columns the CASE reads ("cancelled")."""
    counts = {f"n_{key}": Count("pk", filter=Q(Exact(status, key))) for key in STATUS_KEYS}
    counts["n_total"] = Count("pk", filter=~Q(Exact(status, Status.CANCELLED.value)))
    return counts


def _counts_from_row(row: dict) -> dict:
    return _finish_counts(
        {key.removeprefix("n_"): value for key, value in row.items() if key.startswith("n_")}
    )


def on_time_rate(s: Slice) -> float | None:
    """The share of completed assignments that were completed on time, in percent with one
    decimal: done on time ÷ (done on time + done late) × 100.

    Precisely: among the slice's assignments that are completed on or before ``as_of``
    and not cancelled, those whose completion date is on or before their *original* due
    date (an approved extension does not make a late completion punctual; an assignment
    with no due date at all counts as on time). Open, overdue and cancelled assignments
    are not in the base. ``None`` when nothing is completed (shown as "—", not as 0 %).
    One query.
    """
    qs = with_status_as_of(assignments_in(s), s.as_of)
    row = qs.aggregate(
        on_time=Count("pk", filter=Q(st=Status.DONE_ON_TIME.value)),
        done=Count("pk", filter=Q(st__in=[x.value for x in DONE])),
    )
    return _rate(row["on_time"], row["done"])


def overdue_list(s: Slice, limit: int | None = None) -> list[dict]:
    """The assignments overdue on ``as_of`` (due date passed, not completed by then, not
    cancelled), the longest overdue first, with how many days. One query."""
    qs = (
        with_status_as_of(assignments_in(s), s.as_of)
        .filter(st=Status.OVERDUE.value)
        # The due date then: a recurring duty's occurrence waiting on ``as_of``.
        .annotate(due_then=F("st_due_on"))
        .order_by("due_then", "unit__path", "pk")
        .values(
            "pk",
            "due_then",
            "original_due_on",
            "progress",
            "unit_id",
            "unit__name",
            "task__section",
            "task__title",
            "task__directive_id",
            *DIRECTIVE_FIELDS,
        )
    )
    if limit is not None:
        qs = qs[:limit]
    return [
        {
            "pk": r["pk"],
            "unit_id": r["unit_id"],
            "unit": r["unit__name"],
            "directive_id": r["task__directive_id"],
            "directive": _directive(r),
            "directive_short": _directive({**r, "task__directive__subject": ""}),
            "task": f"{r['task__section']} {r['task__title']}".strip(),
            "due_on": _iso(r["due_then"]),
            "original_due_on": _iso(r["original_due_on"]),
            "days_overdue": days_overdue(r["due_then"], s.as_of),
            "progress": r["progress"],
        }
        for r in qs
    ]


def overdue_count(s: Slice) -> int:
    """How many assignments are overdue on ``as_of``. One query."""
    qs = with_status_as_of(assignments_in(s), s.as_of)
    return qs.filter(st=Status.OVERDUE.value).count()


def due_this_week(s: Slice) -> list[dict]:
    """Open assignments due within seven days from ``as_of``, that day included
    (``as_of`` ≤ due date ≤ ``as_of`` + 6), not completed by then, soonest first. One
    query."""
    last = s.as_of + datetime.timedelta(days=6)
    qs = (
        with_status_as_of(assignments_in(s), s.as_of)
        .filter(
            st__in=[Status.DUE_TODAY.value, Status.DUE_SOON.value, Status.NOT_DUE.value],
            st_due_on__gte=s.as_of,
            st_due_on__lte=last,
        )
        .annotate(due_then=F("st_due_on"))
        .order_by("due_then", "unit__path", "pk")
        .values("pk", "due_then", "unit__name", "task__section", "task__title", *DIRECTIVE_FIELDS)
    )
    return [
        {
            "pk": r["pk"],
            "unit": r["unit__name"],
            "directive": _directive(r),
            "task": f"{r['task__section']} {r['task__title']}".strip(),
            "due_on": _iso(r["due_then"]),
        }
        for r in qs
    ]


def status_by_unit(s: Slice) -> list[dict]:
    """Counts by status for each unit directly under the slice's root, each over its own
    subtree (a commune party committee's row includes its Front and associations), and a
    row for the root's own assignments. Units without any assignment are listed with
    zeros.

    A unit closed by ``as_of`` whose successor has a row is counted in that row (a period
    spanning a merge shows the work under the successor); before the change it has its
    own row, and a renamed unit shows the name it had on ``as_of``. Three queries: the
    counts grouped by path prefix, the units, their names on ``as_of``."""
    width = len(s.path) + STEPLEN
    grouped = (
        with_status_as_of(assignments_in(s), s.as_of)
        .annotate(
            # A merged unit from outside the subtree counts in its successor's branch.
            branch=Case(
                When(unit__path__startswith=s.path, then=Substr("unit__path", 1, width)),
                When(
                    unit__successor__path__startswith=s.path,
                    then=Substr("unit__successor__path", 1, width),
                ),
                default=Substr("unit__successor__successor__path", 1, width),
            )
        )
        .values("branch")
        .annotate(**_status_counts_kwargs())
    )
    by_branch = {row.pop("branch"): row for row in grouped}
    units = list(
        Unit.objects.filter(path__startswith=s.path)
        .filter(Q(depth=len(s.path) // STEPLEN + 1) | Q(path=s.path))
        .order_by("path")
        .only("pk", "name", "path", "depth", "valid_to", "successor__path")
        .select_related("successor")
    )
    branches = {unit.path for unit in units}
    for unit in units:
        successor = unit.successor
        if unit.valid_to is None or unit.valid_to >= s.as_of or successor is None:
            continue
        target = successor.path[:width]
        if target != unit.path and target in branches and unit.path in by_branch:
            moved = by_branch.pop(unit.path)
            into = by_branch.setdefault(target, dict.fromkeys(moved, 0))
            for key, value in moved.items():
                into[key] = (into.get(key) or 0) + (value or 0)
    old_names = names_on(unit_ids=[u.pk for u in units], day=s.as_of)
    empty = dict.fromkeys([*STATUS_KEYS, "total"], 0)
    rows = []
    for unit in units:
        counts = dict(by_branch.get(unit.path, empty))
        if unit.valid_to is not None and unit.valid_to < s.as_of and not any(counts.values()):
            continue  # closed before the day, its work (if any) counted under its successor
        rows.append(
            _finish_counts(
                {
                    "unit_id": unit.pk,
                    "unit": old_names.get(unit.pk, unit.name),
                    "own": unit.path == s.path,
                    **counts,
                }
            )
        )
    # The root's own row only matters when it holds assignments itself.
    return [r for r in rows if not r["own"] or r["total"] or r[Status.CANCELLED.value]]


def ranking_score(row: dict) -> float | None:
    """The ranking measure: done on time ÷ (done + overdue) × 100, one decimal. Work that
    is due and not done counts against a unit as much as work done late; ``None`` when
    nothing is due yet."""
    return _rate(row[Status.DONE_ON_TIME.value], row["done"] + row[Status.OVERDUE.value])


def unit_ranking(rows: list[dict], min_due: int | None = None) -> list[dict]:
    """Units from ``status_by_unit`` ranked on ``ranking_score``, then fewest overdue,
    then most completed. A unit needs ``min_due`` tasks that are due (done + overdue;
    ``settings.RANKING_MIN_DUE`` by default) to be ranked: the others follow, unranked
    ("—"), so two finished tasks never make a unit top of the list. Units without any
    assignment are left out."""
    min_due = settings.RANKING_MIN_DUE if min_due is None else min_due
    ranked = []
    for row in rows:
        if row["own"] or not row["total"]:
            continue
        due = row["done"] + row[Status.OVERDUE.value]
        score = ranking_score(row)
        ranked.append({**row, "due": due, "score": score if due >= max(1, min_due) else None})
    return sorted(
        ranked,
        key=lambda r: (
            r["score"] is None,
            -(r["score"] or 0),
            r[Status.OVERDUE.value],
            -r["done"],
            r["unit"],
        ),
    )


def status_by_directive(s: Slice) -> list[dict]:
    """Counts by status for each directive with assignments in the slice, and its progress:
    the share of its assignments (not cancelled) completed by ``as_of``. One query."""
    grouped = (
        with_status_as_of(assignments_in(s), s.as_of)
        .values(
            "task__directive_id",
            "task__directive__code",
            "task__directive__kind",
            "task__directive__subject",
            "task__directive__issued_on",
            "task__directive__confidential",
        )
        .annotate(**_status_counts_kwargs())
        .order_by("-task__directive__issued_on", "task__directive_id")
    )
    rows = []
    for r in grouped:
        row = _finish_counts({key: r[key] for key in [*STATUS_KEYS, "total"]})
        row.update(
            directive_id=r["task__directive_id"],
            code=r["task__directive__code"],
            kind=r["task__directive__kind"],
            subject="" if r["task__directive__confidential"] else r["task__directive__subject"],
            issued_on=_iso(r["task__directive__issued_on"]),
            progress=_rate(row["done"], row["total"]),
            label=_directive(r),
        )
        rows.append(row)
    return rows


def indicator_totals(s: Slice) -> list[dict]:
    """For each task with a quantitative target (``Task.target_value``): the target, and
    what the units in the slice have achieved: the sum, over its assignments that are not
    cancelled, of each assignment's latest *accepted* progress report value
    (``ProgressReport.indicator_value``, reported on or before ``as_of``; a unit that has
    not reported one adds nothing). With one unit holding the task that is simply its
    latest value. ``percent`` is achieved ÷ target × 100 with one decimal. One query."""
    latest = (
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            status=ReportStatus.ACCEPTED,
            indicator_value__isnull=False,
            reported_on__lte=s.as_of,
        )
        .order_by("-reported_on", "-submitted_at", "-pk")
        .values("indicator_value")[:1]
    )
    grouped = (
        assignments_in(s)
        .filter(task__target_value__isnull=False, cancelled=False)
        .annotate(latest_value=Subquery(latest))
        .values(
            "task_id",
            "task__section",
            "task__title",
            "task__target_indicator",
            "task__target_unit",
            "task__target_value",
            "task__baseline_value",
            *DIRECTIVE_FIELDS,
        )
        .annotate(
            achieved=Sum("latest_value"),
            reporting=Count("pk", filter=Q(latest_value__isnull=False)),
            holders=Count("pk"),
        )
        .order_by("task__directive__code", "task__section", "task_id")
    )
    rows = []
    for r in grouped:
        target = r["task__target_value"]
        achieved = r["achieved"]
        percent = None
        if achieved is not None and target:
            percent = float(
                (Decimal(achieved) * 100 / Decimal(target)).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
            )
        rows.append(
            {
                "task_id": r["task_id"],
                "directive": _directive(r),
                "task": f"{r['task__section']} {r['task__title']}".strip(),
                "indicator": r["task__target_indicator"],
                "measure": r["task__target_unit"],
                "baseline": _number(r["task__baseline_value"]),
                "target": _number(target),
                "achieved": _number(achieved),
                "percent": percent,
                "reporting": r["reporting"],
                "holders": r["holders"],
            }
        )
    return rows


# The figures whose change since the previous period the KPIs show.
CHANGE_KEYS = ["total", "done", Status.DONE_ON_TIME.value, Status.OVERDUE.value, "on_time_rate"]


def change_since_previous(s: Slice, now: dict | None = None) -> dict | None:
    """Each KPI now and the day before the period began, and the difference (now −
    before; for the on-time rate in percentage points). ``None`` without a period start.
    Two queries, one when ``now`` (``status_counts(s)``) is given."""
    before_slice = s.previous()
    if before_slice is None:
        return None
    now, before = now or status_counts(s), status_counts(before_slice)
    result = {"previous_as_of": _iso(before_slice.as_of)}
    for key in CHANGE_KEYS:
        a, b = now[key], before[key]
        delta = None if a is None or b is None else round(a - b, 1)
        result[key] = {"now": a, "before": b, "delta": delta}
    return result


def month_ends(as_of: datetime.date, months: int = 12) -> list[datetime.date]:
    """The last day of each of the ``months`` months ending with ``as_of``'s month, the
    current month cut at ``as_of``; oldest first."""
    ends = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, as_of))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(ends))


def monthly_trend(s: Slice, months: int = 12) -> list[dict]:
    """For each of the last ``months`` month ends (see ``month_ends``): the counts as of
    that day (assignments, done on time, done late, overdue, open) and the on-time rate,
    all exactly as ``status_counts`` would give for that day. One query, one conditional
    aggregate per month and status."""
    return trend_and_counts(s, months, counts=False)[0]


def trend_and_counts(s: Slice, months: int = 12, *, counts: bool = True) -> tuple[list[dict], dict]:
    """``monthly_trend(s, months)`` and, with ``counts``, ``status_counts(s)`` (else an
    empty dict) from the same query: the last month end is ``s.as_of`` and its columns are the ones
    ``status_counts`` reads, so one pass over the slice gives both.

    A recurring duty's due date on a past month end is a subquery (``due_on_as_of``).
    The status CASE reads that date several times and each month's statuses are counted
    four times, so the columns as of each month are computed in an inner query, once per
    row and month (``ALL_ROWS``), and the counts apply the status CASE to its rows."""
    ends = month_ends(s.as_of, months)
    qs = assignments_in(s.at(ends[-1]))
    wanted = [Status.DONE_ON_TIME, Status.DONE_LATE, Status.OVERDUE, Status.CANCELLED]
    aggregates = {}
    for i, day in enumerate(ends):
        name = f"m{i}"
        qs = with_columns_as_of(qs, day, prefix=f"{name}_", select=True)
        status = status_as_of(day, prefix=f"{name}_")
        issued = Q(task__directive__issued_on__lte=day)
        for wanted_status in wanted:
            aggregates[f"{name}_{wanted_status.value}"] = Count(
                "pk", filter=Q(issued, Exact(status, wanted_status.value))
            )
        aggregates[f"{name}_all"] = Count("pk", filter=issued)
    if counts:
        # ``ends[-1]`` is ``s.as_of``, and ``assignments_in`` reads no period start.
        aggregates.update(_counts_aggregates(status))
    row = qs[:ALL_ROWS].aggregate(**aggregates)
    trend = []
    for i, day in enumerate(ends):
        get = lambda key, i=i: row[f"m{i}_{key}"]  # noqa: E731
        done = get(Status.DONE_ON_TIME.value) + get(Status.DONE_LATE.value)
        total = get("all") - get(Status.CANCELLED.value)
        trend.append(
            {
                "as_of": day.isoformat(),
                "month": f"{day.month:02d}/{day.year}",
                "total": total,
                "done_on_time": get(Status.DONE_ON_TIME.value),
                "done_late": get(Status.DONE_LATE.value),
                "overdue": get(Status.OVERDUE.value),
                "open": total - done,
                "on_time_rate": _rate(get(Status.DONE_ON_TIME.value), done),
            }
        )
    return trend, _counts_from_row(row) if counts else {}


def figures_compute(
    *,
    s: Slice,
    root: Unit | None,
    overdue_limit: int | None = None,
    on_step: Callable[[int, str], None] | None = None,
) -> dict:
    """Every figure of a dashboard or roll-up for slice ``s``, as JSON-ready data (dates as
    ISO strings), so a stored roll-up and the live dashboard read alike."""
    step = on_step or (lambda percent, note: None)
    figures: dict = {
        "format": FIGURES_FORMAT,
        "root": root.name if root else "",
        "root_id": root.pk if root else None,
        "as_of": s.as_of.isoformat(),
        "start": s.start.isoformat() if s.start else None,
    }
    step(10, "counts")
    # The rate and the overdue count are columns of the counts (as their functions give);
    # the counts come with the trend, in one pass.
    trend, counts = trend_and_counts(s)
    figures["counts"] = counts
    figures["on_time_rate"] = counts["on_time_rate"]
    figures["overdue_count"] = counts[Status.OVERDUE.value]
    figures["overdue"] = overdue_list(s, limit=overdue_limit)
    figures["due_this_week"] = due_this_week(s)
    step(30, "units")
    figures["by_unit"] = status_by_unit(s)
    figures["ranking_min_due"] = settings.RANKING_MIN_DUE
    figures["ranking"] = unit_ranking(figures["by_unit"], min_due=settings.RANKING_MIN_DUE)
    step(50, "directives")
    figures["by_directive"] = status_by_directive(s)
    step(60, "indicators")
    figures["indicators"] = indicator_totals(s)
    step(70, "change")
    figures["change"] = change_since_previous(s, now=counts)
    figures["trend"] = trend
    return figures
