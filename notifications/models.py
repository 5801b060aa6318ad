"""Every message the system sends (the outbox), what each user wants to receive, and the
government's day swaps that decide which days are working days."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    INAPP = "inapp", _("In the application")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NotificationKind(models.TextChoices):
    """What a message is; other apps may use their own kinds through notification_enqueue."""

    DIGEST = "digest", _("Daily digest")
    ESCALATION_LEADER = "escalation_leader", _("Overdue: to the unit leader")
    ESCALATION_MONITOR = "escalation_monitor", _("Overdue: to the monitors")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Notification(models.Model):
    """One message to one person on one channel: a row in the outbox.

    The row is written (with its subject and bodies already rendered) in the same
    transaction as whatever caused it; a worker sends it later. ``dedup_key`` names the
    message ("digest:12:2026-02-09", "escalate:345:leader"); with the recipient and the
    channel it is unique, so the same message can never be queued twice. In-app rows are
    delivered by being written: they are created as sent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=40)
    dedup_key = models.CharField(_("de-duplication key"), max_length=200)
    # The object the message is about (an assignment, a report...), when there is one.
    about_type = models.ForeignKey(
        ContentType,
        verbose_name=_("about (type)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    subject = models.CharField(_("message subject"), max_length=300)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key", "recipient", "channel"],
                name="notifications_notification_once",
            ),
        ]
        indexes = [
            # The sender's "what is due to go out" query reads only this small index.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notifications_pending",
            ),
            models.Index(
                fields=["recipient", "channel", "-created_at"], name="notifications_inbox"
            ),
            # The unread badge on every page counts from this one.
            models.Index(
                fields=["recipient"],
                condition=Q(channel="inapp", read_at__isnull=True),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """What one user wants to receive. A user without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    digest_enabled = models.BooleanField(
        _("daily digest"),
        default=True,
        help_text=_("A morning summary of what your unit has due soon, due today and overdue."),
    )
    in_app_only = models.BooleanField(
        _("in the application only"),
        default=False,
        help_text=_("Keep messages in the application's inbox and send no e-mail."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class WorkingDayOverride(models.Model):
    """A government day swap: a weekday given off (ngày nghỉ bù) or a Saturday worked in
    exchange (ngày làm bù). Public holidays themselves come from the ``holidays`` package."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Working day (e.g. a working Saturday)")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("day swap")
        verbose_name_plural = _("day swaps")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


class WebhookEvent(models.TextChoices):
    """What another system can be told about, by a POST to its webhook."""

    DIRECTIVE_ISSUED = "directive.issued", _("Directive issued")
    TASK_ASSIGNED = "task.assigned", _("Task assigned to a unit")
    REPORT_SUBMITTED = "report.submitted", _("Progress report submitted")
    REPORT_ACCEPTED = "report.accepted", _("Progress report accepted")
    REPORT_RETURNED = "report.returned", _("Progress report returned")
    DEADLINE_PASSED = "deadline.passed", _("Deadline passed")
    ROLLUP_READY = "rollup.ready", _("Roll-up report ready")


class WebhookEndpoint(models.Model):
    """A URL of another system that is told, by a signed POST, when chosen events happen.

    ``secret`` signs every delivery (HMAC-SHA256); it is kept in clear because signing
    needs it, and shown to the administrator once, when the endpoint is registered. With
    ``unit`` set, only events about that unit and the units below it are sent.
    """

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("only events of this unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [str(labels.get(event, event)) for event in self.events]


class WebhookDelivery(models.Model):
    """One event to one endpoint: a row in the outbox, like an e-mail.

    ``event_key`` names the event ("task.assigned:345"); with the endpoint it is unique, so
    an event is never queued twice for the same endpoint. ``body`` is the JSON sent, kept
    as text so every attempt sends (and signs) exactly the same bytes.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    event_key = models.CharField(_("event key"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(
        _("last response status"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_key"], name="notifications_webhookdelivery_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notifications_webhook_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.endpoint.url}"
