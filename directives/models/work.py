"""Tasks a directive sets and their assignments to the units that hold them."""

from __future__ import annotations

import datetime

import pghistory
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directives.status import assignment_status, status_expression
from units.models import Unit

from .documents import Directive


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


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Task(models.Model):
    """Something a directive asks to be done, by a deadline or continuously."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("directive")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subtasks",
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
        return self.annotate(current_status=status_expression(today))


# Deleted with their task: the events say which units held it when it went.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
        return assignment_status(self)

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and not self.cancelled
