# ruff: noqa: E501  (SQL text is kept as written, not wrapped)
"""Fair floors: for each benchmark case, hand-written SQL returning the same figures or rows
under the same filters, the same visibility (the user's scope) and the same settings.

A floor is a list of statements (the minimal set a person would write by hand for that
page or job); ``run_floor`` executes them and returns their rows, and tests/measure/
test_floors.py checks on small data that the rows carry the same numbers as the case.
The benchmark times the whole list and reports case ÷ floor.

The status rule is written out again here in SQL on purpose (``STATUS``): a floor must not
borrow the code it is measured against. The test holds it equal to directives/status.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from directives.scoping import SPEAKS_TO_ALL, _ancestor_paths
from units.models import UnitLevel


@dataclass
class Floor:
    statements: list[tuple[str, dict]]

    def sql(self) -> str:
        return ";\n\n".join(sql for sql, _ in self.statements) + ";"


def run_floor(floor: Floor) -> list[list[tuple]]:
    out = []
    with connection.cursor() as cursor:
        for sql, params in floor.statements:
            cursor.execute(sql, params)
            out.append(cursor.fetchall())
    return out


def soon_days() -> int:
    return settings.DUE_SOON_DAYS


# Status of assignment ``a`` on day {day}; completions after that day count as not done.
# {due} is the due date on that day: the column, or DUE_THEN for a past day.
STATUS = """CASE
  WHEN a.cancelled THEN 'cancelled'
  WHEN a.completed_on <= {day} AND ((a.original_due_on IS NULL AND {due} IS NULL)
       OR a.completed_on <= COALESCE(a.original_due_on, {due})) THEN 'done_on_time'
  WHEN a.completed_on <= {day} THEN 'done_late'
  WHEN {due} IS NULL THEN 'ongoing'
  WHEN {due} < {day} THEN 'overdue'
  WHEN {due} = {day} THEN 'due_today'
  WHEN {due} <= {day} + %(soon)s THEN 'due_soon'
  ELSE 'not_due' END"""

# How many completing reports of a recurring duty were accepted after day {day} (the
# lateral ``later``), and its due date on that day: the current one stepped back that many
# occurrences, a month end staying a month end.
LATER = """LEFT JOIN LATERAL (SELECT count(*)::int AS n FROM directives_progressreport p
    WHERE a.recurrence <> '' AND (a.last_reported_on IS NULL OR a.last_reported_on > {day})
      AND p.assignment_id = a.id AND p.completed AND p.status = 'accepted'
      AND p.reported_on > {day}) later ON true"""
_BACK = """make_interval(months => later.n * CASE a.recurrence WHEN 'monthly' THEN 1
    WHEN 'quarterly' THEN 3 WHEN 'half-yearly' THEN 6 ELSE 12 END)"""
DUE_THEN = f"""(CASE WHEN later.n > 0 AND a.due_on IS NOT NULL THEN
    CASE WHEN a.due_on + 1 = (date_trunc('month', a.due_on) + interval '1 month')::date
      THEN (date_trunc('month', a.due_on - {_BACK}) + interval '1 month' - interval '1 day')::date
      ELSE (a.due_on - {_BACK})::date END
  ELSE a.due_on END)"""

# The units a slice covers: its subtree, and units merged into it by the day.
SLICE_UNITS = """(SELECT u.id FROM units_unit u WHERE u.path LIKE %(like)s
  UNION SELECT u.id FROM units_unit u
    LEFT JOIN units_unit s1 ON s1.id = u.successor_id
    LEFT JOIN units_unit s2 ON s2.id = s1.successor_id
  WHERE %(path)s <> '' AND u.valid_to < %(as_of)s AND u.path NOT LIKE %(like)s
    AND (s1.path LIKE %(like)s OR s2.path LIKE %(like)s))"""

SLICE_FROM = f"""FROM directives_assignment a
  JOIN directives_task t ON t.id = a.task_id
  JOIN directives_directive d ON d.id = t.directive_id
  JOIN units_unit u ON u.id = a.unit_id
WHERE a.unit_id IN {SLICE_UNITS}
  AND d.issued_on <= %(as_of)s AND d.status <> 'draft'"""


def _slice_params(path: str, as_of: datetime.date, **more) -> dict:
    return {"path": path, "like": path + "%", "as_of": as_of, "soon": soon_days(), **more}


def figures_floor(
    *, path: str, as_of: datetime.date, start: datetime.date | None, overdue_limit: int | None
) -> Floor:
    """Every figure of a dashboard or roll-up (reports.aggregates.figures_compute): counts by
    status for as_of, the day before the period and each of twelve month ends (counts,
    change and trend in one statement), counts by branch, by directive, the overdue list,
    what is due within seven days and the indicator totals."""
    days = _month_ends(as_of)
    if start is not None:
        days.append(start - datetime.timedelta(days=1))
    params = _slice_params(path, as_of, days=sorted(set(days)), width=len(path) + 4)
    status_on = STATUS.format(day="x.day", due="due_then")
    status_now = STATUS.format(day="%(as_of)s", due="a.due_on")
    by_day = f"""SELECT x.day, {status_on} AS st, count(*)
{SLICE_FROM} AND d.issued_on <= x.day
GROUP BY 1, 2"""
    by_day = by_day.replace(
        "FROM directives_assignment a",
        "FROM unnest(%(days)s::date[]) AS x(day)\n  CROSS JOIN directives_assignment a\n  "
        + LATER.format(day="x.day")
        + f"\n  CROSS JOIN LATERAL (SELECT {DUE_THEN} AS due_then) then_",
        1,
    )
    by_branch = f"""SELECT CASE WHEN u.path LIKE %(like)s THEN substr(u.path, 1, %(width)s)
    WHEN s1.path LIKE %(like)s THEN substr(s1.path, 1, %(width)s)
    ELSE substr(s2.path, 1, %(width)s) END AS branch, {status_now} AS st, count(*)
{SLICE_FROM.replace("JOIN units_unit u ON u.id = a.unit_id", "JOIN units_unit u ON u.id = a.unit_id LEFT JOIN units_unit s1 ON s1.id = u.successor_id LEFT JOIN units_unit s2 ON s2.id = s1.successor_id")}
GROUP BY 1, 2"""
    by_directive = f"""SELECT d.id, {status_now} AS st, count(*)
{SLICE_FROM}
GROUP BY 1, 2"""
    overdue = f"""SELECT a.id, a.due_on, a.original_due_on, a.progress, a.unit_id, u.name,
  t.section, t.title, d.id, d.code
{SLICE_FROM} AND {status_now} = 'overdue'
ORDER BY a.due_on, u.path, a.id""" + (" LIMIT %(limit)s" if overdue_limit else "")
    params["limit"] = overdue_limit
    due_week = f"""SELECT a.id, a.due_on, u.name, t.section, t.title, d.code
{SLICE_FROM} AND {status_now} IN ('due_today', 'due_soon', 'not_due')
  AND a.due_on BETWEEN %(as_of)s AND %(as_of)s + 6
ORDER BY a.due_on, u.path, a.id"""
    indicators = f"""SELECT t.id, sum(r.indicator_value), count(r.indicator_value), count(*)
{SLICE_FROM} AND t.target_value IS NOT NULL AND NOT a.cancelled
GROUP BY t.id"""
    indicators = indicators.replace(
        "JOIN units_unit u ON u.id = a.unit_id",
        """JOIN units_unit u ON u.id = a.unit_id
  LEFT JOIN LATERAL (SELECT p.indicator_value FROM directives_progressreport p
    WHERE p.assignment_id = a.id AND p.status = 'accepted'
      AND p.indicator_value IS NOT NULL AND p.reported_on <= %(as_of)s
    ORDER BY p.reported_on DESC, p.submitted_at DESC, p.id DESC LIMIT 1) r ON true""",
        1,
    )
    statements = [by_day, by_branch, by_directive, overdue, due_week, indicators]
    return Floor([(sql, params) for sql in statements])


def _month_ends(as_of: datetime.date, months: int = 12) -> list[datetime.date]:
    ends, year, month = [], as_of.year, as_of.month
    for _ in range(months):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        ends.append(min(following - datetime.timedelta(days=1), as_of))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return ends


def stored_figures_floor(*, key: str, path: str, branch_length: int, shared: str) -> Floor:
    """A dashboard whose figures are stored: read the stored row and the change counts of
    the branches it covers (what decides whether it is current)."""
    return Floor(
        [
            ("SELECT figures FROM reports_figurecache WHERE key = %(key)s", {"key": key}),
            (
                "SELECT sum(version) FROM reports_figureversion "
                "WHERE branch LIKE %(like)s OR branch = %(own)s OR branch = %(shared)s",
                {"like": path + "%", "own": path[:branch_length], "shared": shared},
            ),
        ]
    )


def stored_report_floor(*, report_id: int) -> Floor:
    """An export renders a stored roll-up: read its figures and narratives."""
    return Floor(
        [
            (
                "SELECT figures, narratives FROM reports_rollupreport WHERE id = %(id)s",
                {"id": report_id},
            )
        ]
    )


def _assignment_scope(scope_path: str | None) -> str:
    return "true" if scope_path is None else "u.path LIKE %(scope)s"


def directive_visibility(scope_path: str | None) -> str:
    """directives.scoping's rule written out: issuer, monitoring unit or an assigned unit
    in scope, or not confidential and issued by a committee above or a central body."""
    if scope_path is None:
        return "true"
    return """(EXISTS (SELECT 1 FROM units_unit iu WHERE iu.id = d.issuer_id AND iu.path LIKE %(scope)s)
  OR EXISTS (SELECT 1 FROM units_unit mu WHERE mu.id = d.monitoring_unit_id AND mu.path LIKE %(scope)s)
  OR d.id IN (SELECT dr.directive_id FROM directives_directivereach dr
             JOIN units_unit ru ON ru.id = dr.unit_id WHERE ru.path LIKE %(scope)s)
  OR (NOT d.confidential AND d.issuer_id IN (SELECT hu.id FROM units_unit hu
        WHERE hu.path = ANY(%(ancestors)s) OR (hu.level = %(central)s AND hu.kind = ANY(%(speaks)s)))))"""


def _scope_params(scope_path: str | None) -> dict:
    return {
        "scope": (scope_path or "") + "%",
        "ancestors": _ancestor_paths(scope_path or ""),
        "central": UnitLevel.CENTRAL.value,
        "speaks": [str(k) for k in SPEAKS_TO_ALL],
        "soon": soon_days(),
    }


def my_work_floor(*, unit_id: int, scope_path: str | None, today: datetime.date) -> Floor:
    """Việc của tôi: the first 25 of the unit's assignments, most urgent first, with their
    status and latest report; the counts by status; the number awaiting review is left
    out (a reviewer's count, not the staff user's page)."""
    status = STATUS.format(day="%(today)s", due="a.due_on")
    params = {**_scope_params(scope_path), "unit": unit_id, "today": today}
    base = f"""FROM directives_assignment a JOIN units_unit u ON u.id = a.unit_id
WHERE a.unit_id = %(unit)s AND {_assignment_scope(scope_path)}"""
    urgency = """array_position(ARRAY['overdue','due_today','due_soon','not_due','ongoing',
  'done_late','done_on_time','cancelled'], st)"""
    rows = f"""SELECT w.id, w.st, r.status, r.review_comment, r.reported_on FROM (
  SELECT a.id, a.due_on, t.directive_id, t."order" AS task_order, {status} AS st
  {base.replace("JOIN units_unit u", "JOIN directives_task t ON t.id = a.task_id JOIN units_unit u")}
) w LEFT JOIN LATERAL (SELECT p.status, p.review_comment, p.reported_on
  FROM directives_progressreport p WHERE p.assignment_id = w.id
  ORDER BY p.submitted_at DESC, p.id DESC LIMIT 1) r ON true
ORDER BY {urgency}, w.due_on, w.directive_id, w.task_order, w.id LIMIT 25"""
    counts = f"SELECT {status} AS st, count(*) {base} GROUP BY 1"
    return Floor([(rows, params), (counts, params)])


def directive_list_floor(
    *,
    scope_path: str | None,
    words: list[str],
    today: datetime.date,
    kind: str | None = None,
    year: int | None = None,
) -> Floor:
    """The directive list searched and filtered: the first 25 visible directives whose own
    key, or one of whose tasks' key (not for confidential ones), has every word, each with
    its number of tasks, progress and its visible assignments counted by status; the count
    per directive status (which also gives the pager's total)."""
    params = {**_scope_params(scope_path), "kind": kind, "year": year, "today": today}
    own, tasks = [], []
    for i, word in enumerate(words):
        params[f"w{i}"] = f"%{word}%"
        own.append(f"d.search_text LIKE %(w{i})s")
        tasks.append(f"s.text LIKE %(w{i})s")
    match = ""
    if words:
        match = f""" AND (({" AND ".join(own)}) OR (NOT d.confidential AND d.id IN (
    SELECT s.directive_id FROM search_tasksearchtext s WHERE {" AND ".join(tasks)})))"""
    if kind:
        match += " AND d.kind = %(kind)s"
    if year:
        match += """ AND d.issued_on >= make_date(%(year)s, 1, 1)
  AND d.issued_on < make_date(%(year)s + 1, 1, 1)"""
    where = f"""FROM directives_directive d
WHERE {directive_visibility(scope_path)}{match}"""
    status = STATUS.format(day="%(today)s", due="a.due_on")
    scope = _assignment_scope(scope_path)
    rows = f"""WITH page AS (SELECT d.id, d.issued_on {where} ORDER BY d.issued_on DESC, d.id DESC LIMIT 25)
SELECT page.id,
  (SELECT count(*) FROM directives_task t WHERE t.directive_id = page.id),
  (SELECT avg(tp) FROM (SELECT t.id, (SELECT avg(CASE WHEN a.completed_on IS NOT NULL THEN 100.0
       ELSE a.progress END) FROM directives_assignment a JOIN units_unit u ON u.id = a.unit_id
       WHERE a.task_id = t.id AND a.role = 'lead' AND NOT a.cancelled AND {scope}) AS tp
     FROM directives_task t WHERE t.directive_id = page.id) x),
  s.total, s.overdue, s.due_soon, s.done
FROM page LEFT JOIN LATERAL (SELECT
    count(*) FILTER (WHERE st <> 'cancelled') AS total,
    count(*) FILTER (WHERE st = 'overdue') AS overdue,
    count(*) FILTER (WHERE st IN ('due_soon', 'due_today')) AS due_soon,
    count(*) FILTER (WHERE st IN ('done_on_time', 'done_late')) AS done
  FROM (SELECT {status} AS st FROM directives_assignment a
        JOIN directives_task t ON t.id = a.task_id JOIN units_unit u ON u.id = a.unit_id
        WHERE t.directive_id = page.id AND {scope}) y) s ON true
ORDER BY page.issued_on DESC, page.id DESC"""
    counts = f"SELECT d.status, count(*) {where} GROUP BY 1"
    return Floor([(rows, params), (counts, params)])


def directive_list_search_floor(*, scope_path: str | None, words: list[str]) -> Floor:
    return directive_list_floor(scope_path=scope_path, words=words, today=_today())


def _today() -> datetime.date:
    return timezone.localdate()


def directive_page_floor(
    *, directive_id: int, scope_path: str | None, today: datetime.date
) -> Floor:
    """A directive's page: the directive, its tasks, and every visible assignment with its
    unit and status (the task's roll-up is taken from these rows)."""
    params = {**_scope_params(scope_path), "id": directive_id, "today": today}
    status = STATUS.format(day="%(today)s", due="a.due_on")
    return Floor(
        [
            (
                f"SELECT d.* FROM directives_directive d WHERE d.id = %(id)s AND {directive_visibility(scope_path)}",
                params,
            ),
            (
                f"""SELECT t.id, t.section, t.title, a.id, a.role, u.name, a.due_on, a.progress,
  {status} AS st
FROM directives_task t LEFT JOIN (directives_assignment a JOIN units_unit u ON u.id = a.unit_id
  AND {_assignment_scope(scope_path)}) ON a.task_id = t.id
WHERE t.directive_id = %(id)s ORDER BY t."order", t.id, a.role DESC, u.name, a.id""",
                params,
            ),
        ]
    )


def sweep_floor(*, today: datetime.date) -> Floor:
    """The morning sweep reads the open assignments due within the largest reminder offset
    (REMINDER_OFFSETS_DAYS), with their directives, and the people of their units who get
    digests; it writes one row per message (not part of the floor)."""
    horizon = max([d for d in settings.REMINDER_OFFSETS_DAYS if d > 0], default=0)
    params = {"horizon": today + datetime.timedelta(days=horizon)}
    open_due = """FROM directives_assignment a WHERE a.completed_on IS NULL AND NOT a.cancelled
  AND a.due_on IS NOT NULL AND a.due_on <= %(horizon)s"""
    return Floor(
        [
            (
                f"""SELECT a.id, a.unit_id, a.due_on, a.task_id, t.section, t.title, d.id, d.kind,
  d.code, d.number, d.subject, d.issued_on, d.confidential, d.monitoring_unit_id, d.issuer_id
{open_due.replace("WHERE", "JOIN directives_task t ON t.id = a.task_id JOIN directives_directive d ON d.id = t.directive_id WHERE", 1)}
ORDER BY a.unit_id, d.id, a.due_on, a.id""",
                params,
            ),
            (
                f"""SELECT us.id, us.unit_id, us.role FROM units_user us WHERE us.is_active
  AND us.role IN ('staff', 'leader', 'monitor') AND us.unit_id IN (SELECT a.unit_id {open_due})""",
                params,
            ),
        ]
    )


def search_floor(*, scope_path: str | None, words: list[str]) -> Floor:
    """The header search: ten visible directives, ten tasks of visible non-confidential
    directives and ten visible units matching every word. The visible directives are
    listed once, then joined to the matching search keys."""
    params = _scope_params(scope_path)
    params["phrase"] = " ".join(words)
    params["start"] = params["phrase"] + "%"
    params["any"] = "%" + params["phrase"] + "%"
    match = {}
    for column in ("d.search_text", "s.text", "u.search_text"):
        parts = []
        for i, word in enumerate(words):
            params[f"w{i}"] = f"%{word}%"
            parts.append(f"{column} LIKE %(w{i})s")
        match[column] = " AND ".join(parts) or "true"
    rank = "CASE WHEN {c} LIKE %(start)s THEN 3 WHEN {c} LIKE %(any)s THEN 2 ELSE 1 END"
    unit_scope = "true" if scope_path is None else "u.path LIKE %(scope)s"
    return Floor(
        [
            (
                f"""SELECT d.id FROM directives_directive d WHERE {directive_visibility(scope_path)}
  AND {match["d.search_text"]}
ORDER BY {rank.format(c="d.search_text")} DESC, d.issued_on DESC, d.id DESC LIMIT 10""",
                params,
            ),
            (
                f"""WITH v AS MATERIALIZED (SELECT d.id, d.issued_on FROM directives_directive d
  WHERE NOT d.confidential AND {directive_visibility(scope_path)})
SELECT s.task_id FROM search_tasksearchtext s JOIN v ON v.id = s.directive_id
  JOIN directives_task t ON t.id = s.task_id
WHERE {match["s.text"]}
ORDER BY {rank.format(c="s.text")} DESC, v.issued_on DESC, t."order", t.id LIMIT 10""",
                params,
            ),
            (
                f"""SELECT u.id FROM units_unit u WHERE {unit_scope} AND u.search_text LIKE %(any)s
ORDER BY {rank.format(c="u.search_text")} DESC, u.depth, u.name LIMIT 10""",
                params,
            ),
        ]
    )
