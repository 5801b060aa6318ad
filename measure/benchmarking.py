"""Measurements of the pages and jobs that must stay fast at national size.

Each case runs warm, several times, through Django's test client (server time only, no
network) or by calling the job directly; it reports the median and 95th percentile time,
the number of queries, and the time of one hand-written SQL statement that computes the
same figures (the floor), with the ratio between them. Memory is measured for jobs during
the first timed run, by sampling the process's resident memory from a thread.

These are measurements, not tests: nothing here asserts a figure.
"""

from __future__ import annotations

import datetime
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import psutil
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directives.models import Assignment, Directive
from directives.status import status_expression
from notifications.reminders import reminders_sweep
from reports.aggregates import Slice, figures_compute
from reports.exports import figures_xlsx, rollup_docx
from reports.models import ReportingPeriod
from reports.services import (
    reporting_periods_ensure,
    rollup_build,
    rollup_create,
)
from units.models import Unit, User


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    floor_ms: float | None
    ratio: float | None
    peak_mb: float | None
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _time_sql(sql: str, params: list, runs: int) -> float:
    """Median milliseconds of one SQL statement, fetched whole."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


class RssSampler:
    """Peak resident memory of this process while a job runs, above what it held before:
    sampled from a thread, so the job runs at full speed (tracemalloc slows it tenfold)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.process = psutil.Process()
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline
        self.running = True
        self.thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self.thread.start()

    def _sample(self, interval: float) -> None:
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(interval)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)
        return (self.peak - self.baseline) / 1024 / 1024


@dataclass
class Case:
    name: str
    run: Callable[[], object]  # one execution; raises on failure
    floor_sql: str | None = None
    floor_params: list | None = None
    measure_memory: bool = False
    rollback: bool = False  # jobs that write run inside a transaction rolled back after


def measure(case: Case, runs: int) -> Result:
    def once() -> None:
        if case.rollback:
            with transaction.atomic():
                case.run()
                transaction.set_rollback(True)
        else:
            case.run()

    once()  # warm caches, templates and the database's buffers
    # Counted with a wrapper: the query log is reset at the start of every request.
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        once()
    times = []
    peak = None
    for run in range(runs):
        sampler = RssSampler() if case.measure_memory and run == 0 else None
        started = time.perf_counter()
        once()
        times.append((time.perf_counter() - started) * 1000)
        if sampler is not None:
            peak = sampler.stop()
    floor = _time_sql(case.floor_sql, case.floor_params or [], runs) if case.floor_sql else None
    median = statistics.median(times)
    return Result(
        name=case.name,
        median_ms=round(median, 1),
        p95_ms=round(_percentile(times, 0.95), 1),
        queries=len(executed),
        floor_ms=round(floor, 1) if floor is not None else None,
        ratio=round(median / floor, 1) if floor else None,
        peak_mb=round(peak, 1) if peak is not None else None,
    )


def page(client: Client, url: str) -> Callable[[], object]:
    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return get


def client_for(username: str) -> Client:
    # The test client calls itself "testserver", which ALLOWED_HOSTS rightly refuses.
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    return client


# --- Floors: one statement computing the same figures as the page or job --------------


def dashboard_floor(path: str) -> tuple[str, list]:
    """Status counts by unit in a subtree: what a dashboard's unit table shows, in one
    statement that takes its status rules from directives.status."""
    counts = (
        Assignment.objects.filter(unit__path__startswith=path)
        .annotate(s=status_expression())
        .values("unit_id", "s")
        .annotate(n=Count("id"))
        .order_by()
    )
    sql, params = counts.query.sql_with_params()
    return sql, list(params)


def build_cases(runs_hint: int = 10) -> list[Case]:
    """The cases of the issue, on the dataset generate_load builds."""
    cases: list[Case] = []
    national = client_for("load.national")
    province_user = User.objects.get(username="load.p0.viewer")
    province = client_for("load.p0.viewer")
    commune_user = User.objects.get(username="load.p0.commune")
    commune = client_for("load.p0.commune")
    monitor = client_for("load.p0.monitor")
    admin = client_for("load.admin")
    root_path = User.objects.get(username="load.national").unit.path
    province_path = province_user.unit.path

    sql, params = dashboard_floor(root_path)
    dashboard = reverse("reports:dashboard")
    cases.append(Case("dashboard, national", page(national, dashboard), sql, params))
    sql, params = dashboard_floor(province_path)
    cases.append(Case("dashboard, province", page(province, dashboard), sql, params))
    # What a worker does when the stored figures are out of date (and a page does the first
    # time a slice is viewed): every figure computed again, outside any page.
    cases.extend(recompute_cases(root_path, province_path))

    cases.append(
        Case(
            "my work, commune user",
            page(commune, reverse("progress:my_work")),
            "SELECT a.id, a.due_on FROM directives_assignment a WHERE a.unit_id = %s "
            "ORDER BY a.completed_on IS NOT NULL, a.due_on LIMIT 25",
            [commune_user.unit_id],
        )
    )
    year = timezone.localdate().year - 1
    cases.append(
        Case(
            "directive list, search and two filters",
            page(monitor, f"{reverse('directives:list')}?q=dan+van&kind=KL&year={year}"),
            "SELECT d.id, d.code FROM directives_directive d JOIN units_unit u "
            "ON u.id = d.issuer_id WHERE d.search_text LIKE %s AND d.kind = 'KL' "
            "AND EXTRACT(year FROM d.issued_on) = %s ORDER BY d.issued_on DESC LIMIT 25",
            ["%dan van%", year],
        )
    )
    big = (
        Directive.objects.annotate(n=Count("tasks__assignments"))
        .filter(n__gte=500)
        .order_by("n")
        .first()
    )
    if big is not None:
        cases.append(
            Case(
                f"directive page, {big.n} assignments",  # type: ignore[attr-defined]
                page(admin, reverse("directives:detail", args=[big.pk])),
                "SELECT t.id, a.id, a.unit_id, u.name, a.due_on, a.progress "
                "FROM directives_task t JOIN directives_assignment a ON a.task_id = t.id "
                "JOIN units_unit u ON u.id = a.unit_id WHERE t.directive_id = %s",
                [big.pk],
            )
        )

    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=7)
    cases.append(
        Case(
            "reminder sweep (queues, rolled back)",
            lambda: reminders_sweep(today=today),
            "SELECT a.unit_id, a.id, a.due_on FROM directives_assignment a "
            "WHERE a.completed_on IS NULL AND NOT a.cancelled AND a.due_on <= %s "
            "ORDER BY a.unit_id",
            [horizon],
            measure_memory=True,
            rollback=True,
        )
    )
    cases.extend(report_cases(province_user, root_path, province_path))
    cases.extend(search_cases(national, monitor, commune))
    return cases


def search_cases(national: Client, monitor: Client, commune: Client) -> list[Case]:
    """The header search (directives, tasks and units, accents ignored) and the directive
    list searching task texts, for a national, a province and a commune user. The floor
    is the same word match on the stored task keys alone, unscoped."""
    words = "dan van"
    floor = "SELECT task_id FROM search_tasksearchtext WHERE text LIKE %s AND text LIKE %s LIMIT 10"
    params = ["%dan%", "%van%"]
    url = f"{reverse('search:results')}?q={words.replace(' ', '+')}"
    listing = f"{reverse('directives:list')}?q={words.replace(' ', '+')}"
    return [
        Case("search, national", page(national, url), floor, params),
        Case("search, province monitor", page(monitor, url), floor, params),
        Case("search, commune", page(commune, url), floor, params),
        Case("directive list searching tasks, national", page(national, listing), floor, params),
    ]


def recompute_cases(root_path: str, province_path: str) -> list[Case]:
    today = timezone.localdate()
    cases = []
    for label, path in (("national", root_path), ("province", province_path)):
        s = Slice(path=path, as_of=today, start=datetime.date(today.year, 1, 1))
        root = Unit.objects.get(path=path)
        sql, params = dashboard_floor(path)
        cases.append(
            Case(
                f"dashboard figures recomputed, {label}",
                lambda s=s, root=root: figures_compute(s=s, root=root, overdue_limit=20),
                sql,
                params,
            )
        )
    return cases


def report_cases(province_user: User, root_path: str, province_path: str) -> list[Case]:
    """Roll-up builds and exports, through the reports app's own services."""
    year = timezone.localdate().year
    reporting_periods_ensure(year=year)
    period = ReportingPeriod.objects.filter(kind="year", start_on__year=year).first()
    province = province_user.unit.committee()
    root = Unit.objects.get(path=root_path)

    def build(committee: Unit) -> Callable[[], object]:
        def run() -> None:
            report = rollup_create(by=None, committee=committee, period=period, build=False)
            if not rollup_build(report_id=report.pk):
                raise RuntimeError("the roll-up was not built")

        return run

    cases = []
    sql, params = dashboard_floor(province_path)
    cases.append(Case("roll-up build, province", build(province), sql, params, True, True))
    sql_all, params_all = dashboard_floor(root_path)
    cases.append(Case("roll-up build, national", build(root), sql_all, params_all, True, True))
    # One stored province report, built once, for the exports.
    report = rollup_create(by=None, committee=province, period=period, build=False)
    rollup_build(report_id=report.pk)
    report.refresh_from_db()
    cases.append(Case("export .docx, province report", lambda: rollup_docx(report), sql, params))
    cases.append(
        Case(
            "export .xlsx, province report",
            lambda: figures_xlsx(
                figures=report.figures, title=report.code, narratives=report.narratives
            ),
            sql,
            params,
        )
    )
    return cases


def run_benchmark(*, runs: int, only: str | None = None, echo=print) -> list[Result]:
    results = []
    for case in build_cases():
        if only and only not in case.name:
            continue
        started = time.monotonic()
        results.append(measure(case, runs))
        echo(f"… {case.name}: {time.monotonic() - started:.0f} s")
    return results


def format_table(results: list[Result]) -> str:
    header = (
        f"{'case':<44} {'median':>9} {'p95':>9} {'queries':>8} {'floor':>8} {'ratio':>6} "
        f"{'peak MB':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.name:<44} {r.median_ms:>8.1f}ms {r.p95_ms:>7.1f}ms {r.queries:>8} "
            f"{(f'{r.floor_ms:.1f}ms' if r.floor_ms is not None else '-'):>8} "
            f"{(f'{r.ratio:.1f}' if r.ratio is not None else '-'):>6} "
            f"{(f'{r.peak_mb:.1f}' if r.peak_mb is not None else '-'):>8}"
        )
    return "\n".join(lines)
