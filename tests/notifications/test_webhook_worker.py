"""Webhooks end to end: the domain's events, a real Celery worker process on the test
database and Redis, and a real HTTP receiver on loopback. The receiver checks every
signature, answers 500 once (the delivery is retried), and after the worker is killed
while a retry waits and started again, every (event, endpoint) has been accepted once."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app, broker_skip_reset, hand_over
from directives.services.assignments import task_assign
from directives.services.progress import assignment_submit_progress
from directives.status import local_today
from notifications.models import NotificationStatus, WebhookDelivery, WebhookEvent
from notifications.services import FLUSH
from notifications.webhooks import signature_valid, webhook_endpoint_create
from tests.factories import TaskFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Quick retries and a short in-flight window, so the test fits in seconds.
WORKER_ENV = {
    "WEBHOOK_RETRY_BASE_SECONDS": "2",
    "WEBHOOK_TIMEOUT_SECONDS": "2",
    "WEBHOOK_CLAIM_SECONDS": "6",
}


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Worker:
    """``celery worker`` in a process of its own on the e-mail and webhook queues."""

    def __init__(self, log: Path) -> None:
        db = connection.settings_dict
        host = quote(db["HOST"] or "127.0.0.1", safe="")
        auth = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        self.env = {
            **os.environ,
            **WORKER_ENV,
            "DATABASE_URL": f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": settings.CELERY_BROKER_URL,
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "-Q", "email,webhooks", "--without-heartbeat", "--without-gossip",
             "--without-mingle", "-l", "INFO", "-f", str(self.log)],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: " ready." in self.log.read_text(), 60, "the worker to start")

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
    """Stands in for celery beat: the outbox's flush job every second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            with hand_over("beat tick skipped") as send:
                send(FLUSH)


@pytest.fixture
def worker(tmp_path):
    app.control.purge()
    broker_skip_reset()
    process = Worker(tmp_path / "worker.log")
    process.start()
    yield process
    process.stop()


def accepted(receiver) -> Counter:
    """(event, delivery id) → how many times the receiver answered 200 to it."""
    return Counter(
        (r["headers"]["X-Webhook-Event"], r["headers"]["X-Webhook-Id"])
        for r in receiver.answered(200)
    )


def test_webhooks_are_signed_retried_after_a_500_and_never_doubled_by_a_restart(
    province, receiver, worker
):
    endpoints = [
        webhook_endpoint_create(
            name=f"Hệ thống {n}",
            url=receiver.url,
            events=[WebhookEvent.TASK_ASSIGNED, WebhookEvent.REPORT_SUBMITTED],
        )
        for n in (1, 2)
    ]
    secrets = {str(e.pk): e.secret for e in endpoints}
    receiver.fail = 1  # the first POST is answered 500

    # 1. A task given to two units, and a report: 3 events × 2 endpoints.
    task = TaskFactory(
        directive=province["directive"], due_on=local_today() + datetime.timedelta(days=20)
    )
    front, _farmers = task_assign(
        task=task, units=[province["front"], province["farmers"]], announce=True
    )
    assignment_submit_progress(
        assignment=front, author=province["leader"], percent=50, results="Đã quán triệt."
    )
    assert WebhookDelivery.objects.count() == 6
    receiver.wait_for(6, timeout=60)
    wait_until(
        lambda: not WebhookDelivery.objects.exclude(status=NotificationStatus.SENT).exists(),
        30,
        "every delivery recorded as sent",
    )
    [failed] = receiver.answered(500)
    retried = WebhookDelivery.objects.get(pk=failed["headers"]["X-Webhook-Id"])
    assert (retried.attempts, retried.last_status_code) == (2, 200)
    assert WebhookDelivery.objects.filter(attempts=1, last_status_code=200).count() == 5

    # 2. Every request is signed with its endpoint's secret over the exact body.
    for request in receiver.requests:
        headers = request["headers"]
        delivery = WebhookDelivery.objects.get(pk=headers["X-Webhook-Id"])
        assert signature_valid(
            secrets[str(delivery.endpoint_id)],
            headers["X-Webhook-Timestamp"],
            request["body"],
            headers["X-Webhook-Signature"],
        )
        assert request["body"].decode() == delivery.body

    # 3. A second task; its first POST fails and the worker is killed while the retry
    #    waits in its memory. A new worker and the flush job deliver it, once.
    receiver.fail = 1
    later = TaskFactory(directive=province["directive"])
    task_assign(task=later, units=[province["front"]], announce=True)
    rows = WebhookDelivery.objects.filter(event_key__endswith=f":{later.assignments.get().pk}")
    wait_until(
        lambda: (
            sorted(rows.values_list("status", "attempts"))
            == [(NotificationStatus.PENDING, 1), (NotificationStatus.SENT, 1)]
        ),
        30,
        "one delivery sent and one waiting for its retry",
    )
    worker.kill()
    worker.start()
    beat = Beat()
    beat.start()
    try:
        receiver.wait_for(8, timeout=60)
        wait_until(
            lambda: not WebhookDelivery.objects.exclude(status=NotificationStatus.SENT).exists(),
            30,
            "the deliveries of the second task",
        )
        # 4. Restarted once more, with the flush job running: nothing is posted again.
        worker.stop()
        worker.start()
        time.sleep(4)
    finally:
        beat.stopping.set()
        beat.join()
    counts = accepted(receiver)
    assert len(counts) == 8 and set(counts.values()) == {1}, counts
    assert Counter(event for event, _id in counts) == {"task.assigned": 6, "report.submitted": 2}
    assert len(receiver.answered(500)) == 2
