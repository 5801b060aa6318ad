"""Writes to the unit tree that are more than a form save."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from units.models import Unit, UnitChange, UnitKind, UnitLevel, User
from units.selectors import OpenItem, PlannedMove, RestructuringPlan, restructuring_plan
from units.signals import unit_merged
from units.text import nfc


@transaction.atomic
def unit_rename(
    *,
    unit: Unit,
    name: str,
    effective_on: datetime.date,
    short_name: str | None = None,
    abbreviation: str | None = None,
    by: User | None = None,
    note: str = "",
) -> UnitChange:
    """Rename ``unit`` from ``effective_on``.

    1. record the old name with the date, so ``name_on()`` shows it for older documents;
    2. keep the old name as an alias, so texts that still use it are matched;
    3. save the new name (and short name or abbreviation when given).
    """
    # A stale object would write an old tree path back on save().
    unit.refresh_from_db()
    _check_allowed(by, changed=[unit])
    _check_in_operation(unit, effective_on)
    name = nfc(name).strip()
    if not name:
        raise ValidationError(_("The new name must not be empty."))
    if name == unit.name:
        raise ValidationError(_("The new name is the same as the current name."))
    change = UnitChange.objects.create(
        unit=unit,
        kind=UnitChange.Kind.RENAME,
        effective_on=effective_on,
        old_name=unit.name,
        new_name=name,
        created_by=by,
        note=note,
    )
    if unit.name not in unit.aliases:
        unit.aliases = [*unit.aliases, unit.name]
    unit.name = name
    if short_name is not None:
        unit.short_name = nfc(short_name).strip()
    if abbreviation is not None:
        unit.abbreviation = abbreviation.strip()
    unit.save()
    return change


@dataclass(frozen=True)
class NewUnit:
    """A unit a merge or split creates, described before it exists (for the preview)."""

    name: str
    parent: Unit | None
    kind: str = UnitKind.PARTY_COMMITTEE
    level: str = UnitLevel.COMMUNE

    def preview(self) -> Unit:
        """An unsaved stand-in with the name, for the preview to show as a target."""
        return Unit(name=nfc(self.name).strip(), kind=self.kind, level=self.level)


# --- Checks shared by every restructuring -------------------------------------------------


def _check_allowed(by: User | None, *, changed: list[Unit], receiving: list[Unit] = ()) -> None:
    # ``by`` is None for management commands and data migrations, which act as the system.
    if by is None:
        return
    if not all(by.has_perm("units.restructure_unit", u) for u in changed) or not all(
        by.has_perm("units.receive_unit", u) for u in receiving if u.pk is not None
    ):
        raise PermissionDenied(_("You may only restructure units within your committee."))


def _check_in_operation(unit: Unit, effective_on: datetime.date) -> None:
    if unit.valid_to is not None and unit.valid_to < effective_on:
        raise ValidationError(
            _("%(unit)s is no longer in operation on that date.") % {"unit": unit.name}
        )
    if unit.valid_from is not None and effective_on <= unit.valid_from:
        raise ValidationError(
            _("The effective date must be after %(unit)s was established (%(day)s).")
            % {"unit": unit.name, "day": f"{unit.valid_from:%d/%m/%Y}"}
        )


def _check_expected(plan: RestructuringPlan, expected: set[str] | None) -> None:
    """The confirmation carries the keys the preview listed; when the open work changed in
    between, nothing is done and the user looks at the new preview."""
    if expected is not None and plan.keys() != set(expected):
        raise ValidationError(
            _("The open work of these units changed since the preview. Check the new preview.")
        )


def _create(new: NewUnit, effective_on: datetime.date) -> Unit:
    name = nfc(new.name).strip()
    if not name:
        raise ValidationError(_("The new unit needs a name."))
    data = {"name": name, "kind": new.kind, "level": new.level, "valid_from": effective_on}
    if new.parent is None:
        return Unit.objects.add_root(data)
    return Unit.objects.add_child(Unit.objects.get(pk=new.parent.pk), data)


def _remember_name(unit: Unit, names: list[str]) -> None:
    """Old names that now lead to ``unit``: search and import matching find it by them."""
    added = [n for n in names if n and n != unit.name and n not in unit.aliases]
    if added:
        unit.refresh_from_db()
        unit.aliases = [*unit.aliases, *dict.fromkeys(added)]
        unit.save()


def _close(unit: Unit, effective_on: datetime.date, successor: Unit | None) -> None:
    unit.refresh_from_db()
    unit.valid_to = effective_on - datetime.timedelta(days=1)
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor", "search_text"])


def _carry_out(plan: RestructuringPlan) -> None:
    """Make the moves of ``plan``, and only those."""
    Assignment = apps.get_model("directives.Assignment")
    Directive = apps.get_model("directives.Directive")
    ReportRequest = apps.get_model("reports.ReportRequest")
    UnitReport = apps.get_model("reports.UnitReport")
    for move in plan.moves:
        item: OpenItem = move.item
        target = move.target
        if target is None:
            continue
        if item.kind == "unit":
            # Fresh rows: every move rewrites paths the earlier ones read.
            Unit.objects.move(
                Unit.objects.get(pk=item.pk), Unit.objects.get(pk=target.pk), "last-child"
            )
        elif item.kind == "user":
            User.objects.filter(pk=item.pk, unit=item.source).update(unit=target)
        elif item.kind == "assignment":
            rows = Assignment.objects.filter(pk=item.pk, unit=item.source)
            if move.cancelled:
                rows.update(cancelled=True)
            else:
                rows.update(unit=target)
        elif item.kind == "report_request":
            request = ReportRequest.objects.get(pk=item.pk)
            request.units.remove(item.source)
            request.units.add(target)
            # A draft the old unit started goes with the request, unless the successor
            # has one of its own.
            if not UnitReport.objects.filter(request=request, unit=target).exists():
                UnitReport.objects.filter(request=request, unit=item.source, status="draft").update(
                    unit=target
                )
        elif item.kind == "report_collection":
            ReportRequest.objects.filter(pk=item.pk, committee=item.source).update(committee=target)
            ReportRequest.objects.filter(pk=item.pk, requested_by_unit=item.source).update(
                requested_by_unit=target
            )
        elif item.kind == "route":
            Directive.objects.filter(pk=item.pk, monitoring_unit=item.source).update(
                monitoring_unit=target
            )
        # Extension and explanation requests belong to their assignment and move with it.


def _record(
    *,
    unit: Unit,
    kind: str,
    effective_on: datetime.date,
    by: User | None,
    note: str,
    new_name: str = "",
    successor: Unit | None = None,
    old_parent: Unit | None = None,
) -> UnitChange:
    return UnitChange.objects.create(
        unit=unit,
        kind=kind,
        effective_on=effective_on,
        old_name=unit.name,
        new_name=new_name,
        successor=successor,
        old_parent=old_parent,
        created_by=by,
        note=note,
    )


# --- Merge --------------------------------------------------------------------------------


def unit_merge_plan(
    *, sources: list[Unit], into: Unit, effective_on: datetime.date
) -> RestructuringPlan:
    """What a merge of ``sources`` into ``into`` (saved, or a ``NewUnit.preview()``) moves."""
    return restructuring_plan(sources=sources, on=effective_on, target_for=lambda item: into)


def _check_merge(sources: list[Unit], into: Unit | None, effective_on: datetime.date) -> None:
    if not sources:
        raise ValidationError(_("Choose at least one unit to merge."))
    if len({s.pk for s in sources}) != len(sources):
        raise ValidationError(_("A unit is listed twice."))
    if into is not None and into.pk is not None:
        into.refresh_from_db()
    for source in sources:
        source.refresh_from_db()
        _check_in_operation(source, effective_on)
        if source.successor_id is not None:
            raise ValidationError(
                _("%(unit)s has already been merged into another unit.") % {"unit": source.name}
            )
        if into is not None and into.pk is not None:
            if source.pk == into.pk:
                raise ValidationError(_("A unit cannot be merged into itself."))
            if into.path.startswith(source.path):
                raise ValidationError(_("A unit cannot be merged into one of its own sub-units."))
    if into is not None and into.pk is not None and into.valid_to is not None:
        raise ValidationError(_("%(unit)s is no longer in operation.") % {"unit": into.name})


@transaction.atomic
def unit_merge(
    *,
    sources: list[Unit],
    into: Unit | None = None,
    new: NewUnit | None = None,
    effective_on: datetime.date,
    by: User | None = None,
    note: str = "",
    expected: set[str] | None = None,
) -> list[UnitChange]:
    """Merge ``sources`` into ``into``, or into a unit created from ``new``, from
    ``effective_on``.

    For each source:
    1. move what it holds that is still open (``unit_open_items``: sub-units, users,
       open assignments with their pending requests, report requests owed, directives it
       monitors) to the successor; finished work stays with the name that did it;
    2. close it (valid until the day before) and point it at its successor, whose
       aliases keep the old name for search and import matching;
    3. record the change and send ``unit_merged``.
    ``expected`` is the list of moves the preview showed; a different plan is refused.
    """
    if (into is None) == (new is None):
        raise ValidationError(_("Choose the unit to merge into, or name a new one."))
    for unit in [*sources, into, new.parent if new else None]:
        if unit is not None and unit.pk is not None:
            unit.refresh_from_db()
    receiving = into if into is not None else new.parent
    _check_allowed(by, changed=sources, receiving=[receiving] if receiving else [])
    if new is not None and new.parent is None and by is not None and not by.is_admin:
        raise PermissionDenied(_("You may only restructure units within your committee."))
    _check_merge(sources, into, effective_on)
    if new is not None:
        preview = new.preview()
        _check_expected(
            unit_merge_plan(sources=sources, into=preview, effective_on=effective_on), expected
        )
        into = _create(new, effective_on)
        if any(into.path.startswith(s.path) for s in sources):
            raise ValidationError(_("A unit cannot be merged into one of its own sub-units."))
    plan = unit_merge_plan(sources=sources, into=into, effective_on=effective_on)
    if new is None:
        _check_expected(plan, expected)
    _carry_out(plan)
    changes = []
    for source in sources:
        _close(source, effective_on, into)
        changes.append(
            _record(
                unit=source,
                kind=UnitChange.Kind.MERGE,
                effective_on=effective_on,
                by=by,
                note=note,
                new_name=into.name,
                successor=into,
            )
        )
        _remember_name(into, [source.name, *source.aliases])
        unit_merged.send(sender=Unit, source=source, successor=into, effective_on=effective_on)
    return changes


# --- Split --------------------------------------------------------------------------------


def unit_split_plan(
    *,
    source: Unit,
    successors: list[Unit],
    choices: Mapping[str, int],
    effective_on: datetime.date,
) -> RestructuringPlan:
    """What splitting ``source`` moves: each item to ``successors[choices[item.key]]``
    (the first successor when no choice was made yet)."""

    def target_for(item: OpenItem) -> Unit:
        index = choices.get(item.key, 0)
        return successors[index] if 0 <= index < len(successors) else successors[0]

    return restructuring_plan(sources=[source], on=effective_on, target_for=target_for)


@transaction.atomic
def unit_split(
    *,
    source: Unit,
    successors: list[Unit | NewUnit],
    choices: Mapping[str, int],
    effective_on: datetime.date,
    by: User | None = None,
    note: str = "",
    expected: set[str] | None = None,
) -> UnitChange:
    """Split ``source`` into ``successors`` (existing units, or new ones to create) from
    ``effective_on``. ``choices`` says, for every sub-unit and open item (by its key),
    the index of the successor it goes to; every one must be chosen."""
    if len(successors) < 2:
        raise ValidationError(_("A split needs at least two successor units."))
    existing = [s for s in successors if isinstance(s, Unit)]
    for unit in [source, *existing]:
        unit.refresh_from_db()
    receiving = existing + [s.parent for s in successors if isinstance(s, NewUnit) and s.parent]
    _check_allowed(by, changed=[source], receiving=receiving)
    source.refresh_from_db()
    _check_in_operation(source, effective_on)
    if source.successor_id is not None:
        raise ValidationError(
            _("%(unit)s has already been merged into another unit.") % {"unit": source.name}
        )
    if len({s.pk for s in existing}) != len(existing):
        raise ValidationError(_("A unit is listed twice."))
    for unit in existing:
        unit.refresh_from_db()
        if unit.pk == source.pk or unit.path.startswith(source.path):
            raise ValidationError(_("A unit cannot be split into itself or its own sub-units."))
        if unit.valid_to is not None:
            raise ValidationError(_("%(unit)s is no longer in operation.") % {"unit": unit.name})
    stand_ins = [s if isinstance(s, Unit) else s.preview() for s in successors]
    preview = unit_split_plan(
        source=source, successors=stand_ins, choices=choices, effective_on=effective_on
    )
    missing = [
        m.item.label
        for m in preview.moves
        if not m.item.follows and not 0 <= choices.get(m.item.key, -1) < len(successors)
    ]
    if missing:
        raise ValidationError(
            _("Choose the successor of: %(items)s") % {"items": "; ".join(missing[:5])}
        )
    _check_expected(preview, expected)
    created = [s if isinstance(s, Unit) else _create(s, effective_on) for s in successors]
    plan = unit_split_plan(
        source=source, successors=created, choices=choices, effective_on=effective_on
    )
    _carry_out(plan)
    _close(source, effective_on, created[0])
    change = _record(
        unit=source,
        kind=UnitChange.Kind.SPLIT,
        effective_on=effective_on,
        by=by,
        note=note,
        new_name=", ".join(u.name for u in created),
        successor=created[0],
    )
    change.successors.set(created)
    for unit in created:
        _remember_name(unit, [source.name])
    return change


# --- Move and close -----------------------------------------------------------------------


def unit_move_plan(*, unit: Unit, parent: Unit) -> RestructuringPlan:
    """A move takes the unit with its whole subtree, its users and its work: one line."""
    old_parent = Unit.objects.get_parent(unit) or unit
    return RestructuringPlan(
        moves=[PlannedMove(item=OpenItem("unit", unit.pk, unit.name, old_parent), target=parent)]
    )


@transaction.atomic
def unit_move(
    *,
    unit: Unit,
    parent: Unit,
    effective_on: datetime.date,
    by: User | None = None,
    note: str = "",
) -> UnitChange:
    """Move ``unit`` (with its sub-units, users and work) under ``parent`` from
    ``effective_on``; the old parent is recorded for the unit's history."""
    unit.refresh_from_db()
    parent.refresh_from_db()
    _check_allowed(by, changed=[unit], receiving=[parent])
    _check_in_operation(unit, effective_on)
    if parent.valid_to is not None:
        raise ValidationError(_("%(unit)s is no longer in operation.") % {"unit": parent.name})
    if parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or its own sub-units."))
    old_parent = Unit.objects.get_parent(unit)
    if old_parent is not None and old_parent.pk == parent.pk:
        raise ValidationError(_("The unit is already under %(unit)s.") % {"unit": parent.name})
    Unit.objects.move(unit, parent, "last-child")
    unit.refresh_from_db()
    return _record(
        unit=unit,
        kind=UnitChange.Kind.MOVE,
        effective_on=effective_on,
        by=by,
        note=note,
        new_name=parent.name,
        old_parent=old_parent,
    )


def unit_close_plan(
    *, unit: Unit, successor: Unit | None, effective_on: datetime.date
) -> RestructuringPlan:
    """A closure moves the sub-units up to the unit's parent (to the successor at the top
    of the tree) and everything else to the successor."""
    parent = Unit.objects.get_parent(unit)

    def target_for(item: OpenItem) -> Unit | None:
        if item.kind == "unit":
            return parent or successor
        return successor

    return restructuring_plan(sources=[unit], on=effective_on, target_for=target_for)


@transaction.atomic
def unit_close(
    *,
    unit: Unit,
    effective_on: datetime.date,
    successor: Unit | None = None,
    by: User | None = None,
    note: str = "",
    expected: set[str] | None = None,
) -> UnitChange:
    """Close ``unit`` from ``effective_on`` (it operates until the day before): its
    sub-units move up, its users and open work go to ``successor``, which is required
    when there are any."""
    unit.refresh_from_db()
    if successor is not None:
        successor.refresh_from_db()
    _check_allowed(by, changed=[unit], receiving=[successor] if successor else [])
    _check_in_operation(unit, effective_on)
    if successor is not None:
        if successor.pk == unit.pk or successor.path.startswith(unit.path):
            raise ValidationError(_("The successor must not be the unit or one of its sub-units."))
        if successor.valid_to is not None:
            raise ValidationError(
                _("%(unit)s is no longer in operation.") % {"unit": successor.name}
            )
    plan = unit_close_plan(unit=unit, successor=successor, effective_on=effective_on)
    if any(m.target is None for m in plan.moves):
        raise ValidationError(
            _("This unit still has users or open work: choose the unit that takes them over.")
        )
    _check_expected(plan, expected)
    _carry_out(plan)
    _close(unit, effective_on, successor)
    if successor is not None:
        _remember_name(successor, [unit.name])
    return _record(
        unit=unit,
        kind=UnitChange.Kind.CLOSE,
        effective_on=effective_on,
        by=by,
        note=note,
        new_name=successor.name if successor else "",
        successor=successor,
    )
