"""``manage.py loadtest``: people at work on the national dataset, against gunicorn with
production settings on loopback.

1. the leaders' dashboards and their downloads have stored figures, as a day's use and
   the periodic job leave them (computed first when they have none: a slice's first
   computation is what ``benchmark`` measures); gunicorn serves the project
   (``DJANGO_DEBUG=0``, the hashed static manifest, the Procfile's workers and threads) on
   a free loopback port, and a Celery worker takes the ``figures`` queue, so figures the
   run makes out of date are computed again beside it as in production;
2. locust, headless, drives ``--users`` people (staff submitting progress with a PDF,
   monitors deciding on reports, leaders reading dashboards and exporting them) for
   ``--run-time`` seconds (``measure/loadtest/locustfile.py``);
3. the run checks that every report locust saw accepted is in the database, prints one
   row per kind of request (requests, failures, median, p95, max) and writes it all as
   JSON, with whether p95 stayed under 1 s. It exits non-zero when a request failed or
   a report was lost (timings are read, not asserted: machines are noisy).
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from directives.models import ProgressReport
from measure.loadtest import marker
from reports.figure_cache import figures_refresh
from reports.models import FigureCache
from reports.selectors import dashboard_for_user
from reports.views import dashboard_figures
from units.models import Unit, User

LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"
P95_TARGET_MS = 1000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The database this command uses, for gunicorn (in a test, the test database)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("gunicorn dừng ngay khi khởi động; xem nhật ký phía trên.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"gunicorn không trả lời {url} sau {seconds:.0f} s.")


def _read_stats(prefix: str) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "median_ms": float(row["Median Response Time"] or 0),
                    "p95_ms": float(row["95%"] if row["95%"] != "N/A" else 0),
                    "max_ms": float(row["Max Response Time"] or 0),
                    "rps": float(row["Requests/s"] or 0),
                }
            )
    return rows


def _read_failures(prefix: str) -> list[dict]:
    """What failed, as locust records it: the request, the error and how often."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [
            {"name": row["Name"], "error": row["Error"], "occurrences": int(row["Occurrences"])}
            for row in csv.DictReader(handle)
        ]


def format_table(rows: list[dict]) -> str:
    lines = [
        "| request | count | failures | median | p95 | max |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        name = "all requests" if row["name"] == "Aggregated" else f"{row['type']} {row['name']}"
        lines.append(
            f"| {name} | {row['requests']:,} | {row['failures']} | {row['median_ms']:.0f} ms "
            f"| {row['p95_ms']:.0f} ms | {row['max_ms']:.0f} ms |"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Load test on the dataset of generate_load: gunicorn with production settings on "
        "loopback, locust headless; prints a table, writes JSON, checks nothing was lost."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--users", type=int, default=50, help="concurrent people")
        parser.add_argument(
            "--spawn-rate", type=float, default=1, help="people starting per second"
        )
        parser.add_argument("--run-time", type=int, default=180, help="seconds")
        parser.add_argument("--json", dest="json_path", default="var/loadtest.json")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")

    @staticmethod
    def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
        # fmt: off
        return [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(threads), "--timeout", "60", "--keep-alive", "20",
            "--no-control-socket",
            "--log-level", "warning",
        ]
        # fmt: on

    @staticmethod
    def worker_command() -> list[str]:
        # fmt: off
        return [
            sys.executable, "-m", "celery", "-A", "config", "--quiet", "worker",
            "--queues", "figures",
            "--concurrency", "1", "--loglevel", "WARNING", "--without-heartbeat",
            "--without-gossip", "--without-mingle", "--hostname", f"loadtest-{os.getpid()}@%h",
        ]
        # fmt: on

    def warm_dashboards(self) -> None:
        """Stores current figures for every load leader's dashboard and download (one
        computation each that has none current)."""
        started = time.monotonic()
        leaders = User.objects.filter(username__regex=r"^load\.(national|p[0-9]+\.viewer)$")
        for user in leaders.select_related("unit"):
            dashboard = dashboard_for_user(user=user, filters={})
            for stored in (dashboard_figures(dashboard), dashboard_figures(dashboard, whole=True)):
                if not stored.current:  # stored by an earlier run, out of date since
                    figures_refresh(FigureCache.objects.get(key=stored.key).params)
        self.stderr.write(
            f"Số liệu đã lưu của {leaders.count()} bảng điều khiển và bản tải về: "
            f"{time.monotonic() - started:.0f} s."
        )

    @staticmethod
    def locust_command(users: int, rate: float, seconds: int, host: str, work: Path) -> list[str]:
        # fmt: off
        return [
            sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
            "--users", str(users), "--spawn-rate", str(rate), "--run-time", f"{seconds}s",
            "--stop-timeout", "30", "--host", host, "--csv", str(work / "stats"),
            "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
        ]
        # fmt: on

    def handle(self, *args, users, spawn_rate, run_time, json_path, workers, threads, **opts):
        if users < 1 or run_time < 10:
            raise CommandError("--users phải lớn hơn 0 và --run-time ít nhất 10 giây.")
        if not User.objects.filter(username="load.national").exists():
            raise CommandError("Chưa có dữ liệu đo: chạy `python manage.py generate_load` trước.")
        provinces = User.objects.filter(username__regex=r"^load\.p[0-9]+\.staff$").count()

        run = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        work = Path(tempfile.mkdtemp(prefix="loadtest-"))
        ledger = work / "accepted.txt"
        ledger.touch()
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": _database_url(),
            "SITE_URL": host,
            "LOADTEST_RUN": run,
            "LOADTEST_LEDGER": str(ledger),
            "LOADTEST_PROVINCES": str(provinces),
        }
        before = ProgressReport.objects.count()
        # The hashed static manifest production serves, collected with gunicorn's settings.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        self.warm_dashboards()
        web = subprocess.Popen(
            self.gunicorn_command(port, workers, threads), cwd=settings.BASE_DIR, env=env
        )
        worker = subprocess.Popen(self.worker_command(), cwd=settings.BASE_DIR, env=env)
        try:
            _wait_until_up(f"{host}/accounts/login/", web)
            self.stderr.write(
                f"{users} người dùng, {run_time} s, trên {host} "
                f"({Unit.objects.count():,} đơn vị, {before:,} báo cáo tiến độ)…"
            )
            started = time.monotonic()
            locust_log = work / "locust.log"
            with open(locust_log, "w", encoding="utf-8") as log:
                locust = subprocess.run(
                    self.locust_command(users, spawn_rate, run_time, host, work),
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    check=False,
                )
            elapsed = time.monotonic() - started
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        if locust.returncode not in (0, 1):
            self.stderr.write(locust_log.read_text(encoding="utf-8")[-4000:])
            raise CommandError(f"locust dừng với mã {locust.returncode}.")

        rows = _read_stats(str(work / "stats"))
        accepted = [line for line in ledger.read_text(encoding="utf-8").splitlines() if line]
        stored = ProgressReport.objects.filter(results__contains=marker(run)).values_list(
            "results", flat=True
        )
        stored_markers = {text[text.index("[tải thử") :] for text in stored}
        lost = sorted(set(accepted) - stored_markers)
        total = next((row for row in rows if row["name"] == "Aggregated"), None)
        failures = total["failures"] if total else 0
        p95 = total["p95_ms"] if total else 0
        verdict = {
            "p95_below_1s": p95 < P95_TARGET_MS,
            "no_failures": failures == 0,
            "nothing_lost": not lost,
        }
        result = {
            "run": run,
            "users": users,
            "run_time_s": run_time,
            "elapsed_s": round(elapsed, 1),
            "gunicorn": {"workers": workers, "threads": threads, "debug": False},
            "celery": {"queues": ["figures"], "concurrency": 1},
            "units": Unit.objects.count(),
            "reports_before": before,
            "reports_accepted_by_server": len(accepted),
            "reports_found_in_database": len(accepted) - len(lost),
            "lost": lost,
            "requests": rows,
            "failures": _read_failures(str(work / "stats")),
            "targets": verdict,
        }
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(result, ensure_ascii=False, indent=2))
        self.stdout.write(format_table(rows))
        for failure in result["failures"]:
            self.stdout.write(
                f"Lỗi: {failure['name']}: {failure['error']} ({failure['occurrences']} lần)"
            )
        self.stdout.write(
            f"\nBáo cáo tiến độ được nhận: {len(accepted):,}; có trong cơ sở dữ liệu: "
            f"{len(accepted) - len(lost):,}; mất: {len(lost)}."
        )
        self.stdout.write(
            "Mục tiêu: p95 < 1 s: {}; 0 lỗi: {}; không mất báo cáo: {}.".format(
                *("đạt" if ok else "KHÔNG ĐẠT" for ok in verdict.values())
            )
        )
        self.stdout.write(f"JSON: {json_path}")
        shutil.rmtree(work, ignore_errors=True)
        if failures or lost:
            raise CommandError("Có yêu cầu lỗi hoặc báo cáo bị mất.")
