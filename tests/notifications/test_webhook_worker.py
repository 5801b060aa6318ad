"""Webhooks end to end: the domain's events, a real Celery worker process on the test
database and Redis, and a real HTTP receiver on loopback. The receiver checks every
signature and answers 500 now and then (the delivery is retried); the worker is killed,
then stopped gracefully, each time while a retry waits, and started again; finally every
delivery's task is handed to the worker once more. Every (event, endpoint) has been
accepted exactly once."""

from __future__ import annotations

import datetime
import os
import re
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
from notifications.webhooks import SEND, signature_valid, webhook_endpoint_create
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
    beat = Beat()
    try:
        kill_while_a_retry_waits(province, receiver, worker, kill=True)
        beat.start()
        receiver.wait_for(8, timeout=60)
        wait_until(all_sent, 30, "the deliveries of the second task")
        # 4. Once more, stopped gracefully this time: the worker hands its waiting retry
        #    back to Redis, and the new worker runs it while the flush job may already have
        #    posted the row. Whichever comes second finds it sent and posts nothing.
        kill_while_a_retry_waits(province, receiver, worker, kill=False)
        receiver.wait_for(10, timeout=60)
        wait_until(all_sent, 30, "the deliveries of the third task")
        time.sleep(2 * int(WORKER_ENV["WEBHOOK_RETRY_BASE_SECONDS"]) + 2)
        # 5. The broker hands every delivery's task once more (Redis redelivers a task
        #    whose worker went away): each finds its row sent and posts nothing.
        done = worker_log_count(worker, "send_webhook")
        with hand_over("test") as send:
            for pk in WebhookDelivery.objects.values_list("pk", flat=True):
                send(SEND, args=[pk])
        wait_until(lambda: worker_log_count(worker, "send_webhook") >= done + 10, 30, "the tasks")
        time.sleep(1)
    finally:
        beat.stopping.set()
        if beat.is_alive():
            beat.join()
    counts = accepted(receiver)
    assert len(counts) == 10 and set(counts.values()) == {1}, counts
    assert Counter(event for event, _id in counts) == {"task.assigned": 8, "report.submitted": 2}
    assert len(receiver.answered(500)) == 3


def worker_log_count(worker: Worker, task: str) -> int:
    """How many of ``task`` the (current) worker has finished."""
    return len(
        re.findall(
            rf"Task notifications\.tasks\.{task}\[[^\]]+\] succeeded", worker.log.read_text()
        )
    )


def all_sent() -> bool:
    return not WebhookDelivery.objects.exclude(status=NotificationStatus.SENT).exists()


def kill_while_a_retry_waits(province, receiver, worker: Worker, *, kill: bool) -> None:
    """A new task for the Front (one event for each of the two endpoints); the first POST
    is answered 500; once one delivery is sent and the other waits for its retry, the
    worker is killed (or stopped) and started again."""
    receiver.fail = 1
    task = TaskFactory(directive=province["directive"])
    [assignment] = task_assign(task=task, units=[province["front"]], announce=True)
    rows = WebhookDelivery.objects.filter(event_key=f"task.assigned:{assignment.pk}")
    wait_until(
        lambda: (
            sorted(rows.values_list("status", "attempts"))
            == [(NotificationStatus.PENDING, 1), (NotificationStatus.SENT, 1)]
        ),
        30,
        "one delivery sent and one waiting for its retry",
    )
    if kill:
        worker.kill()
    else:
        worker.stop()
    worker.start()
