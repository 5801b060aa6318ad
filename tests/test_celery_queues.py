"""Queues: every job has one, `make run`'s worker takes them all, a worker given one
queue takes only that queue's jobs, and the default beat schedule is installed once."""

from __future__ import annotations

import datetime
import importlib
import re
import time
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.celery import QUEUES, ROUTES, app
from config.schedule import DEFAULT_SCHEDULE, schedule_install
from notifications.models import Channel, Notification, NotificationStatus
from notifications.services import notification_enqueue
from reports.models import FigureCache
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def project_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_job_has_a_queue_and_every_queue_a_job():
    assert project_tasks() == set(ROUTES)
    assert set(ROUTES.values()) == set(QUEUES)
    for name, queue in ROUTES.items():
        assert app.amqp.router.route({}, name)["queue"].name == queue


def test_make_run_worker_takes_every_queue():
    procfile = (BASE_DIR / "Procfile").read_text()
    [queues] = re.findall(r"^worker: celery -A config worker .*--queues (\S+)", procfile, re.M)
    assert sorted(queues.split(",")) == sorted(QUEUES)


def test_default_schedule_is_installed_once_and_keeps_edits(db):
    # Tests that commit empty every table afterwards, rows written by migrations included:
    # start from nothing, as a new database does, and run the migration's own function.
    PeriodicTask.objects.all().delete()
    migration = importlib.import_module("reports.migrations.0006_default_schedule")
    migration.install(apps, None)
    installed = {t.name: t for t in PeriodicTask.objects.all()}
    assert len(installed) == len(DEFAULT_SCHEDULE) == 5
    for entry in DEFAULT_SCHEDULE:
        task = installed[entry["name"]]
        assert task.task == entry["task"] and task.task in ROUTES and task.enabled
        assert (task.crontab is not None) == ("crontab" in entry)
    assert PeriodicTask.objects.get(task="reports.figures_keep_warm").interval.every == 5
    assert PeriodicTask.objects.get(task="notifications.tasks.daily_digest").crontab.hour == "7"
    # An administrator's edit survives installing again; a deleted default comes back.
    PeriodicTask.objects.filter(task="notifications.tasks.daily_digest").update(enabled=False)
    PeriodicTask.objects.filter(task="reports.figures_keep_warm").delete()
    assert schedule_install(apps) == 1
    assert schedule_install(apps) == 0
    assert PeriodicTask.objects.count() == len(DEFAULT_SCHEDULE)
    assert not PeriodicTask.objects.get(task="notifications.tasks.daily_digest").enabled
    migration.uninstall(apps, None)
    assert not PeriodicTask.objects.exists()


def waiting(queue: str) -> int:
    """Jobs waiting in ``queue``: on Redis, a queue is a list under its name."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        return client.llen(queue)
    finally:
        client.close()


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_given_one_queue_takes_only_its_jobs():
    app.control.purge()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    forgotten = FigureCache.objects.create(
        key="x" * 64, params={}, version=0, figures={}, computed_at=long_ago,
        duration_ms=1, viewed_at=long_ago,
    )  # fmt: skip
    user = UserFactory(email="huong@mttq.example")
    with start_worker(app, pool="solo", perform_ping_check=False, queues=["figures"]):
        # An e-mail job (queue "email", sent on commit) and a figures job.
        notification_enqueue(
            recipient=user, kind="report", dedup_key="queues:1", subject="Thử",
            template="email/base", context={"reason": "Thử hàng đợi."},
        )  # fmt: skip
        app.send_task("reports.figures_keep_warm")
        wait_until(lambda: not FigureCache.objects.filter(pk=forgotten.pk).exists())
        time.sleep(1)
        row = Notification.objects.get(recipient=user, channel=Channel.EMAIL)
        assert row.status == NotificationStatus.PENDING and row.attempts == 0
        assert waiting("email") == 1
    # The e-mail job waited in its queue for a worker that takes it.
    with start_worker(app, pool="solo", perform_ping_check=False, queues=["email"]):
        wait_until(lambda: Notification.objects.get(pk=row.pk).status == NotificationStatus.SENT)
    assert waiting("email") == 0
