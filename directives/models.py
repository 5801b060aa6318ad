"""Directives, the tasks they set, the units that hold them, and what those units report."""

from __future__ import annotations

import datetime

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.models import Unit
from units.text import fold


class DirectiveKind(models.TextChoices):
    """Document types, stored as the abbreviation used in their numbers ("56-KL/TU").

    Labelled in their own context: "Decision" as a document type is not a decision on a
    request.
    """

    NQ = "NQ", pgettext_lazy("document type", "Resolution")
    KL = "KL", pgettext_lazy("document type", "Conclusion")
    CT = "CT", pgettext_lazy("document type", "Instruction")
    QD = "QĐ", pgettext_lazy("document type", "Decision")
    QDI = "QĐi", pgettext_lazy("document type", "Regulation")
    QC = "QC", pgettext_lazy("document type", "Rules")
    KH = "KH", pgettext_lazy("document type", "Plan")
    CTR = "CTr", pgettext_lazy("document type", "Action programme")
    CV = "CV", pgettext_lazy("document type", "Official letter")
    TB = "TB", pgettext_lazy("document type", "Notice")
    HD = "HD", pgettext_lazy("document type", "Guidance")
    DA = "ĐA", pgettext_lazy("document type", "Scheme")
    BC = "BC", pgettext_lazy("document type", "Report")


class DirectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    COMPLETED = "completed", _("Completed")
    SUPERSEDED = "superseded", _("Superseded")


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user) -> DirectiveQuerySet:
        from directives.scoping import directive_visibility_q

        return self.filter(directive_visibility_q(user))

    def search(self, text: str | None) -> DirectiveQuerySet:
        key = fold(text)
        if not key:
            return self
        for word in key.split():
            self = self.filter(search_text__contains=word)
        return self


@pghistory.track()
class Directive(models.Model):
    """A document a committee issues that sets tasks: a resolution, conclusion, plan...

    ``code`` is the number as printed ("56-KL/TU"), unique per issuing unit. A document
    can implement a higher one (``implements``: 872-CV/TU implements 43-KL/TW) and cites
    others (``references``), linked when the cited document is in the database.
    """

    kind = models.CharField(_("type"), max_length=8, choices=DirectiveKind.choices)
    number = models.CharField(_("number"), max_length=20, blank=True)
    code = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_('As printed, e.g. "56-KL/TU".')
    )
    issuer = models.ForeignKey(
        Unit,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="issued_directives",
    )
    issued_on = models.DateField(_("issued on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    term = models.CharField(_("term"), max_length=20, blank=True, help_text=_('e.g. "XVI"'))
    subject = models.TextField(_("subject"))
    full_text = models.TextField(_("full text"), blank=True)
    signer_on_behalf = models.CharField(_("on behalf of"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    recipients = ArrayField(
        models.CharField(max_length=300), verbose_name=_("recipients"), default=list, blank=True
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DirectiveStatus.choices,
        default=DirectiveStatus.IN_FORCE,
    )
    implements = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementations",
    )
    monitoring_unit = models.ForeignKey(
        Unit,
        verbose_name=_("monitoring unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitored_directives",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, default="")

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "code"],
                condition=~Q(code=""),
                name="directives_directive_code_per_issuer",
                violation_error_message=_("This issuer already has a document with this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["issuer", "-issued_on"], name="directives_dir_issuer_day"),
            models.Index(fields=["monitoring_unit"], name="directives_dir_monitor"),
            models.Index(fields=["code"], name="directives_dir_code"),
        ]

    def __str__(self) -> str:
        return self.code or f"{self.get_kind_display()} {self.issued_on:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = " ".join(
            fold(part) for part in (self.code, self.get_kind_display(), self.subject) if part
        )
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        """How lists name it: "Kết luận 56-KL/TU về ..." (the subject hidden when confidential)."""
        if self.confidential:
            return str(self)
        return f"{self.get_kind_display()} {self.code} {self.subject}".strip()


class DirectiveReference(models.Model):
    """A document cited by a directive, kept as cited and linked when it is known."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="references", verbose_name=_("directive")
    )
    cited_code = models.CharField(_("cited number"), max_length=60)
    cited_date = models.DateField(_("cited date"), null=True, blank=True)
    cited_issuer = models.CharField(_("cited issuer"), max_length=255, blank=True)
    cited_text = models.TextField(_("cited as"), blank=True)
    target = models.ForeignKey(
        Directive,
        verbose_name=_("linked document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "cited_code"], name="directives_reference_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["cited_code"],
                condition=Q(target__isnull=True),
                name="directives_ref_unresolved",
            ),
        ]

    def __str__(self) -> str:
        return self.cited_code


class ReviewMilestone(models.Model):
    """A planned interim (sơ kết) or final (tổng kết) review of a directive."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim review")
        FINAL = "final", _("Final review")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=120, help_text=_('e.g. "Sơ kết 5 năm"'))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("review milestone")
        verbose_name_plural = _("review milestones")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.label


def attachment_path(instance, filename: str) -> str:
    today = datetime.date.today()
    return f"attachments/{today:%Y/%m}/{filename}"


class DirectiveAttachment(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("directive attachment")
        verbose_name_plural = _("directive attachments")

    def __str__(self) -> str:
        return self.original_name


class DeadlineKind(models.TextChoices):
    DATE = "date", _("A date")
    PERIOD = "period", _("A period")
    RECURRING = "recurring", _("Recurring")
    ONGOING = "ongoing", _("Ongoing")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half-yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


@pghistory.track()
class Task(models.Model):
    """Something a directive asks to be done, by a deadline or continuously."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("directive")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )
    section = models.CharField(_("section"), max_length=20, blank=True, help_text=_('e.g. "2.3"'))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    deadline_kind = models.CharField(
        _("deadline"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        help_text=_("For a period, its last day; for a recurring duty, the first occurrence."),
    )
    period_label = models.CharField(
        _("period as written"), max_length=120, blank=True, help_text=_('e.g. "Quý III/2023"')
    )
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, blank=True
    )
    target_indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    target_unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["directive", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deadline_kind="recurring") | ~Q(recurrence=""),
                name="directives_task_recurring_has_recurrence",
                violation_error_message=_("A recurring task needs its recurrence."),
            ),
            models.CheckConstraint(
                condition=Q(deadline_kind="ongoing") | Q(due_on__isnull=False),
                name="directives_task_due_unless_ongoing",
                violation_error_message=_("A task needs a due date unless it is ongoing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.title}".strip()


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COORDINATING = "coordinating", _("Coordinating")


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssignmentQuerySet:
        return self.filter(user.scope.q("unit__")) if user.is_authenticated else self.none()

    def with_status(self, today: datetime.date | None = None) -> AssignmentQuerySet:
        from directives.status import status_expression

        return self.annotate(current_status=status_expression(today))


@pghistory.track()
class Assignment(models.Model):
    """A task given to one unit, as lead (chủ trì) or coordinating (phối hợp).

    ``original_due_on`` is the date first set; an approved extension moves ``due_on``
    only, so a late completion stays visible. ``completed_on`` and ``progress`` follow the
    latest accepted report. The status is derived (directives/status.py), never stored.
    """

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("task")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    original_due_on = models.DateField(_("original due date"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    last_reported_on = models.DateField(_("last accepted report"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="directives_assignment_once"),
        ]
        indexes = [
            models.Index(fields=["unit", "due_on"], name="directives_asg_unit_due"),
            # The reminder sweep reads open assignments by due date.
            models.Index(
                fields=["due_on"],
                condition=Q(completed_on__isnull=True, cancelled=False),
                name="directives_asg_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.unit}"

    @property
    def status(self) -> str:
        from directives.status import assignment_status

        return assignment_status(self)

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and not self.cancelled


class DirectiveReach(models.Model):
    """The units a directive is assigned to, with how many of its assignments each holds:
    what "is this directive assigned to someone in my scope?" asks, without going through
    a million assignments. Kept by database triggers on assignments and tasks (migration
    0003), never written by the application; tests compare it with a recount."""

    directive = models.ForeignKey(
        Directive, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Not a PositiveIntegerField: its CHECK would refuse the negative changes the trigger's
    # upsert proposes before adding them up.
    assignments = models.IntegerField()

    class Meta:
        verbose_name = _("directive reach")
        verbose_name_plural = _("directive reach")
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="directives_reach_once")
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.unit_id}: {self.assignments}"


class ReportStatus(models.TextChoices):
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
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120, blank=True)
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
        Assignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    current_due_on = models.DateField(_("due date when asked"))
    proposed_due_on = models.DateField(_("proposed due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("decision"), max_length=16, choices=DecisionStatus.choices, default="pending"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
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


class ExplanationRequest(models.Model):
    """A monitor asks a unit to explain why an assignment is overdue (yêu cầu giải trình)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="explanation_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(_("request"))
    answer = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.requested_at:%d/%m/%Y})"
