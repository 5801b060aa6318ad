"""/healthz: database, Redis and Celery worker state, answered even when some are down."""

from __future__ import annotations

import logging
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

TIMEOUT_SECONDS = 1.0
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


def check_workers() -> tuple[str, int]:
    """Ping the workers over the broker; the caller only asks when Redis answered."""
    try:
        with celery_app.connection_for_write(url=settings.REDIS_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
            replies = celery_app.control.ping(timeout=TIMEOUT_SECONDS, connection=conn)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}", 0
    return ("ok" if replies else "error: no worker answered"), len(replies)


@never_cache
def healthz(request):
    database = check_database()
    redis_state = check_redis()
    if redis_state == "ok":
        workers, count = check_workers()
    else:
        workers, count = "unknown: Redis is down", 0
    healthy = database == redis_state == workers == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "redis": redis_state,
        "workers": workers,
        "worker_count": count,
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
