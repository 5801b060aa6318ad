"""The benchmark's floors return the same numbers and rows as the cases they are set
against, on a small generated dataset, for a national and a province user."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from directives.selectors import my_work_for_user
from measure.floors import figures_floor, my_work_floor, run_floor, search_floor, sweep_floor
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


def _scope(user: User) -> str | None:
    return None if user.scope.everything else user.scope.path


@pytest.mark.parametrize("username", ["load.national", "load.p0.viewer"])
def test_figures_floor_gives_the_figures(load, username, settings):
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


def test_my_work_floor_gives_the_rows_and_counts(load, settings):
    settings.DUE_SOON_DAYS = 10
    user = User.objects.get(username="load.p0.commune")
    rows, _, counts = my_work_for_user(user=user)
    page, by_status = run_floor(
        my_work_floor(unit_id=user.unit_id, scope_path=_scope(user), today=timezone.localdate())
    )
    assert [(a.pk, a.current_status) for a in rows[:25]] == [(r[0], r[1]) for r in page]
    assert {k.value: v for k, v in counts.items() if v} == dict(by_status)


def test_sweep_floor_reads_what_the_sweep_reads(load):
    today = timezone.localdate()
    sweep = ReminderSweep(today=today, units_per_batch=200, chunk_size=2000)
    read = [a.pk for a in sweep.assignments()]
    rows, _ = run_floor(sweep_floor(today=today))
    assert read == [r[0] for r in rows]


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
