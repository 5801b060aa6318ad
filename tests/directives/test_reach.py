"""DirectiveReach, kept by triggers, always equals a recount of the assignments."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count

from directives.models import Assignment, Directive, DirectiveReach, Task
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db


def recount() -> dict[tuple[int, int], int]:
    rows = Assignment.objects.values("task__directive_id", "unit_id").annotate(n=Count("pk"))
    return {(r["task__directive_id"], r["unit_id"]): r["n"] for r in rows}


def stored() -> dict[tuple[int, int], int]:
    return {(r.directive_id, r.unit_id): r.assignments for r in DirectiveReach.objects.all()}


def test_reach_follows_every_kind_of_change(two_provinces):
    rng = random.Random(7)
    units = [u for p in two_provinces.values() for u in p.values() if hasattr(u, "path")]
    units += [UnitFactory(parent=two_provinces["a"]["committee"]) for _ in range(3)]
    directives = [DirectiveFactory(issuer=two_provinces["a"]["committee"]) for _ in range(3)]
    tasks = [TaskFactory(directive=rng.choice(directives)) for _ in range(8)]
    for task in tasks:
        for unit in rng.sample(units, 4):
            AssignmentFactory(task=task, unit=unit)
    assert stored() == recount() and len(stored()) > 10

    # One assignment moved to another unit, one to another task, some deleted.
    moved = Assignment.objects.order_by("pk").first()
    free = next(u for u in units if not Assignment.objects.filter(task=moved.task, unit=u))
    moved.unit = free
    moved.save()
    assert stored() == recount()
    other = Assignment.objects.order_by("-pk").first()
    target = next(t for t in tasks if not Assignment.objects.filter(task=t, unit=other.unit))
    other.task = target
    other.save()
    assert stored() == recount()
    Assignment.objects.filter(
        pk__in=list(Assignment.objects.values_list("pk", flat=True)[:5])
    ).delete()
    assert stored() == recount()

    # A bulk move of everything a unit holds (what a merge does) and a task moved to
    # another directive.
    source, dest = units[0], units[-1]
    Assignment.objects.filter(unit=source).exclude(
        task__in=Assignment.objects.filter(unit=dest).values("task")
    ).update(unit=dest)
    assert stored() == recount()
    task = tasks[0]
    task.directive = next(d for d in directives if d.pk != task.directive_id)
    task.save()
    assert stored() == recount()

    # Removing a directive's tasks and assignments removes its pairs.
    gone = directives[1]
    Assignment.objects.filter(task__directive=gone).delete()
    Task.objects.filter(directive=gone).delete()
    Directive.objects.filter(pk=gone.pk).delete()
    assert stored() == recount()
    assert not DirectiveReach.objects.filter(directive_id=gone.pk).exists()
    assert not DirectiveReach.objects.filter(assignments__lte=0).exists()
