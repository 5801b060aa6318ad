"""The benchmark's floors return the same numbers and rows as the cases they are set
against, on a small generated dataset, for a national and a province user."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from directives.models import Assignment, Directive, Task
from directives.selectors import (
    directive_list_for_user,
    directive_status_counts,
    directive_tasks_for_user,
    directives_for_user,
    my_work_for_user,
)
from measure.floors import (
    directive_list_floor,
    directive_page_floor,
    figures_floor,
    my_work_floor,
    run_floor,
    search_floor,
    sweep_floor,
)
from measure.loadgen.generate import TABLES
from notifications.reminders import ReminderSweep
from reports.aggregates import Slice, figures_compute
from search.selectors import search_everything
from units.models import Unit, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def planner_statistics_restored(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in TABLES.values():
            cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def load(capsys):
    call_command("generate_load", "--scale", "0.003")
    capsys.readouterr()


@pytest.fixture
def due_in_nine_days(load):
    """An open assignment of the commune user's unit due in nine days, in a directive its
    searches find: due soon under the tests' DUE_SOON_DAYS = 10, not under a fixed week,
    so a floor that ignores the setting counts differently (generate_load leaves nothing
    due between eight and ten days ahead). The same task goes to a commune of another
    province too, which the province's users must not see; and one more task of the unit
    is due today, which the list counts with those due soon."""
    commune = User.objects.get(username="load.p0.commune")
    province = User.objects.get(username="load.p0.viewer").unit
    elsewhere = (
        Unit.objects.exclude(path__startswith=province.path)
        .filter(depth=commune.unit.depth)
        .first()
    )
    rows, _ = directive_list_for_user(user=commune, filters={"q": "dan van"})
    due = timezone.localdate() + datetime.timedelta(days=9)
    task = Task.objects.create(
        directive=rows[0], title="Việc đến hạn sau chín ngày", order=999, due_on=due
    )
    Assignment.objects.create(task=task, unit=elsewhere, due_on=due, original_due_on=due)
    today = timezone.localdate()
    task_today = Task.objects.create(
        directive=rows[0], title="Việc đến hạn hôm nay", order=1000, due_on=today
    )
    Assignment.objects.create(task=task_today, unit=commune.unit, due_on=today)
    return Assignment.objects.create(task=task, unit=commune.unit, due_on=due, original_due_on=due)


def _scope(user: User) -> str | None:
    return None if user.scope.everything else user.scope.path


def _due_soon_by_floor(settings, days: int, floor, pick) -> int:
    """The floor's due-soon figure under DUE_SOON_DAYS = ``days`` (the setting is put back)."""
    kept = settings.DUE_SOON_DAYS
    settings.DUE_SOON_DAYS = days
    try:
        return pick(run_floor(floor()))
    finally:
        settings.DUE_SOON_DAYS = kept


@pytest.mark.parametrize("username", ["load.national", "load.p0.viewer"])
def test_figures_floor_gives_the_figures(due_in_nine_days, username, settings):
    settings.DUE_SOON_DAYS = 10  # the floor must follow the setting, not a fixed 7
    user = User.objects.get(username=username)
    path = user.unit.path
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    figures = figures_compute(
        s=Slice(path=path, as_of=today, start=start),
        root=Unit.objects.get(path=path),
        overdue_limit=20,
    )
    by_day, by_branch, by_directive, overdue, due_week, indicators = run_floor(
        figures_floor(path=path, as_of=today, start=start, overdue_limit=20)
    )
    on = defaultdict(dict)
    for day, status, n in by_day:
        on[day][status] = n
    counts = figures["counts"]
    assert on[today]  # the slice has work, so the comparisons below say something
    in_a_week = _due_soon_by_floor(
        settings,
        7,
        lambda: figures_floor(path=path, as_of=today, start=start, overdue_limit=20),
        lambda result: sum(n for day, st, n in result[0] if day == today and st == "due_soon"),
    )
    assert in_a_week < counts["due_soon"]  # the data tells the setting from a week
    for key in (
        "overdue",
        "due_soon",
        "due_today",
        "done_on_time",
        "done_late",
        "not_due",
        "ongoing",
        "cancelled",
    ):
        assert on[today].get(key, 0) == counts[key], key
    before = on[start - datetime.timedelta(days=1)]
    assert figures["change"]["overdue"]["before"] == before.get("overdue", 0)
    for month in figures["trend"]:
        day = on[datetime.date.fromisoformat(month["as_of"])]
        assert month["overdue"] == day.get("overdue", 0)
        assert month["done_on_time"] == day.get("done_on_time", 0)
        assert month["total"] == sum(day.values()) - day.get("cancelled", 0)

    paths = dict(Unit.objects.values_list("path", "pk"))
    branch_totals = defaultdict(int)
    for branch, status, n in by_branch:
        if status != "cancelled":
            branch_totals[paths[branch]] += n
    assert {r["unit_id"]: r["total"] for r in figures["by_unit"] if r["total"]} == dict(
        branch_totals
    )
    directive_overdue = defaultdict(int)
    for directive_id, status, n in by_directive:
        if status == "overdue":
            directive_overdue[directive_id] += n
    assert {
        r["directive_id"]: r["overdue"] for r in figures["by_directive"] if r["overdue"]
    } == dict(directive_overdue)
    assert [r["pk"] for r in figures["overdue"]] == [row[0] for row in overdue]
    assert [r["pk"] for r in figures["due_this_week"]] == [row[0] for row in due_week]
    assert {r["task_id"]: (r["reporting"], r["holders"]) for r in figures["indicators"]} == {
        row[0]: (row[2], row[3]) for row in indicators
    }


def test_my_work_floor_gives_the_rows_and_counts(due_in_nine_days, settings):
    settings.DUE_SOON_DAYS = 10
    user = User.objects.get(username="load.p0.commune")
    rows, _, counts = my_work_for_user(user=user)

    def floor():
        return my_work_floor(
            unit_id=user.unit_id, scope_path=_scope(user), today=timezone.localdate()
        )

    page, by_status = run_floor(floor())
    assert [(a.pk, a.current_status) for a in rows[:25]] == [(r[0], r[1]) for r in page]
    assert {k.value: v for k, v in counts.items() if v} == dict(by_status)
    assert dict(by_status)["due_soon"] == counts["due_soon"] > 0
    in_a_week = _due_soon_by_floor(settings, 7, floor, lambda r: dict(r[1]).get("due_soon", 0))
    assert in_a_week < counts["due_soon"]


def _list_row(directive) -> tuple:
    summary = directive.assignment_summary or {}
    progress = None if directive.progress is None else round(float(directive.progress), 6)
    return (
        directive.pk,
        directive.task_count,
        progress,
        summary.get("total"),
        summary.get("overdue"),
        summary.get("due_soon"),
        summary.get("done"),
    )


def _floor_list_row(row: tuple) -> tuple:
    progress = None if row[2] is None else round(float(row[2]), 6)
    return (row[0], row[1], progress, *row[3:])


@pytest.mark.parametrize("username", ["load.national", "load.p0.monitor", "load.p0.commune"])
def test_directive_list_floor_gives_the_rows_and_counts(due_in_nine_days, username, settings):
    """The list as the user sees it, searched, then also filtered by kind and year: the
    same directives in the same order, with the same task counts, progress and counts of
    the user's assignments by status, and the same counts per directive status."""
    settings.DUE_SOON_DAYS = 10
    user = User.objects.get(username=username)
    today = timezone.localdate()
    searched, _ = directive_list_for_user(user=user, filters={"q": "dan van"})
    first = searched[0]
    filter_sets = [
        ({"q": "dan van"}, {}),
        (
            {"q": "dan van", "kind": first.kind, "year": str(first.issued_on.year)},
            {"kind": first.kind, "year": first.issued_on.year},
        ),
    ]
    for filters, floor_filters in filter_sets:
        rows, filterset = directive_list_for_user(user=user, filters=filters)
        expected = [_list_row(d) for d in rows[:25]]
        assert expected, filters  # something to compare
        page, by_status = run_floor(
            directive_list_floor(
                scope_path=_scope(user), words=["dan", "van"], today=today, **floor_filters
            )
        )
        assert [_floor_list_row(r) for r in page] == expected, filters
        counts = {status: n for status, _, n in directive_status_counts(filterset=filterset) if n}
        assert dict(by_status) == counts, filters
    visible = set(directives_for_user(user=user).values_list("pk", flat=True))
    assert {r[0] for r in page} <= visible
    mine = Directive.objects.get(tasks__assignments=due_in_nine_days)

    def due_soon_of_mine(result) -> int:
        return next(r[5] for r in result[0] if r[0] == mine.pk)

    def searched_floor():
        return directive_list_floor(scope_path=_scope(user), words=["dan", "van"], today=today)

    due_soon = due_soon_of_mine(run_floor(searched_floor()))
    assert due_soon == _list_row(next(d for d in searched if d.pk == mine.pk))[5]
    assert _due_soon_by_floor(settings, 7, searched_floor, due_soon_of_mine) < due_soon


def test_sweep_floor_reads_what_the_sweep_reads(load):
    today = timezone.localdate()
    sweep = ReminderSweep(today=today, units_per_batch=200, chunk_size=2000)
    read = [tuple(row) for row in sweep.assignments()]
    rows, _ = run_floor(sweep_floor(today=today))
    assert read  # the generated data has open work due within the offsets
    # The same rows, in the same order, with the same columns.
    assert read == [tuple(r) for r in rows]


@pytest.mark.parametrize("username", ["load.national", "load.p0.monitor", "load.p0.commune"])
def test_search_floor_sees_what_the_user_sees(load, username):
    user = User.objects.get(username=username)
    found = search_everything(user=user, text="dân vận")
    directives, tasks, units = run_floor(
        search_floor(scope_path=_scope(user), words=["dan", "van"])
    )
    assert [d.pk for d in found.directives] == [r[0] for r in directives]
    assert [t.pk for t in found.tasks] == [r[0] for r in tasks]
    assert [u.pk for u in found.units] == [r[0] for r in units]


@pytest.mark.parametrize("username", ["load.admin", "load.p0.monitor", "load.p0.commune"])
def test_directive_page_floor_gives_the_tasks_and_assignments(due_in_nine_days, username, settings):
    """A directive's page: the floor shows the directive only to those who may see it,
    and the same tasks with the same assignments (only the user's) and statuses."""
    settings.DUE_SOON_DAYS = 10
    user = User.objects.get(username=username)
    today = timezone.localdate()
    visible = directives_for_user(user=user)
    hidden = Directive.objects.exclude(pk__in=visible.values("pk")).first()
    if hidden is not None:
        found, _ = run_floor(
            directive_page_floor(directive_id=hidden.pk, scope_path=_scope(user), today=today)
        )
        assert found == []
    else:
        assert user.scope.everything
    directive = Directive.objects.get(tasks__assignments=due_in_nine_days)
    assert visible.filter(pk=directive.pk).exists()
    found, rows = run_floor(
        directive_page_floor(directive_id=directive.pk, scope_path=_scope(user), today=today)
    )
    assert [r[0] for r in found] == [directive.pk]
    tasks = directive_tasks_for_user(user=user, directive=directive)
    expected = []
    for task in tasks:
        expected += [
            (task.pk, a.pk, a.role, a.unit.name, a.due_on, a.progress, a.current_status)
            for a in task.visible_assignments
        ] or [(task.pk, None, None, None, None, None, None)]
    assert [(r[0], *r[3:8], r[8] if r[3] else None) for r in rows] == expected
    everyone = Assignment.objects.filter(task__directive=directive).count()
    shown = sum(len(t.visible_assignments) for t in tasks)
    if user.scope.everything:
        assert shown == everyone
    else:
        assert 0 < shown < everyone  # the other province's assignment is not theirs
    assert [r[8] for r in rows if r[3] == due_in_nine_days.pk] == ["due_soon"]
