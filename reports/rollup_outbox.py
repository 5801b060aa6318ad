"""The roll-up build's outbox: the job is recorded with its report in the user's
transaction (``queued_at``), handed to the "rollups" queue after commit, and handed again
by a periodic job when it never started (README, "Reliability")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import hand_over
from reports.models import RollupReport, RollupStatus
from reports.selectors import ROLLUP_BUILD_TIME_LIMIT

# The task that builds a roll-up (reports/tasks.py), sent by name.
ROLLUP_BUILD = "reports.rollup_build"


def rollup_enqueue(*, report: RollupReport) -> None:
    """Record the build job in the caller's transaction (the report waits, ``queued_at``)
    and hand it to a worker (the "rollups" queue) after commit. Never raises, never waits
    on a dead or hung broker: a job not handed over is sent by ``rollups_resend``."""
    now = timezone.now()
    RollupReport.objects.filter(pk=report.pk).update(
        queued_at=now, handed_at=None, hand_count=0, build_started_at=None
    )
    report.queued_at, report.handed_at, report.hand_count = now, None, 0
    transaction.on_commit(lambda: rollup_hand_over(report_ids=[report.pk]))


def rollup_hand_over(*, report_ids: list[int]) -> int:
    """Hand waiting builds to the broker; each one handed gets ``handed_at`` and one more
    ``hand_count``. Returns how many were handed over."""
    handed = 0
    with hand_over(f"{len(report_ids)} roll-up build(s) left to the resend job") as send:
        for pk in report_ids:
            if send(ROLLUP_BUILD, args=[pk]) is None:
                break  # the broker failed a moment ago: the resend job will do it
            RollupReport.objects.filter(pk=pk, status=RollupStatus.PENDING).update(
                handed_at=timezone.now(), hand_count=F("hand_count") + 1
            )
            handed += 1
    return handed


def rollups_resend(*, now: datetime.datetime | None = None) -> dict:
    """The periodic job (every minute): the roll-up outbox's sender.

    1. a build whose worker died (building past the task's time limit) is marked failed;
    2. a build never handed over (the broker was down when it was asked for) is handed now;
    3. a build handed over but not started after ROLLUP_RESEND_AFTER_SECONDS (the message
       was lost, e.g. Redis restarted without its data) is handed again, up to
       ROLLUP_MAX_HANDS times; then it is marked failed, and "Build again" starts afresh.
    A second delivery of the same job is harmless: the build claims the report first.
    """
    now = now or timezone.now()
    done = {"failed": 0, "handed": 0}
    build_limit = now - datetime.timedelta(seconds=ROLLUP_BUILD_TIME_LIMIT + 60)
    done["failed"] += RollupReport.objects.filter(
        status=RollupStatus.BUILDING, build_started_at__lt=build_limit
    ).update(
        status=RollupStatus.FAILED,
        error=_("The worker building the report stopped. Build it again."),
    )
    resend_after = now - datetime.timedelta(seconds=settings.ROLLUP_RESEND_AFTER_SECONDS)
    given_up = RollupReport.objects.filter(
        status=RollupStatus.PENDING,
        hand_count__gte=settings.ROLLUP_MAX_HANDS,
        handed_at__lt=resend_after,
    )
    done["failed"] += given_up.update(
        status=RollupStatus.FAILED,
        error=_("No worker started building the report. Build it again."),
    )
    due = RollupReport.objects.filter(status=RollupStatus.PENDING).filter(
        Q(handed_at__isnull=True) | Q(handed_at__lt=resend_after)
    )
    ids = list(due.order_by("created_at").values_list("pk", flat=True)[:500])
    if ids:
        done["handed"] = rollup_hand_over(report_ids=ids)
    return done
