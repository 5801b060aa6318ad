"""Collective leads: a name in a task that stands for every unit of a kind.

"Đảng ủy các xã, phường", "các cấp ủy, tổ chức đảng", "Ban Dân vận các huyện ủy" name no
single unit. They resolve to a group (a kind, a level, a word of the name), and on
confirm the task goes to every active unit of that group in the issuing committee's
subtree that the user may assign, through the same bulk assignment as the directive
page (`task_assign_units`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from directives.services import units_of_kind_under
from units.models import Unit, UnitKind, UnitLevel

from .cleaning import fold


@dataclass(frozen=True)
class UnitGroup:
    key: str
    label: str
    kind: str
    level: str | None
    name_has: str = ""  # a folded word the unit's name must contain ("dan van")


_COMMUNE = r"(?:xa|phuong|thi tran|dac khu)"
_DISTRICT = r"(?:huyen|quan|thi xa|thanh pho)"
_DISTRICT_COMMITTEE = r"(?:huyen uy|quan uy|thi uy|thanh uy)"

# The most specific first: a Ban Dân vận of the district committees before the committees.
GROUPS: list[tuple[UnitGroup, re.Pattern]] = [
    (
        UnitGroup(
            "boards_dan_van_district",
            _("Ban Dân vận of every district committee"),
            UnitKind.PARTY_BOARD,
            UnitLevel.DISTRICT,
            "dan van",
        ),
        re.compile(rf"\bban dan van cac {_DISTRICT_COMMITTEE}"),
    ),
    (
        UnitGroup(
            "committees_commune",
            _("Party committees of every commune and ward"),
            UnitKind.PARTY_COMMITTEE,
            UnitLevel.COMMUNE,
        ),
        re.compile(rf"\b(?:dang uy|cap uy) cac {_COMMUNE}|\bcac dang uy {_COMMUNE}"),
    ),
    (
        UnitGroup(
            "committees_district",
            _("Every district party committee"),
            UnitKind.PARTY_COMMITTEE,
            UnitLevel.DISTRICT,
        ),
        re.compile(rf"\bcac {_DISTRICT_COMMITTEE}"),
    ),
    (
        UnitGroup(
            "committees_all",
            _("Every party committee and organisation below"),
            UnitKind.PARTY_COMMITTEE,
            None,
        ),
        re.compile(r"\bcac (?:cap uy|to chuc dang|dang bo)"),
    ),
    (
        UnitGroup(
            "peoples_committees_commune",
            _("People's Committees of every commune and ward"),
            UnitKind.PEOPLES_COMMITTEE,
            UnitLevel.COMMUNE,
        ),
        re.compile(rf"\b(?:ubnd|uy ban nhan dan) cac {_COMMUNE}"),
    ),
    (
        UnitGroup(
            "peoples_committees_district",
            _("People's Committees of every district"),
            UnitKind.PEOPLES_COMMITTEE,
            UnitLevel.DISTRICT,
        ),
        re.compile(rf"\b(?:ubnd|uy ban nhan dan) cac {_DISTRICT}"),
    ),
    (
        UnitGroup(
            "fronts_commune",
            _("Fatherland Front committees of every commune and ward"),
            UnitKind.FATHERLAND_FRONT,
            UnitLevel.COMMUNE,
        ),
        re.compile(rf"\b(?:mttq|mat tran to quoc)(?: viet nam)? cac {_COMMUNE}"),
    ),
]
BY_KEY = {group.key: group for group, _pattern in GROUPS}
CHOICES = [(group.key, group.label) for group, _pattern in GROUPS]


def group_for_name(name: str | None) -> UnitGroup | None:
    """The group a collective name stands for, or None for the name of one body."""
    key = fold(name or "")
    if not key:
        return None
    for group, pattern in GROUPS:
        if pattern.search(key):
            return group
    return None


def group_units(key: str, *, issuer: Unit | None, within: QuerySet[Unit]) -> list[Unit]:
    """Every active unit of group ``key`` under the issuer's committee that is ``within``
    the user's reach; [] when the group or the issuer is unknown."""
    group = BY_KEY.get(key)
    if group is None or issuer is None:
        return []
    units = units_of_kind_under(parent=issuer.committee(), kind=group.kind, level=group.level)
    if group.name_has:
        units = [u for u in units if group.name_has in fold(u.name)]
    allowed = set(within.filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    return [u for u in units if u.pk in allowed]


def group_count_in(key: str, *, issuer_id: int | None, rows: list[tuple]) -> int:
    """How many units `group_units` would give, counted in ``rows`` (pk, name, path,
    kind, level) of the units the user may use, with no query: for the review page."""
    group = BY_KEY.get(key)
    paths = {pk: (path, kind) for pk, _name, path, kind, _level in rows}
    if group is None or issuer_id not in paths:
        return 0
    path, kind = paths[issuer_id]
    committees = [p for p, k in paths.values() if k == UnitKind.PARTY_COMMITTEE]
    above = [p for p in committees if path.startswith(p)]
    committee = max(above, key=len) if kind != UnitKind.PARTY_COMMITTEE and above else path
    return sum(
        1
        for _pk, name, unit_path, unit_kind, level in rows
        if unit_path.startswith(committee)
        and unit_path != committee
        and unit_kind == group.kind
        and (group.level is None or level == group.level)
        and (not group.name_has or group.name_has in fold(name))
    )
