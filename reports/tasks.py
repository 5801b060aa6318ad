"""Celery tasks of the reports app: thin, they load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from directives.status import local_today
from reports import rollup_outbox, services
from reports.figure_cache import figures_keep_warm, figures_refresh
from reports.selectors import ROLLUP_BUILD_TIME_LIMIT


@shared_task(name="reports.rollup_build", soft_time_limit=540, time_limit=ROLLUP_BUILD_TIME_LIMIT)
def rollup_build_task(report_id: int) -> bool:
    """Build one roll-up; a second delivery of the same message finds it claimed."""
    return services.rollup_build(report_id=report_id)


@shared_task(name="reports.rollups_for_ended_periods")
def rollups_for_ended_periods_task() -> list[int]:
    """Daily: roll-ups for the periods that ended yesterday (scheduled in the admin under
    Periodic tasks); also makes sure this year's standard periods exist (from 1 January on;
    next year's are not offered before then)."""
    today = local_today()
    services.reporting_periods_ensure(year=today.year)
    return [r.pk for r in services.rollups_for_ended_periods(today=today)]


@shared_task(name="reports.rollups_resend")
def rollups_resend_task() -> dict:
    """Every minute: hand again the roll-up builds no worker started; mark failed those
    that never start or whose worker died (reports.rollup_outbox.rollups_resend)."""
    return rollup_outbox.rollups_resend()


@shared_task(name="reports.figures_refresh", soft_time_limit=540, time_limit=600)
def figures_refresh_task(params: dict) -> bool:
    """Recompute one dashboard slice whose stored figures are out of date."""
    return figures_refresh(params)


@shared_task(name="reports.figures_keep_warm", soft_time_limit=540, time_limit=600)
def figures_keep_warm_task() -> dict:
    """Every few minutes: keep the dashboard slices people look at current."""
    return figures_keep_warm()
