"""Writes to tasks and their assignments: giving a task to units, and what a unit merge
does to the work it held."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.dispatch import receiver

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
) -> list[Assignment]:
    """Give ``task`` to each of ``units``; a unit that already holds it keeps its
    assignment (its role is updated). Returns the assignments, new and existing."""
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
    return result


def units_of_kind_under(*, parent: Unit, kind: str, level: str | None = None) -> list[Unit]:
    """Every active unit of ``kind`` under ``parent``: "Đảng ủy các xã, phường" of a town."""
    units = Unit.objects.subtree(parent).active().filter(kind=kind).exclude(pk=parent.pk)
    if level:
        units = units.filter(level=level)
    return list(units)


# --- Unit merges ------------------------------------------------------------------------


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
