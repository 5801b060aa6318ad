"""Celery tasks: thin wrappers that call the services. Each is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from notifications import services, webhooks
from notifications.reminders import reminders_sweep


# Below the in-flight window (NOTIFICATION_CLAIM_SECONDS): a send still running when its
# claim expires would be doubled.
@shared_task(
    ignore_result=True,
    soft_time_limit=max(1, settings.NOTIFICATION_CLAIM_SECONDS * 3 // 4),
    time_limit=max(2, settings.NOTIFICATION_CLAIM_SECONDS - 5),
)
def send_notification(notification_id: int) -> None:
    """Send one e-mail row; on an SMTP failure, come back after the row's backoff."""
    delivery = services.notification_deliver(notification_id=notification_id)
    if delivery.retry_in is not None:
        # retry_delay keeps this countdown below the broker's visibility timeout. If the
        # broker is unreachable now, the flush job picks the pending row up later.
        services.dispatch_later(notification_id, countdown=delivery.retry_in)


@shared_task(ignore_result=True)
def flush_outbox() -> None:
    """Beat job (every minute): send every pending e-mail that is due, e.g. rows queued
    while Redis was down, or whose retry task was lost."""
    _sent, more = services.notifications_flush()
    if more:
        services.dispatch_flush()
    # Webhooks share the outbox's beat: their own queue takes what is due.
    if webhooks.webhooks_due():
        webhooks.dispatch_flush()


# Below the in-flight window (WEBHOOK_CLAIM_SECONDS), above the request's timeout.
@shared_task(
    ignore_result=True,
    soft_time_limit=settings.WEBHOOK_TIMEOUT_SECONDS + 1,
    time_limit=settings.WEBHOOK_CLAIM_SECONDS - 1,
)
def send_webhook(delivery_id: int) -> None:
    """Post one webhook delivery; on a failure worth retrying, come back after its wait."""
    outcome = webhooks.webhook_deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        webhooks.dispatch_later(delivery_id, countdown=outcome.retry_in)


@shared_task(ignore_result=True)
def flush_webhooks() -> None:
    """Post every webhook delivery that is due (handed over by ``flush_outbox``)."""
    _delivered, more = webhooks.webhooks_flush()
    if more:
        webhooks.dispatch_flush()


# The sweep reads every open assignment due soon; at national scale that takes minutes.
# Both limits stay below the broker's visibility timeout (3600 s).
@shared_task(ignore_result=True, soft_time_limit=1800, time_limit=1900)
def daily_digest() -> None:
    """Beat job (07:00 Asia/Ho_Chi_Minh by default): queue digests and escalations."""
    reminders_sweep()
