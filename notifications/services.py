"""Writes to the outbox: queue a message, send one, retry, resend, mark as read.

Other apps call it through ``notifications.api.notify`` (the same function)::

    from notifications.api import notify

    notify(
        recipient=leader,                      # a units.User
        kind="report",                         # a short word; shown and filtered in the admin
        dedup_key=f"rollup:{report.pk}:ready", # the same key twice queues nothing new
        subject=gettext("Roll-up report ready"),
        template="email/rollup_ready",         # renders email/rollup_ready.txt and .html
        context={"report": report, "link": absolute_url, "reason": gettext("...")},
        about=report,                          # optional: the object the message is about
        channels=("email", "inapp"),           # default: both
    )

What it guarantees:

1. Idempotent: at most one row per (dedup_key, recipient, channel), enforced by a unique
   constraint; calling again returns the existing rows and sends nothing more.
2. The message is rendered now (subject and bodies are stored), in the site language,
   with ``site_url``, ``preferences_url``, ``recipient`` added to the context. Templates
   extend ``email/base.html`` / ``email/base.txt``, whose footer shows ``reason`` (why the
   user receives it) and the link to their preferences. ``context["link"]``, when given,
   is what the in-app inbox links to.
3. The user's preferences apply: "in the application only", or no e-mail address, drops
   the e-mail channel. In-app rows count as delivered as soon as they are written.
4. Nothing waits for the broker: the e-mail row is handed to the worker after the
   transaction commits; if Redis is down it stays pending and the "flush outbox" beat job
   sends it when Redis is back.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from config.celery import hand_over
from notifications.models import Channel, Notification, NotificationPreference, NotificationStatus
from notifications.selectors import preference_for

logger = logging.getLogger(__name__)

# The in-flight window: a row claimed by a worker that died before recording the outcome
# is put back after this long and sent again (at least once: the stable Message-ID lets
# mail clients show one message). The send task's hard time limit is below it.
STALE_CLAIM = datetime.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
# Subjects are cut at a word, with "…", past this many characters.
SUBJECT_LIMIT = 150
# A task delivered a moment before its row's next attempt time still sends.
EARLY_TOLERANCE = datetime.timedelta(seconds=2)


# --- Rendering --------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def subject_shorten(subject: str, limit: int = SUBJECT_LIMIT) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with "…"."""
    subject = " ".join(subject.split())
    if len(subject) <= limit:
        return subject
    cut = subject[: limit - 1]
    if " " in cut and not subject[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–(") + "…"


def message_id(row: Notification) -> str:
    """The Message-ID of an e-mail row: derived from its de-duplication key and recipient,
    so every attempt (and a resend) carries the same one and a client shows one message."""
    digest = hashlib.sha256(f"{row.dedup_key}\n{row.recipient_id}".encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<{digest}@{domain}>"


def assignment_path(pk: int) -> str:
    """The page of an assignment; the literal path until that page's URL name exists."""
    try:
        return reverse("progress:assignment_detail", args=[pk])
    except NoReverseMatch:
        return f"/work/assignments/{pk}/"


def render_message(*, template: str, context: dict, recipient) -> tuple[str, str]:
    """The plain-text and HTML bodies of ``template`` (``.txt`` and ``.html``), in the
    site language whatever language the current request uses."""
    full = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "inbox_url": absolute_url(reverse("notifications:inbox")),
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", full)
        html = render_to_string(f"{template}.html", full)
    return text, html


# --- Queueing ---------------------------------------------------------------------------


def channels_for(
    *, user, preference: NotificationPreference, requested: Iterable[str]
) -> list[str]:
    """The channels a message to ``user`` goes out on, after their preferences."""
    if not user.is_active:
        return []
    channels = []
    for channel in requested:
        if channel == Channel.EMAIL and (preference.in_app_only or not user.email):
            continue
        channels.append(Channel(channel))
    return channels


def build_rows(
    *,
    recipient,
    channels: Sequence[str],
    kind: str,
    dedup_key: str,
    subject: str,
    body_text: str,
    body_html: str,
    link: str = "",
    about_type_id: int | None = None,
    about_id: int | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Unsaved outbox rows, one per channel: e-mail pending, in-app already delivered."""
    now = now or timezone.now()
    rows = []
    for channel in channels:
        inapp = channel == Channel.INAPP
        rows.append(
            Notification(
                recipient=recipient,
                channel=channel,
                kind=kind,
                dedup_key=dedup_key,
                subject=subject_shorten(subject),
                body_text=body_text,
                body_html="" if inapp else body_html,
                link=link[:500],
                about_type_id=about_type_id,
                about_id=about_id,
                status=NotificationStatus.SENT if inapp else NotificationStatus.PENDING,
                sent_at=now if inapp else None,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return rows


@transaction.atomic
def notification_enqueue(
    *,
    recipient,
    kind: str,
    dedup_key: str,
    subject: str,
    template: str,
    context: dict,
    about=None,
    channels: Sequence[str] = (Channel.EMAIL, Channel.INAPP),
) -> list[Notification]:
    """Queue one message to one user (see the module docstring); idempotent on dedup_key."""
    wanted = channels_for(
        user=recipient, preference=preference_for(user=recipient), requested=channels
    )
    if not wanted:
        return []

    def existing() -> dict[str, Notification]:
        rows = Notification.objects.filter(
            recipient=recipient, dedup_key=dedup_key, channel__in=wanted
        )
        return {row.channel: row for row in rows}

    found = existing()
    missing = [channel for channel in wanted if channel not in found]
    if missing:
        body_text, body_html = render_message(
            template=template, context=context, recipient=recipient
        )
        about_type_id = ContentType.objects.get_for_model(about).pk if about is not None else None
        Notification.objects.bulk_create(
            build_rows(
                recipient=recipient,
                channels=missing,
                kind=kind,
                dedup_key=dedup_key,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                link=str(context.get("link", "")),
                about_type_id=about_type_id,
                about_id=about.pk if about is not None else None,
            ),
            # A concurrent call with the same key may have won: keep its row, add nothing.
            ignore_conflicts=True,
        )
        found = existing()
        pending = [
            row.pk
            for row in found.values()
            if row.channel == Channel.EMAIL and row.status == NotificationStatus.PENDING
        ]
        if pending:
            transaction.on_commit(lambda: dispatch(pending))
    return [found[channel] for channel in wanted if channel in found]


# The outbox's tasks (tasks.py), sent by name: tasks.py imports this module.
SEND = "notifications.tasks.send_notification"
FLUSH = "notifications.tasks.flush_outbox"


def dispatch(notification_ids: Sequence[int]) -> None:
    """Hand e-mail rows to the worker. Never raises and never waits on a dead broker:
    a row that could not be handed over stays pending and the flush job sends it."""
    with hand_over(f"{len(notification_ids)} row(s) left pending for the flush job") as send:
        for pk in notification_ids:
            send(SEND, args=[pk])


def dispatch_later(notification_id: int, *, countdown: int) -> None:
    """Hand one row back to the worker after ``countdown`` seconds; never raises."""
    with hand_over(f"retry of {notification_id} left to the flush job") as send:
        send(SEND, args=[notification_id], countdown=countdown)


def dispatch_flush() -> None:
    """Ask the worker to send whatever is pending; silent when the broker is down."""
    with hand_over("flush left to the beat job") as send:
        send(FLUSH)


# --- Sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    sent: bool
    # Seconds until the next attempt, when the send failed and will be tried again.
    retry_in: int | None = None


def retry_delay(attempts: int) -> int:
    """Doubling waits from the base, capped at half the broker's visibility timeout: a task
    waiting longer than that timeout would be handed to a second worker."""
    cap = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 2
    return min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), cap)


def notification_deliver(*, notification_id: int) -> Delivery:
    """Send one e-mail row, exactly once as far as this system can tell.

    1. Claim it: a conditional UPDATE from pending to sending; if no row changed, another
       worker has it (or it is sent, failed, or not yet due) and we stop.
    2. Send it over SMTP, outside any transaction so the claim is visible to others.
    3. Record the outcome: sent; or back to pending with a doubling wait; or failed after
       NOTIFICATION_MAX_ATTEMPTS attempts (the admin's "resend" action puts it back).
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id,
        channel=Channel.EMAIL,
        status=NotificationStatus.PENDING,
        next_attempt_at__lte=now + EARLY_TOLERANCE,
    ).update(status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return Delivery(sent=False)
    row = Notification.objects.select_related("recipient").get(pk=notification_id)
    mine = Notification.objects.filter(pk=row.pk, status=NotificationStatus.SENDING)
    if not row.recipient.email:
        mine.update(
            status=NotificationStatus.FAILED, last_error="The recipient has no e-mail address."
        )
        return Delivery(sent=False)
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient.email],
        headers={
            "X-Notification-Key": row.dedup_key,
            "Message-ID": message_id(row),
            # Mail clients show an "unsubscribe" link: the preferences page.
            "List-Unsubscribe": f"<{absolute_url(reverse('notifications:preferences'))}>",
        },
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            mine.update(status=NotificationStatus.FAILED, last_error=error)
            logger.error(
                "outbox: %s failed for good after %d attempts: %s", row.pk, row.attempts, error
            )
            return Delivery(sent=False)
        delay = retry_delay(row.attempts)
        mine.update(
            status=NotificationStatus.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
        )
        logger.warning(
            "outbox: %s attempt %d failed, retry in %ds: %s", row.pk, row.attempts, delay, error
        )
        return Delivery(sent=False, retry_in=delay)
    mine.update(status=NotificationStatus.SENT, sent_at=timezone.now(), last_error="")
    return Delivery(sent=True)


def notifications_flush(*, limit: int = 500) -> tuple[int, bool]:
    """Send what is due in the outbox; returns (sent, more_left).

    1. Put back rows whose worker died while sending them (claimed long ago).
    2. Take up to ``limit`` due pending e-mails, oldest first, from the partial index.
    3. Deliver each; one failing row never stops the others.
    """
    now = timezone.now()
    Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=NotificationStatus.PENDING, next_attempt_at=now)
    due = Notification.objects.filter(
        status=NotificationStatus.PENDING, channel=Channel.EMAIL, next_attempt_at__lte=now
    ).order_by("next_attempt_at")
    ids = list(due.values_list("pk", flat=True)[: limit + 1])
    sent = 0
    for pk in ids[:limit]:
        try:
            sent += notification_deliver(notification_id=pk).sent
        except Exception:
            logger.exception("outbox: unexpected error sending %s", pk)
    return sent, len(ids) > limit


@transaction.atomic
def notifications_resend(*, notification_ids: Iterable[int]) -> int:
    """Put failed (or stuck) e-mails back in the queue with a fresh set of attempts."""
    ids = list(
        Notification.objects.filter(pk__in=list(notification_ids), channel=Channel.EMAIL)
        .exclude(status=NotificationStatus.SENT)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(
        status=NotificationStatus.PENDING,
        attempts=0,
        last_error="",
        next_attempt_at=timezone.now(),
        claimed_at=None,
    )
    if ids:
        transaction.on_commit(lambda: dispatch(ids))
    return len(ids)


# --- Inbox and preferences --------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's in-app messages read; DoesNotExist when it is not theirs."""
    row = Notification.objects.get(pk=notification_id, recipient=user, channel=Channel.INAPP)
    if row.read_at is None:
        row.read_at = timezone.now()
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=row.read_at)
    return row


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(
        Q(recipient=user, channel=Channel.INAPP, read_at__isnull=True)
    ).update(read_at=timezone.now())


@transaction.atomic
def preference_update(*, user, digest_enabled: bool, in_app_only: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"digest_enabled": digest_enabled, "in_app_only": in_app_only}
    )
    return preference
