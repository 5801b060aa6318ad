"""A synthetic national dataset for measuring the system at the size it must serve.

At ``scale=1``: the map since 1 July 2025, 34 provinces of about 100 communes with their
bodies directly under them (about 21,000 units) and three closed district-level
committees per province that older documents were issued by; 5,000 directives, about a
million assignments and three million progress reports over five years. Rows are written
with PostgreSQL COPY in large batches, with triggers (audit history) switched off for
the load's own session only, since no person made these changes. Distributions are
skewed the way real ones are: most units on time, a tenth of them far worse, some
provinces worse than others, a few very large central directives given to every commune.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from measure.loadgen.copying import Copier, Counter, max_id, reset_sequence
from measure.loadgen.organisation import (
    UNIT_COLUMNS,
    USER_COLUMNS,
    build_units,
    build_users,
    record_closures,
)
from measure.loadgen.plan import LoadPlan
from measure.loadgen.work import (
    ASSIGNMENT_COLUMNS,
    DIRECTIVE_COLUMNS,
    REPORT_COLUMNS,
    TASK_COLUMNS,
    build_work,
)
from search.services import task_search_texts_fill

TABLES = {
    "unit": "units_unit",
    "user": "units_user",
    "directive": "directives_directive",
    "task": "directives_task",
    "assignment": "directives_assignment",
    "report": "directives_progressreport",
}
# Written from the loaded rows rather than loaded.
DERIVED_TABLES = ["directives_directivereach", "search_tasksearchtext"]


def generate_load(
    *,
    scale: float = 1.0,
    seed: int = 2025,
    progress: Callable[[str], None] = print,
    today: datetime.date | None = None,
) -> dict[str, float]:
    """Generate the dataset into an empty database.

    1. plan the counts for ``scale``;
    2. inside one transaction, with this session's triggers off (audit rows are for
       people's changes), COPY units, users, directives, tasks, assignments and reports;
    3. do what the triggers would have: count the change for the stored dashboard figures
       (reports.FigureVersion) and add the directives' reach (directives.DirectiveReach);
    4. move the id sequences past the new rows, vacuum and refresh the planner's statistics.
    """
    today = today or timezone.localdate()
    plan = LoadPlan.for_scale(scale)
    rng = random.Random(seed)
    started = time.monotonic()
    progress(
        f"Quy mô {scale}: {plan.provinces} tỉnh × {plan.communes} xã, {plan.directives:,} văn "
        f"bản, khoảng {plan.assignments:,} lượt giao việc, {plan.reports:,} báo cáo"
    )
    ids = {key: Counter(max_id(table) + 1) for key, table in TABLES.items()}
    first_assignment = max_id(TABLES["assignment"]) + 1
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        units = Copier(TABLES["unit"], UNIT_COLUMNS)
        world = build_units(plan, rng, units, ids["unit"])
        units.flush()
        record_closures(world)
        progress(f"  {units.total:,} đơn vị ({time.monotonic() - started:.0f} s)")
        users = Copier(TABLES["user"], USER_COLUMNS)
        build_users(world, users, ids["user"], make_password("load12345"))
        users.flush()
        copiers = {
            "directive": Copier(TABLES["directive"], DIRECTIVE_COLUMNS, batch=20_000),
            "task": Copier(TABLES["task"], TASK_COLUMNS),
            "assignment": Copier(TABLES["assignment"], ASSIGNMENT_COLUMNS),
            "report": Copier(TABLES["report"], REPORT_COLUMNS, batch=200_000),
        }
        # Parents before children, so each COPY sees its references already there.
        order = ["directive", "task", "assignment", "report"]

        class Ordered:
            """Flush in dependency order whenever any buffer fills."""

            def __init__(self, key: str) -> None:
                self.key = key
                self.inner = copiers[key]

            def add(self, row) -> None:
                inner = self.inner
                inner.writer.writerow(["\\N" if v is None else v for v in row])
                inner.pending += 1
                if inner.pending >= inner.batch:
                    for k in order:
                        copiers[k].flush()

        ordered = {key: Ordered(key) for key in copiers}
        totals = build_work(plan, world, rng, ordered, ids, today, progress)  # type: ignore[arg-type]
        for key in order:
            copiers[key].flush()
        with connection.cursor() as cursor:
            # The change-count triggers were off with the rest: count the load as a
            # change of every branch, so no stored dashboard figures pass for current.
            cursor.execute("SELECT reports_figures_bump(ARRAY['*'])")
            # The same for the units each directive is assigned to (directives.DirectiveReach).
            cursor.execute(
                "INSERT INTO directives_directivereach AS r (directive_id, unit_id, assignments) "
                "SELECT t.directive_id, a.unit_id, count(*) FROM directives_assignment a "
                "JOIN directives_task t ON t.id = a.task_id WHERE a.id >= %s GROUP BY 1, 2 "
                "ON CONFLICT (directive_id, unit_id) "
                "DO UPDATE SET assignments = r.assignments + EXCLUDED.assignments",
                [first_assignment],
            )
        # And the tasks' search keys (search.TaskSearchText).
        task_search_texts_fill()
    for table in TABLES.values():
        reset_sequence(table)
    # Where autovacuum runs it would soon vacuum the loaded tables; a server may run without
    # it (this one's benchmark machine does), so the load does it: the visibility map lets
    # the visibility rule read the reach table's (unit, directive) index alone, and the
    # trigram index's pending entries are merged. Inside a transaction (the tests), VACUUM
    # cannot run: ANALYZE only.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in [*TABLES.values(), *DERIVED_TABLES]:
            cursor.execute(f"{command} {table}")
    elapsed = time.monotonic() - started
    progress(
        f"Xong sau {elapsed:.0f} s: {units.total:,} đơn vị, {users.total:,} tài khoản, "
        f"{totals.directives:,} văn bản, {totals.tasks:,} nhiệm vụ, "
        f"{totals.assignments:,} lượt giao việc, {totals.reports:,} báo cáo."
    )
    return {
        "units": units.total,
        "users": users.total,
        "directives": totals.directives,
        "tasks": totals.tasks,
        "assignments": totals.assignments,
        "reports": totals.reports,
        "seconds": elapsed,
    }
