"""The Celery application, its queues, and where each kind of job goes.

Its settings are the CELERY_* names in config/settings.py; the queues and routes are here,
beside the application, so one file says which worker takes which job:

==========  ==========================================================================
queue       jobs
==========  ==========================================================================
email       sending the outbox's e-mails (``notifications.tasks.send_notification``,
            ``notifications.tasks.flush_outbox``)
reminders   the morning sweep of digests and escalations (``notifications.tasks.daily_digest``)
rollups     roll-up reports (``reports.rollup_build``, ``reports.rollups_for_ended_periods``)
figures     dashboard figure refreshes (``reports.figures_refresh``,
            ``reports.figures_keep_warm``)
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
import warnings
from collections.abc import Callable, Iterator

from celery import Celery
from django.conf import settings
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

QUEUES = ("email", "reminders", "rollups", "figures")

# Every task of the project, by name, and its queue (tests/test_celery_routing.py checks
# that no task is left out).
ROUTES = {
    "notifications.tasks.send_notification": "email",
    "notifications.tasks.flush_outbox": "email",
    "notifications.tasks.daily_digest": "reminders",
    "reports.rollup_build": "rollups",
    "reports.rollups_for_ended_periods": "rollups",
    "reports.figures_refresh": "figures",
    "reports.figures_keep_warm": "figures",
}

# A container often runs everything as root; Celery's multi-line warning about it on every
# start buries the lines that matter. Run the worker as another user where that is possible.
warnings.filterwarnings("ignore", message="You're running the worker with superuser privileges")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_routes = {task: {"queue": queue} for task, queue in ROUTES.items()}
app.autodiscover_tasks()


@contextlib.contextmanager
def hand_over(fallback: str) -> Iterator[Callable[..., object]]:
    """Hand jobs to the workers without ever waiting on a dead broker (Celery would
    otherwise retry for seconds inside a web request)::

        with hand_over("left pending for the flush job") as send:
            send("notifications.tasks.send_notification", args=[pk])

    ``send`` is ``app.send_task`` (jobs go by name, so the routes above apply) on one
    connection that gives up at once. When the broker is down nothing is raised: the
    warning says what picks the work up instead (``fallback``)."""
    try:
        with app.connection_for_write(
            url=settings.CELERY_BROKER_URL,
            connect_timeout=1,
            transport_options={**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "max_retries": 0},
        ) as conn:
            yield functools.partial(app.send_task, connection=conn, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure falls back as the caller says
        logger.warning("broker unavailable, %s: %s", fallback, exc)
