"""The Celery application, its queues, and where each kind of job goes.

Its settings are the CELERY_* names in config/settings.py; the queues and routes are here,
beside the application, so one file says which worker takes which job:

==========  ==========================================================================
queue       jobs
==========  ==========================================================================
email       sending the outbox's e-mails (``notifications.tasks.send_notification``,
            ``notifications.tasks.flush_outbox``)
reminders   the morning sweep of digests and escalations (``notifications.tasks.daily_digest``)
rollups     roll-up reports (``reports.rollup_build``, ``reports.rollups_for_ended_periods``,
            ``reports.rollups_resend``)
figures     dashboard figure refreshes (``reports.figures_refresh``,
            ``reports.figures_keep_warm``)
webhooks    posting webhook deliveries (``notifications.tasks.send_webhook``,
            ``notifications.tasks.flush_webhooks``)
==========  ==========================================================================

``make run`` starts one worker that takes every queue (``Procfile``); on other machines run
one worker per queue, e.g. ``celery -A config worker -Q rollups``, so a national roll-up
never delays the morning e-mails. A job sent to a queue no worker takes waits in Redis.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator

from celery import Celery
from celery.signals import before_task_publish
from django.conf import settings
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

QUEUES = ("email", "reminders", "rollups", "figures", "webhooks")

# Every task of the project, by name, and its queue (tests/test_celery_routing.py checks
# that no task is left out).
ROUTES = {
    "notifications.tasks.send_notification": "email",
    "notifications.tasks.flush_outbox": "email",
    "notifications.tasks.daily_digest": "reminders",
    "reports.rollup_build": "rollups",
    "reports.rollups_for_ended_periods": "rollups",
    "reports.rollups_resend": "rollups",
    "reports.figures_refresh": "figures",
    "reports.figures_keep_warm": "figures",
    "notifications.tasks.send_webhook": "webhooks",
    "notifications.tasks.flush_webhooks": "webhooks",
}

# A container often runs everything as root; Celery's multi-line warning about it on every
# start buries the lines that matter. Run the worker as another user where that is possible.
warnings.filterwarnings("ignore", message="You're running the worker with superuser privileges")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_routes = {task: {"queue": queue} for task, queue in ROUTES.items()}
app.autodiscover_tasks()


# Header stamped on every job when it is published: /healthz reads it from the oldest
# waiting job of each queue (config/health.py).
PUBLISHED_AT = "published_at"


@before_task_publish.connect
def stamp_published_at(headers=None, **_kwargs) -> None:
    if headers is not None:
        headers.setdefault(PUBLISHED_AT, time.time())


# Broker URLs that failed lately, and until when (time.monotonic()) hand_over skips them.
_broker_down_until: dict[str, float] = {}
_broker_lock = threading.Lock()


def broker_skip_reset() -> None:
    """Forget the brokers that failed lately (tests, or after a known repair)."""
    with _broker_lock:
        _broker_down_until.clear()


def web_transport_options() -> dict:
    """The broker options of a connection opened from the web tier: short connect and
    read timeouts (a Redis that accepts connections and never answers must not hold a
    request) and no retry."""
    timeout = settings.BROKER_WEB_TIMEOUT_SECONDS
    return {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "max_retries": 0,
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry_on_timeout": False,
    }


@contextlib.contextmanager
def hand_over(fallback: str) -> Iterator[Callable[..., object]]:
    """Hand jobs to the workers without ever waiting on a dead or hung broker (Celery
    would otherwise retry for seconds inside a web request)::

        with hand_over("left pending for the flush job") as send:
            send("notifications.tasks.send_notification", args=[pk])

    ``send`` is ``app.send_task`` (jobs go by name, so the routes above apply) on one
    connection with BROKER_WEB_TIMEOUT_SECONDS connect and read timeouts that gives up at
    once; it returns None when the broker is being skipped (see below). When the broker is down
    nothing is raised: the warning says what picks the work
    up instead (``fallback``), and for BROKER_RETRY_AFTER_SECONDS later hand-overs in this
    process skip the broker at once, so a request that queues several jobs waits on a hung
    broker once at most. Every caller has such a fallback: its work is recorded in the
    database and a periodic job sends what was not handed over."""
    url = settings.CELERY_BROKER_URL
    with _broker_lock:
        skip = _broker_down_until.get(url, 0.0) > time.monotonic()
    if skip:
        logger.warning("broker unavailable a moment ago, %s", fallback)
        yield lambda *args, **kwargs: None
        return
    try:
        with app.connection_for_write(
            url=url,
            connect_timeout=settings.BROKER_WEB_TIMEOUT_SECONDS,
            transport_options=web_transport_options(),
        ) as conn:
            yield functools.partial(app.send_task, connection=conn, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure falls back as the caller says
        with _broker_lock:
            _broker_down_until[url] = time.monotonic() + settings.BROKER_RETRY_AFTER_SECONDS
        logger.warning("broker unavailable, %s: %s", fallback, exc)
    else:
        with _broker_lock:
            _broker_down_until.pop(url, None)
