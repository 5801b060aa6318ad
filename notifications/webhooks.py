"""Webhooks: other systems told by a signed POST when something happens to the work.

Events go through the outbox as e-mails do: ``webhook_emit`` writes one
``WebhookDelivery`` row per endpoint that listens to the event, in the transaction of
whatever caused it; a worker (queue ``webhooks``) posts it later. What it guarantees:

1. Once per (event, endpoint): ``event_key`` with the endpoint is unique, so emitting the
   same event again queues nothing.
2. Signed: every POST carries ``X-Webhook-Timestamp`` (Unix seconds) and
   ``X-Webhook-Signature: sha256=<hex>``, the HMAC-SHA256 of ``timestamp + "." + body``
   with the endpoint's secret; ``X-Webhook-Id`` names the delivery (the same on every
   attempt, so a receiver can drop a repeat) and ``X-Webhook-Event`` the event.
3. Retried: a connection error, a timeout, a 408, a 429 or a 5xx puts the row back with a
   doubling wait (``WEBHOOK_RETRY_BASE_SECONDS``), up to ``WEBHOOK_MAX_ATTEMPTS``; any
   other answer outside 2xx fails it at once (the receiver refuses it). Each attempt's
   status, error and time are kept on the row and shown on the webhooks page.
4. Nothing waits for the broker: a row that could not be handed over stays pending and
   the outbox's flush job (every minute) hands over what is due.

The body is small on purpose: the event, when, and the ids to read through the API with
a key (``data``), never a confidential text.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.celery import hand_over
from notifications.models import (
    NotificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

SEND = "notifications.tasks.send_webhook"
FLUSH = "notifications.tasks.flush_webhooks"
USER_AGENT = "theo-doi-van-ban-webhook/1"
# Answers after which the same request is worth trying again.
RETRY_STATUSES = {408, 425, 429}
EARLY_TOLERANCE = datetime.timedelta(seconds=2)


# --- Signing --------------------------------------------------------------------------


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``timestamp + "." + body`` with ``secret``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signature_valid(
    secret: str, timestamp: str, body: bytes, header: str, *, tolerance: int = 300, now=None
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), header)


def signed_headers(*, secret: str, body: bytes, delivery_id: int, event: str) -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Webhook-Id": str(delivery_id),
        "X-Webhook-Event": event,
        "X-Webhook-Timestamp": str(timestamp),
        "X-Webhook-Signature": signature(secret, timestamp, body),
    }


# --- Registering ------------------------------------------------------------------------


@transaction.atomic
def webhook_endpoint_create(
    *, name: str, url: str, events: Sequence[str], unit=None, by=None
) -> WebhookEndpoint:
    """Register an endpoint with a fresh secret (shown once, by the caller)."""
    endpoint = WebhookEndpoint(
        name=name,
        url=url,
        events=[e for e in WebhookEvent.values if e in set(events)],
        unit=unit,
        secret=new_secret(),
        created_by=by,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_disable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to the endpoint; what was queued for it is not sent any more."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    WebhookDelivery.objects.filter(endpoint=endpoint, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.FAILED, last_error="The webhook was disabled."
    )
    endpoint.active = False
    return endpoint


# --- Emitting ---------------------------------------------------------------------------


def listeners(event: str) -> list[WebhookEndpoint]:
    """Active endpoints that chose ``event``."""
    return list(
        WebhookEndpoint.objects.filter(active=True, events__contains=[event]).select_related("unit")
    )


def listened(event: str) -> bool:
    return WebhookEndpoint.objects.filter(active=True, events__contains=[event]).exists()


def _covers(endpoint: WebhookEndpoint, unit_path: str | None) -> bool:
    """An endpoint bound to a unit hears only of that unit and the units below it."""
    if endpoint.unit is None:
        return True
    return unit_path is not None and unit_path.startswith(endpoint.unit.path)


@dataclass(frozen=True)
class Event:
    key: str  # the event's own name, e.g. "task.assigned:345"
    data: dict
    unit_path: str | None = None


@transaction.atomic
def webhook_emit_many(
    *, event: str, events: Sequence[Event], occurred_at: datetime.datetime | None = None
) -> list[int]:
    """Queue each of ``events`` (all of kind ``event``) for every endpoint listening to it;
    idempotent on each key. Returns the ids of the rows waiting to be posted."""
    endpoints = listeners(event)
    if not endpoints or not events:
        return []
    occurred_at = occurred_at or timezone.now()
    rows = []
    for item in events:
        body = json.dumps(
            {
                "event": event,
                "key": item.key,
                "occurred_at": occurred_at.isoformat(),
                "data": item.data,
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        rows += [
            WebhookDelivery(endpoint=endpoint, event=event, event_key=item.key[:200], body=body)
            for endpoint in endpoints
            if _covers(endpoint, item.unit_path)
        ]
    if not rows:
        return []
    # ON CONFLICT DO NOTHING: an event queued before (or concurrently) keeps its row.
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    pending = list(
        WebhookDelivery.objects.filter(
            endpoint__in=endpoints,
            event_key__in=[item.key[:200] for item in events],
            status=NotificationStatus.PENDING,
            attempts=0,
        ).values_list("pk", flat=True)
    )
    if pending:
        transaction.on_commit(lambda: dispatch(pending))
    return pending


def webhook_emit(
    *,
    event: str,
    key: str,
    data: dict,
    unit_path: str | None = None,
    occurred_at: datetime.datetime | None = None,
) -> list[int]:
    """Queue one event (see ``webhook_emit_many``)."""
    return webhook_emit_many(
        event=event, events=[Event(key=key, data=data, unit_path=unit_path)],
        occurred_at=occurred_at,
    )  # fmt: skip


def dispatch(delivery_ids: Sequence[int]) -> None:
    """Hand rows to the worker; never raises (the flush job picks up what is left)."""
    with hand_over(f"{len(delivery_ids)} webhook(s) left pending for the flush job") as send:
        for pk in delivery_ids:
            send(SEND, args=[pk])


def dispatch_later(delivery_id: int, *, countdown: int) -> None:
    with hand_over(f"retry of webhook {delivery_id} left to the flush job") as send:
        send(SEND, args=[delivery_id], countdown=countdown)


def dispatch_flush() -> None:
    with hand_over("webhook flush left to the next beat") as send:
        send(FLUSH)


# --- Sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retry_in: int | None = None


def retry_delay(attempts: int) -> int:
    """Doubling waits, capped below the broker's visibility timeout (as for e-mail)."""
    cap = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 2
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), cap)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to ``url`` and return the status; redirects are not followed."""
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        connection.close()


def webhook_deliver(*, delivery_id: int) -> Outcome:
    """Post one delivery, exactly once as far as this system can tell.

    1. Claim it: a conditional UPDATE from pending to sending; if no row changed, another
       worker has it (or it is done, or not yet due) and we stop.
    2. Post it, outside any transaction so the claim is visible to others.
    3. Record the outcome: delivered (2xx); back to pending with a doubling wait (an
       error, a timeout, 408/425/429, 5xx); or failed (another answer, or the last attempt).
    """
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=NotificationStatus.PENDING,
        next_attempt_at__lte=now + EARLY_TOLERANCE,
        endpoint__active=True,
    ).update(status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return Outcome(delivered=False)
    row = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    mine = WebhookDelivery.objects.filter(pk=row.pk, status=NotificationStatus.SENDING)
    body = row.body.encode()
    headers = signed_headers(
        secret=row.endpoint.secret, body=body, delivery_id=row.pk, event=row.event
    )
    code: int | None = None
    error = ""
    try:
        code = post(row.endpoint.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
    finished = timezone.now()
    if code is not None and 200 <= code < 300:
        mine.update(
            status=NotificationStatus.SENT,
            delivered_at=finished,
            last_attempt_at=finished,
            last_status_code=code,
            last_error="",
        )
        return Outcome(delivered=True)
    if code is not None:
        error = f"HTTP {code}"
    retryable = code is None or code >= 500 or code in RETRY_STATUSES
    if not retryable or row.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        mine.update(
            status=NotificationStatus.FAILED,
            last_attempt_at=finished,
            last_status_code=code,
            last_error=error,
        )
        logger.error("webhook: %s failed after %d attempts: %s", row.pk, row.attempts, error)
        return Outcome(delivered=False)
    delay = retry_delay(row.attempts)
    mine.update(
        status=NotificationStatus.PENDING,
        last_attempt_at=finished,
        last_status_code=code,
        last_error=error,
        next_attempt_at=finished + datetime.timedelta(seconds=delay),
    )
    logger.warning(
        "webhook: %s attempt %d failed, retry in %ds: %s", row.pk, row.attempts, delay, error
    )
    return Outcome(delivered=False, retry_in=delay)


def webhooks_due() -> bool:
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)
    return (
        WebhookDelivery.objects.filter(
            status=NotificationStatus.PENDING, next_attempt_at__lte=now
        ).exists()
        or WebhookDelivery.objects.filter(
            status=NotificationStatus.SENDING, claimed_at__lt=stale
        ).exists()
    )


def webhooks_flush(*, limit: int = 200) -> tuple[int, bool]:
    """Post what is due; returns (delivered, more_left).

    1. Put back rows whose worker died while posting them (claimed long ago).
    2. Take up to ``limit`` due pending rows, oldest first, from the partial index.
    3. Deliver each; one failing row never stops the others.
    """
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)
    WebhookDelivery.objects.filter(status=NotificationStatus.SENDING, claimed_at__lt=stale).update(
        status=NotificationStatus.PENDING, next_attempt_at=now
    )
    ids = list(
        WebhookDelivery.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: limit + 1]
    )
    delivered = 0
    for pk in ids[:limit]:
        try:
            delivered += webhook_deliver(delivery_id=pk).delivered
        except Exception:
            logger.exception("webhook: unexpected error posting %s", pk)
    return delivered, len(ids) > limit


@transaction.atomic
def webhook_deliveries_resend(*, delivery_ids: Sequence[int]) -> int:
    """Put failed deliveries of active endpoints back in the queue, attempts afresh."""
    ids = list(
        WebhookDelivery.objects.filter(
            pk__in=list(delivery_ids), status=NotificationStatus.FAILED, endpoint__active=True
        ).values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if ids:
        transaction.on_commit(lambda: dispatch(ids))
    return len(ids)
