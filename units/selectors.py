"""Reads of units, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.filtersets import UnitFilterSet
from units.models import Role, Unit, UnitChange, UnitQuerySet, User


def units_for_user(*, user: User, filters: dict | None = None) -> tuple[QuerySet, UnitFilterSet]:
    queryset = Unit.objects.visible_to(user).select_related("successor")
    filterset = UnitFilterSet(filters or None, queryset=queryset)
    return filterset.qs, filterset


def unit_for_user(*, user: User, pk: int) -> Unit:
    """The unit, or Unit.DoesNotExist when it is outside the user's scope."""
    return Unit.objects.visible_to(user).get(pk=pk)


# --- Restructuring: what a change would move, shown before it is confirmed -------------

# What moves with a restructuring, in the order the preview lists it.
ITEM_KINDS: dict[str, str] = {
    "unit": gettext_lazy("Sub-units"),
    "user": gettext_lazy("Users"),
    "assignment": gettext_lazy("Open assignments"),
    "extension": gettext_lazy("Pending extension requests"),
    "explanation": gettext_lazy("Pending explanation requests"),
    "report_request": gettext_lazy("Report requests owed"),
    "report_collection": gettext_lazy("Report requests it is collecting"),
    "route": gettext_lazy("Notification routes (directives whose monitors get the escalations)"),
}
# Kinds whose successor a split lets the user choose; requests follow their assignment.
CHOOSABLE_KINDS = ("unit", "user", "assignment", "report_request", "report_collection", "route")


@dataclass(frozen=True)
class OpenItem:
    """One thing a unit holds that a restructuring moves to a successor."""

    kind: str
    pk: int
    label: str
    source: Unit
    # For a request: the key of the assignment it follows.
    follows: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"


@dataclass(frozen=True)
class PlannedMove:
    item: OpenItem
    target: Unit | None
    # True when the successor already holds the same task: the item is cancelled instead.
    cancelled: bool = False


@dataclass
class RestructuringPlan:
    """What one restructuring would do; the preview shows it and the service carries out
    exactly these moves, so nothing the preview did not list is touched."""

    moves: list[PlannedMove] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[PlannedMove]]]:
        return [
            (label, [m for m in self.moves if m.item.kind == kind])
            for kind, label in ITEM_KINDS.items()
            if any(m.item.kind == kind for m in self.moves)
        ]

    def keys(self) -> set[str]:
        return {m.item.key for m in self.moves}


def _model(label: str):
    # units/ does not import the apps built on it; their models are looked up by name.
    return apps.get_model(label)


def unit_open_items(*, unit: Unit, on: datetime.date) -> list[OpenItem]:
    """Everything ``unit`` holds that should follow it to a successor from ``on``: its
    sub-units in operation, its users, its open assignments with their pending extension
    and explanation requests, the report requests it still owes, and the directives it
    monitors (whose overdue escalations go to its monitors). Finished work is not listed:
    it stays with the unit and the name it had."""
    Assignment = _model("directives.Assignment")
    ExtensionRequest = _model("directives.ExtensionRequest")
    ExplanationRequest = _model("directives.ExplanationRequest")
    Directive = _model("directives.Directive")
    ReportRequest = _model("reports.ReportRequest")
    UnitReport = _model("reports.UnitReport")

    items = [
        OpenItem("unit", child.pk, child.name, unit)
        # Not get_children(): it trusts the possibly stale numchild of the object passed.
        for child in Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).active(
            on
        )
    ]
    items += [
        OpenItem("user", u.pk, f"{u.get_full_name() or u.username} ({u.get_role_display()})", unit)
        for u in User.objects.filter(unit=unit).order_by("last_name", "first_name", "username")
    ]
    assignments = list(
        Assignment.objects.filter(unit=unit, completed_on__isnull=True, cancelled=False)
        .select_related("task__directive")
        .order_by("task__directive__issued_on", "task_id")
    )
    labels = {a.pk: _assignment_label(a) for a in assignments}
    items += [OpenItem("assignment", a.pk, labels[a.pk], unit) for a in assignments]
    items += [
        OpenItem(
            "extension",
            r.pk,
            _("%(task)s: later due date %(day)s asked")
            % {"task": labels[r.assignment_id], "day": f"{r.proposed_due_on:%d/%m/%Y}"},
            unit,
            follows=f"assignment-{r.assignment_id}",
        )
        for r in ExtensionRequest.objects.filter(
            assignment_id__in=labels, status="pending"
        ).order_by("pk")
    ]
    items += [
        OpenItem(
            "explanation",
            r.pk,
            _("%(task)s: explanation asked on %(day)s")
            % {"task": labels[r.assignment_id], "day": f"{r.requested_at:%d/%m/%Y}"},
            unit,
            follows=f"assignment-{r.assignment_id}",
        )
        for r in ExplanationRequest.objects.filter(
            assignment_id__in=labels, answered_at__isnull=True
        ).order_by("pk")
    ]
    items += [
        OpenItem("report_request", r.pk, f"{r.title} ({r.deadline:%d/%m/%Y})", unit)
        for r in ReportRequest.objects.filter(units=unit)
        .exclude(
            pk__in=UnitReport.objects.filter(unit=unit, status="submitted").values("request_id")
        )
        .order_by("deadline", "pk")
    ]
    collecting = (
        ReportRequest.objects.filter(Q(committee=unit) | Q(requested_by_unit=unit))
        .prefetch_related("units", "unit_reports")
        .order_by("deadline", "pk")
    )
    items += [
        OpenItem("report_collection", r.pk, f"{r.title} ({r.deadline:%d/%m/%Y})", unit)
        for r in collecting
        # Still collecting: some unit it asks has not submitted yet.
        if {u.pk for u in r.units.all()}
        - {x.unit_id for x in r.unit_reports.all() if x.status == "submitted"}
    ]
    items += [
        OpenItem("route", d.pk, d.title[:200], unit)
        for d in Directive.objects.filter(monitoring_unit=unit)
        .exclude(status__in=["completed", "superseded"])
        .order_by("issued_on", "pk")
    ]
    return items


def _assignment_label(assignment) -> str:
    task = assignment.task
    title = f"{task.section} {task.title}".strip()
    if len(title) > 120:
        title = title[:119] + "…"
    return f"{task.directive} · {title}"


def restructuring_plan(
    *,
    sources: list[Unit],
    on: datetime.date,
    target_for: Callable[[OpenItem], Unit | None],
) -> RestructuringPlan:
    """The moves that take each source's open items to ``target_for(item)``. A request
    follows its assignment; an assignment whose target already holds the same task is
    cancelled rather than duplicated."""
    Assignment = _model("directives.Assignment")
    plan = RestructuringPlan()
    # Tasks each target holds, with those the moves planned so far give it: two sources
    # holding the same task leave the successor one assignment, not two.
    held_by: dict[int, set[int]] = {}
    for source in sources:
        items = unit_open_items(unit=source, on=on)
        targets = {i.key: target_for(i) for i in items if not i.follows}
        task_of = dict(
            Assignment.objects.filter(
                pk__in=[i.pk for i in items if i.kind == "assignment"]
            ).values_list("pk", "task_id")
        )
        for item in items:
            target = targets[item.follows] if item.follows else targets[item.key]
            cancelled = False
            if item.kind == "assignment" and target is not None and target.pk is not None:
                if target.pk not in held_by:
                    held_by[target.pk] = set(
                        Assignment.objects.filter(unit=target).values_list("task_id", flat=True)
                    )
                cancelled = task_of[item.pk] in held_by[target.pk]
                held_by[target.pk].add(task_of[item.pk])
            plan.moves.append(PlannedMove(item=item, target=target, cancelled=cancelled))
    return plan


def unit_history(*, unit: Unit) -> list[dict]:
    """The unit's history, newest first, as the unit's page shows it: its own changes and
    the units merged or split into it ("Trước ngày 01/07/2025: Tỉnh ủy Hải Dương")."""
    own = list(
        unit.changes.select_related("successor", "old_parent").prefetch_related("successors")
    )
    absorbed = list(
        UnitChange.objects.filter(Q(successor=unit) | Q(successors=unit))
        .exclude(unit=unit)
        .select_related("unit")
        .distinct()
    )
    rows = [{"change": c, "own": True, "day": c.effective_on} for c in own]
    rows += [{"change": c, "own": False, "day": c.effective_on} for c in absorbed]
    rows.sort(key=lambda r: (r["day"], r["change"].pk), reverse=True)
    return rows


def current_successors(unit: Unit) -> list[Unit]:
    """The units in operation that carry on ``unit``'s work: itself while it operates;
    after a merge or closure, its successor (followed through later changes); after a
    split, each of the units it was split into. What new assignments should go to."""
    seen: set[int] = set()
    result: list[Unit] = []
    pending = [unit]
    while pending:
        current = pending.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.valid_to is None:
            result.append(current)
            continue
        split = current.changes.filter(kind=UnitChange.Kind.SPLIT).first()
        if split is not None:
            pending.extend(split.successors.order_by("path"))
        elif current.successor_id:
            pending.append(current.successor)
    return result


def units_restructurable_by(user: User) -> UnitQuerySet:
    """Units in operation that ``user`` may rename, merge, split, move or close."""
    units = Unit.objects.active()
    if user.is_admin:
        return units
    path = user.scope.path
    if user.role != Role.MONITOR or path is None:
        return units.none()
    return units.filter(path__startswith=path).exclude(path=path)


def units_receivable_by(user: User) -> UnitQuerySet:
    """Units in operation that ``user`` may choose as a successor or a new parent."""
    if not user.is_admin and user.role != Role.MONITOR:
        return Unit.objects.none()
    return Unit.objects.visible_to(user).active()


def units_absorbed_into(*, path: str, as_of: datetime.date) -> UnitQuerySet:
    """Units outside the subtree at ``path`` that had closed by ``as_of`` and whose work
    went to a unit inside it (directly, or through one more merge): figures for a period
    that spans the change count their work under the successor. Lazy: use it as a
    subquery."""
    return (
        Unit.objects.filter(valid_to__lt=as_of)
        .filter(
            Q(successor__path__startswith=path) | Q(successor__successor__path__startswith=path)
        )
        .exclude(path__startswith=path)
        .order_by()
    )


def names_on(*, unit_ids: list[int], day: datetime.date) -> dict[int, str]:
    """The names renamed units had on ``day``, for those renamed since: one query."""
    names: dict[int, str] = {}
    renames = UnitChange.objects.filter(
        unit_id__in=unit_ids, kind=UnitChange.Kind.RENAME, effective_on__gt=day
    ).order_by("-effective_on", "-pk")
    for change in renames.only("unit_id", "old_name"):
        names[change.unit_id] = change.old_name  # the earliest rename after ``day`` wins
    return names
