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
