"""/healthz: database, Redis, Celery worker state and the age of each queue's oldest
waiting job, answered even when some are down."""

from __future__ import annotations

import json
import logging
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import PUBLISHED_AT, QUEUES
from config.celery import app as celery_app

TIMEOUT_SECONDS = 1.0
# How long the workers' answers to a ping are collected (it always waits this long).
PING_SECONDS = 0.5
# While the system starts, the worker is not up yet: the polls of a start-up script are
# expected to find it degraded, and that is not news for the log.
STARTUP_GRACE_SECONDS = 120
_STARTED = time.monotonic()

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return f"error: {exc.__class__.__name__}"


def check_redis() -> str:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
        return "ok"
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    finally:
        client.close()


def check_queues() -> tuple[str, dict]:
    """Each queue's waiting jobs and the age (seconds) of the oldest, from its publish-time
    header (config/celery.py). A queue whose oldest job waited longer than
    HEALTH_QUEUE_MAX_AGE_SECONDS is stuck: no worker takes it, or they cannot keep up."""
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    queues: dict[str, dict] = {}
    stuck = []
    now = time.time()
    try:
        for name in QUEUES:
            # Celery's Redis transport pushes on the left and takes from the right.
            waiting = client.llen(name)
            oldest = client.lindex(name, -1) if waiting else None
            age = None
            if oldest is not None:
                try:
                    published = json.loads(oldest)["headers"][PUBLISHED_AT]
                    age = max(0, round(now - float(published)))
                except (ValueError, KeyError, TypeError):
                    age = None  # a job published before the header existed
            queues[name] = {"waiting": waiting, "oldest_age_seconds": age}
            if age is not None and age > settings.HEALTH_QUEUE_MAX_AGE_SECONDS:
                stuck.append(name)
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}", queues
    finally:
        client.close()
    if stuck:
        return f"error: waiting too long in {', '.join(stuck)}", queues
    return "ok", queues


def check_workers() -> tuple[str, int]:
    """Ping the workers over the broker; the caller only asks when Redis answered."""
    try:
        with celery_app.connection_for_write(url=settings.REDIS_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
            replies = celery_app.control.ping(timeout=PING_SECONDS, connection=conn)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}", 0
    return ("ok" if replies else "error: no worker answered"), len(replies)


@never_cache
def healthz(request):
    database = check_database()
    redis_state = check_redis()
    if redis_state == "ok":
        workers, count = check_workers()
        queue_state, queues = check_queues()
    else:
        workers, count = "unknown: Redis is down", 0
        queue_state, queues = "unknown: Redis is down", {}
    healthy = database == redis_state == workers == queue_state == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "redis": redis_state,
        "workers": workers,
        "worker_count": count,
        "queues_state": queue_state,
        "queues": queues,
    }
    response = JsonResponse(body, status=200 if healthy else 503)
    if not healthy:
        # Said here, once and at its true weight, instead of Django's "ERROR Service
        # Unavailable" for every poll.
        starting = time.monotonic() - _STARTED < STARTUP_GRACE_SECONDS
        level = logging.INFO if starting else logging.WARNING
        logger.log(level, "healthz degraded%s: %s", " (starting)" if starting else "", body)
        response._has_been_logged = True
    return response
