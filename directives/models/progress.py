"""What units report on their assignments and what they ask of the monitor."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .documents import attachment_path
from .work import Assignment


class ReportStatus(models.TextChoices):
    # Only where the committee asks unit leaders to approve reports (Unit.leader_approval).
    AWAITING_LEADER = "awaiting_leader", _("Awaiting the unit leader")
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


@pghistory.track()
class ProgressReport(models.Model):
    """What a unit reports on an assignment. Never edited once submitted: a returned
    report is answered by a new one, so the history stays whole."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("assignment")
    )
    reported_on = models.DateField(_("report date"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed = models.BooleanField(
        _("completed"),
        default=False,
        help_text=_("Tick when the task, or this period's duty, is done."),
    )
    results = models.TextField(_("results"))
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    # A default rather than auto_now_add, so imported history keeps its real dates.
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    resubmission_of = models.OneToOneField(
        "self",
        verbose_name=_("answers the returned report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resubmission",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    # The unit leader who let the report go to the committee, where leaders approve.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the unit leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_reports",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-submitted_at", "-id"]
        triggers = [
            # What a unit submitted is never rewritten, whatever code path tries to.
            pgtrigger.ReadOnly(
                name="progress_report_content_read_only",
                fields=[
                    "assignment", "reported_on", "percent", "completed", "results",
                    "difficulties", "proposals", "indicator_value", "author", "submitted_at",
                    "resubmission_of",
                ],
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["assignment", "-submitted_at"], name="directives_rep_asg"),
            models.Index(
                fields=["submitted_at"],
                condition=Q(status="submitted"),
                name="directives_rep_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.reported_on:%d/%m/%Y} · {self.percent}%"


class ProgressAttachment(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        verbose_name = _("progress attachment")
        verbose_name_plural = _("progress attachments")

    def __str__(self) -> str:
        return self.original_name


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


@pghistory.track()
class ExtensionRequest(models.Model):
    """A unit asks for a later due date; the monitor decides. The original date is kept."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    current_due_on = models.DateField(_("due date when asked"))
    proposed_due_on = models.DateField(_("proposed due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("decision"), max_length=16, choices=DecisionStatus.choices, default="pending"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="directives_extension_one_pending",
                violation_error_message=_("This assignment already has a pending request."),
            ),
            models.CheckConstraint(
                condition=Q(proposed_due_on__gt=models.F("current_due_on")),
                name="directives_extension_later",
                violation_error_message=_("The proposed date must be later than the due date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.proposed_due_on:%d/%m/%Y}"


@pghistory.track()
class ExplanationRequest(models.Model):
    """A monitor asks a unit to explain why an assignment is overdue (yêu cầu giải trình)."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="explanation_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    message = models.TextField(_("request"))
    answer = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.requested_at:%d/%m/%Y})"
