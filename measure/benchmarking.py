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
import gc
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

from directives.models import Directive
from measure.floors import (
    Floor,
    directive_list_floor,
    directive_list_search_floor,
    directive_page_floor,
    figures_floor,
    my_work_floor,
    run_floor,
    search_floor,
    stored_figures_floor,
    stored_report_floor,
    sweep_floor,
)
from notifications.reminders import reminders_sweep
from reports.aggregates import Slice, figures_compute
from reports.exports import figures_xlsx, rollup_docx
from reports.figure_cache import BRANCH_LENGTH, params_key, slice_params
from reports.models import SHARED_BRANCH, ReportingPeriod
from reports.selectors import dashboard_for_user
from reports.services import (
    ROLLUP_OVERDUE_LIMIT,
    reporting_periods_ensure,
    rollup_build,
    rollup_create,
)
from reports.views import DASHBOARD_OVERDUE_ROWS
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


def _time_floor(floor: Floor, runs: int) -> float:
    """Median milliseconds of a floor's statements, each fetched whole."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        run_floor(floor)
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
    floor: Floor | None = None
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
    floor = _time_floor(case.floor, runs) if case.floor else None
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


# --- Cases and their floors (measure/floors.py) -----------------------------------------


def _scope(user: User) -> str | None:
    return None if user.scope.everything else user.scope.path


def dashboard_floor(user: User) -> Floor:
    """The dashboard as the page serves it, from stored figures."""
    dashboard = dashboard_for_user(user=user, filters={})
    params = slice_params(
        dashboard.slice,
        root_id=dashboard.root.pk if dashboard.root else None,
        overdue_limit=DASHBOARD_OVERDUE_ROWS,
    )
    return stored_figures_floor(
        key=params_key(params),
        path=dashboard.slice.path,
        branch_length=BRANCH_LENGTH,
        shared=SHARED_BRANCH,
    )


def build_cases(runs_hint: int = 10) -> list[Case]:
    """The cases of the issue, on the dataset generate_load builds."""
    cases: list[Case] = []
    national_user = User.objects.get(username="load.national")
    national = client_for("load.national")
    province_user = User.objects.get(username="load.p0.viewer")
    province = client_for("load.p0.viewer")
    commune_user = User.objects.get(username="load.p0.commune")
    commune = client_for("load.p0.commune")
    monitor_user = User.objects.get(username="load.p0.monitor")
    monitor = client_for("load.p0.monitor")
    admin = client_for("load.admin")
    root_path = national_user.unit.path
    province_path = province_user.unit.path
    today = timezone.localdate()

    dashboard = reverse("reports:dashboard")
    page(national, dashboard)()  # the stored figures the floor reads
    page(province, dashboard)()
    cases.append(
        Case("dashboard, national", page(national, dashboard), dashboard_floor(national_user))
    )
    cases.append(
        Case("dashboard, province", page(province, dashboard), dashboard_floor(province_user))
    )
    # What a worker does when the stored figures are out of date (and a page does the first
    # time a slice is viewed): every figure computed again, outside any page.
    cases.extend(recompute_cases(root_path, province_path))

    cases.append(
        Case(
            "my work, commune user",
            page(commune, reverse("progress:my_work")),
            my_work_floor(
                unit_id=commune_user.unit_id, scope_path=_scope(commune_user), today=today
            ),
        )
    )
    year = today.year - 1
    cases.append(
        Case(
            "directive list, search and two filters",
            page(monitor, f"{reverse('directives:list')}?q=dan+van&kind=KL&year={year}"),
            directive_list_floor(
                scope_path=_scope(monitor_user),
                words=["dan", "van"],
                kind="KL",
                year=year,
                today=today,
            ),
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
                directive_page_floor(directive_id=big.pk, scope_path=None, today=today),
            )
        )

    cases.append(
        Case(
            "reminder sweep (queues, rolled back)",
            lambda: reminders_sweep(today=today),
            sweep_floor(today=today),
            measure_memory=True,
            rollback=True,
        )
    )
    cases.extend(report_cases(province_user, root_path, province_path))
    cases.extend(search_cases(national_user, monitor_user, commune_user))
    return cases


def search_cases(national_user: User, monitor_user: User, commune_user: User) -> list[Case]:
    """The header search (directives, tasks and units, accents ignored) and the directive
    list searching task texts, for a national, a province and a commune user. Each floor is
    the same word match under the same user's scope."""
    words = "dan van"
    url = f"{reverse('search:results')}?q={words.replace(' ', '+')}"
    listing = f"{reverse('directives:list')}?q={words.replace(' ', '+')}"
    cases = []
    for label, user in (
        ("national", national_user),
        ("province monitor", monitor_user),
        ("commune", commune_user),
    ):
        floor = search_floor(scope_path=_scope(user), words=words.split())
        cases.append(Case(f"search, {label}", page(client_for(user.username), url), floor))
    cases.append(
        Case(
            "directive list searching tasks, national",
            page(client_for(national_user.username), listing),
            directive_list_search_floor(scope_path=_scope(national_user), words=words.split()),
        )
    )
    return cases


def recompute_cases(root_path: str, province_path: str) -> list[Case]:
    today = timezone.localdate()
    cases = []
    for label, path in (("national", root_path), ("province", province_path)):
        start = datetime.date(today.year, 1, 1)
        s = Slice(path=path, as_of=today, start=start)
        root = Unit.objects.get(path=path)
        cases.append(
            Case(
                f"dashboard figures recomputed, {label}",
                lambda s=s, root=root: figures_compute(s=s, root=root, overdue_limit=20),
                figures_floor(path=path, as_of=today, start=start, overdue_limit=20),
            )
        )
    return cases


def report_cases(province_user: User, root_path: str, province_path: str) -> list[Case]:
    """Roll-up builds and exports, through the reports app's own services."""
    today = timezone.localdate()
    year = today.year
    reporting_periods_ensure(year=year)
    period = ReportingPeriod.objects.filter(kind="year", start_on__year=year).first()
    province = province_user.unit.committee()
    root = Unit.objects.get(path=root_path)
    as_of = min(period.end_on, today) if period.start_on <= today else period.end_on

    def build(committee: Unit) -> Callable[[], object]:
        def run() -> None:
            report = rollup_create(by=None, committee=committee, period=period, build=False)
            if not rollup_build(report_id=report.pk):
                raise RuntimeError("the roll-up was not built")

        return run

    def floor(committee: Unit) -> Floor:
        return figures_floor(
            path=committee.path,
            as_of=as_of,
            start=period.start_on,
            overdue_limit=ROLLUP_OVERDUE_LIMIT,
        )

    cases = [
        Case("roll-up build, province", build(province), floor(province), True, True),
        Case("roll-up build, national", build(root), floor(root), True, True),
    ]
    # One stored province report, built once, for the exports.
    report = rollup_create(by=None, committee=province, period=period, build=False)
    rollup_build(report_id=report.pk)
    report.refresh_from_db()
    stored = stored_report_floor(report_id=report.pk)
    cases.append(Case("export .docx, province report", lambda: rollup_docx(report), stored))
    cases.append(
        Case(
            "export .xlsx, province report",
            lambda: figures_xlsx(
                figures=report.figures, title=report.code, narratives=report.narratives
            ),
            stored,
        )
    )
    return cases


def explain(*, only: str | None = None) -> str:
    """Every case's floor, as the SQL the benchmark times."""
    parts = []
    for case in build_cases():
        if only and only not in case.name:
            continue
        parts.append(f"-- {case.name}\n{case.floor.sql() if case.floor else '-- (no floor)'}")
    return "\n\n".join(parts)


def run_benchmark(*, runs: int, only: str | None = None, echo=print) -> list[Result]:
    results = []
    cases = build_cases()
    # Setting the cases up leaves this process a heap no web worker has (the stored
    # roll-ups and clients of every case); without this, a full collection of it lands in
    # one timed run of whichever case happens to trigger it.
    gc.collect()
    gc.freeze()
    for case in cases:
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
