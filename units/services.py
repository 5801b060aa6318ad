"""Writes to the unit tree that are more than a form save."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from units.models import Unit, UnitChange, User
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


@transaction.atomic
def unit_merge(
    *,
    sources: list[Unit],
    into: Unit,
    effective_on: datetime.date,
    by: User | None = None,
    note: str = "",
) -> list[UnitChange]:
    """Merge ``sources`` into ``into`` (which may be a new unit) from ``effective_on``.

    For each source:
    1. close it (valid until the day before) and point it at its successor;
    2. move its current sub-units under the successor and its users to the successor;
    3. record the change and send ``unit_merged`` so open work moves too.
    The source rows stay, so documents and reports keep the names they used.
    """
    changes = []
    for source in sources:
        source.refresh_from_db()
        if source.pk == into.pk:
            raise ValidationError(_("A unit cannot be merged into itself."))
        if into.path.startswith(source.path):
            raise ValidationError(_("A unit cannot be merged into one of its own sub-units."))
        if source.successor_id is not None:
            raise ValidationError(
                _("%(unit)s has already been merged into another unit.") % {"unit": source.name}
            )
        for child in list(Unit.objects.get_children(source).active(effective_on)):
            Unit.objects.move(child, Unit.objects.get(pk=into.pk), "last-child")
        source.refresh_from_db()
        source.valid_to = effective_on - datetime.timedelta(days=1)
        source.successor = into
        source.save(update_fields=["valid_to", "successor", "search_text"])
        User.objects.filter(unit=source).update(unit=into)
        changes.append(
            UnitChange.objects.create(
                unit=source,
                kind=UnitChange.Kind.MERGE,
                effective_on=effective_on,
                old_name=source.name,
                new_name=into.name,
                successor=into,
                created_by=by,
                note=note,
            )
        )
        unit_merged.send(sender=Unit, source=source, successor=into, effective_on=effective_on)
    return changes
