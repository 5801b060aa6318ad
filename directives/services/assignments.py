"""Writes to tasks and their assignments: giving a task to units, and what a unit merge
does to the work it held."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils.translation import gettext as _

from directives import signals
from directives.models import Assignment, AssignmentRole, DeadlineKind, Task
from units.models import Unit
from units.signals import unit_merged


def task_default_due(task: Task) -> tuple[datetime.date | None, bool]:
    """(due date, ongoing) that a new assignment of ``task`` starts with."""
    if task.deadline_kind == DeadlineKind.ONGOING:
        return None, True
    return task.due_on, False


@transaction.atomic
def task_assign(
    *,
    task: Task,
    units: Sequence[Unit],
    role: str = AssignmentRole.LEAD,
    due_on: datetime.date | None = None,
    announce: bool = False,
) -> list[Assignment]:
    """Give ``task`` to each of ``units``; a unit that already holds it keeps its
    assignment (its role is updated). Returns the assignments, new and existing.
    With ``announce`` the people of each unit given the task are told (once)."""
    default_due, ongoing = task_default_due(task)
    due = due_on or default_due
    result = []
    for unit in units:
        assignment, created = Assignment.objects.get_or_create(
            task=task,
            unit=unit,
            defaults={
                "role": role,
                "due_on": due,
                "original_due_on": due,
                "ongoing": ongoing,
                "recurrence": task.recurrence,
            },
        )
        if not created and assignment.role != role:
            assignment.role = role
            assignment.save(update_fields=["role"])
        result.append(assignment)
        if created and announce:
            signals.assignments_given.send(sender=Assignment, assignments=[assignment])
    return result


def units_of_kind_under(*, parent: Unit, kind: str, level: str | None = None) -> list[Unit]:
    """Every active unit of ``kind`` under ``parent``: "Đảng ủy các xã, phường" of a town."""
    units = Unit.objects.subtree(parent).active().filter(kind=kind).exclude(pk=parent.pk)
    if level:
        units = units.filter(level=level)
    return list(units)


# --- Unit merges ------------------------------------------------------------------------


@transaction.atomic
def task_assign_units(
    *,
    task: Task,
    within: QuerySet[Unit],
    units: Sequence[Unit] = (),
    parent: Unit | None = None,
    kind: str = "",
    level: str | None = None,
    role: str = AssignmentRole.LEAD,
    due_on: datetime.date | None = None,
) -> tuple[int, int]:
    """Give ``task`` to units picked one by one and, with a ``parent`` and a ``kind``, to
    every unit of that kind under it; (assignments created, units that already held it).

    1. only units ``within`` the assigner's reach count, whatever was picked;
    2. none left → ValidationError, nothing written;
    3. `task_assign` each, a unit holding the task already keeping its assignment.
    """
    chosen = list(units)
    if parent is not None:
        chosen += units_of_kind_under(parent=parent, kind=kind, level=level or None)
    # units_of_kind_under stays inside the parent's subtree, itself in scope;
    # filtering again keeps that true whatever it does later.
    allowed = set(within.filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True))
    chosen = list({u.pk: u for u in chosen if u.pk in allowed}.values())
    if not chosen:
        raise ValidationError(_("No unit of that kind was found under the chosen parent unit."))
    held = set(task.assignments.values_list("unit_id", flat=True))
    task_assign(task=task, units=chosen, role=role, due_on=due_on, announce=True)
    created = sum(1 for u in chosen if u.pk not in held)
    return created, len(chosen) - created


def assignment_cancel(*, assignment: Assignment) -> Assignment:
    """The unit no longer holds the task; its reports stay. Cancelling twice changes
    nothing."""
    if not assignment.cancelled:
        assignment.cancelled = True
        assignment.save(update_fields=["cancelled"])
    return assignment


@receiver(unit_merged, dispatch_uid="directives.move_open_assignments")
def move_open_assignments(sender, *, source: Unit, successor: Unit, **kwargs) -> None:
    """Open work of a merged unit goes to its successor; finished work stays with the
    name that did it. Where the successor already holds the task, the source's
    assignment is cancelled rather than duplicated."""
    open_assignments = Assignment.objects.filter(
        unit=source, completed_on__isnull=True, cancelled=False
    )
    held = set(Assignment.objects.filter(unit=successor).values_list("task_id", flat=True))
    open_assignments.filter(task_id__in=held).update(cancelled=True)
    open_assignments.exclude(task_id__in=held).update(unit=successor)
