"""The 2025 reorganisation of the political system, applied to the demo through the same
restructuring services the pages use (``units.services``), so the demo's history is the
history a user would have recorded.

What the demo applies, in order:

* 01/03/2025 — at the centre and in every province, the Ban Tuyên giáo and the Ban Dân
  vận are merged into one "Ban Tuyên giáo và Dân vận". The boards were merged in early
  2025; the day is illustrative.
* 01/07/2025 — the district level ends: each district-level committee operates until
  30/06/2025. Its communes and wards move up under the province committee (the receiving
  one, for a merged province); its boards and bodies close, their users and open work
  going to the same body of the province; then the committee closes.
* 01/07/2025 — provinces merge: Hải Dương into Hải Phòng, Phú Yên into Đắk Lắk, Kiên
  Giang into An Giang, Kon Tum into Quảng Ngãi (Hà Tĩnh keeps its borders). Each body of
  the merged province merges into the same body of the receiving one, then the committee
  itself.

The communes keep the demo's names: in reality most were merged and renamed in 2025 too,
so the commune names of the current map are illustrative.
"""

from __future__ import annotations

import datetime
import re

from units.models import Unit, UnitKind, UnitLevel
from units.selectors import current_successors
from units.services import NewUnit, unit_close, unit_merge, unit_move

D = datetime.date
K = UnitKind

BOARDS_MERGED_ON = D(2025, 3, 1)
DISTRICTS_CLOSED_ON = D(2025, 7, 1)
PROVINCES_MERGED_ON = D(2025, 7, 1)
# (merged province, receiving province), committee names without "Tỉnh ủy"/"Thành ủy".
PROVINCE_MERGERS = [
    ("Tỉnh ủy Hải Dương", "Thành ủy Hải Phòng"),
    ("Tỉnh ủy Phú Yên", "Tỉnh ủy Đắk Lắk"),
    ("Tỉnh ủy Kiên Giang", "Tỉnh ủy An Giang"),
    ("Tỉnh ủy Kon Tum", "Tỉnh ủy Quảng Ngãi"),
]
NOTE_BOARDS = "Hợp nhất Ban Tuyên giáo và Ban Dân vận theo chủ trương sắp xếp tổ chức bộ máy."
NOTE_DISTRICTS = "Kết thúc hoạt động của cấp huyện; xã, phường trực thuộc cấp tỉnh."
NOTE_PROVINCES = "Hợp nhất đơn vị hành chính cấp tỉnh."

# The days the demo's history is written up to before each step (see documents.py).
STEPS = [BOARDS_MERGED_ON, DISTRICTS_CLOSED_ON]


def _fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def _key(unit: Unit) -> tuple[str, str]:
    """What a body is, whatever committee it belongs to: "BDVHU" of a district and
    "BDVTU" of a province are both the Ban Dân vận."""
    return unit.kind, re.sub(r"(TU|HU|TW)$", "", unit.abbreviation)


def _children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1))


def _in_operation(unit: Unit) -> Unit:
    return current_successors(unit)[0]


def _counterpart(unit: Unit, old_root: Unit, new_root: Unit) -> Unit:
    """The unit under ``new_root`` that takes over ``unit`` (a body under ``old_root``):
    the same body in the same place, or failing that what takes over its parent."""
    parent = Unit.objects.get_parent(_fresh(unit))
    above = new_root if parent.pk == old_root.pk else _counterpart(parent, old_root, new_root)
    above = _fresh(above)
    key = _key(unit)
    if key[1]:
        for child in _children(above):
            if _key(child) == key:
                return _in_operation(child)
    return above


def _bodies(root: Unit, on: datetime.date) -> list[Unit]:
    """The units in operation under ``root`` on ``on``, the deepest first."""
    units = Unit.objects.subtree(root).active(on).exclude(pk=root.pk)
    return sorted(units, key=lambda u: (-u.depth, u.path))


def boards_merge(on: datetime.date = BOARDS_MERGED_ON) -> list[str]:
    """The Ban Tuyên giáo and the Ban Dân vận of the centre and of every province become
    one Ban Tuyên giáo và Dân vận."""
    done = []
    committees = Unit.objects.active(on).filter(
        kind=K.PARTY_COMMITTEE, level__in=[UnitLevel.CENTRAL, UnitLevel.PROVINCE]
    )
    for committee in committees:
        boards = {_key(c)[1]: c for c in _children(committee) if c.kind == K.PARTY_BOARD}
        if "BTG" not in boards or "BDV" not in boards:
            continue
        central = committee.level == UnitLevel.CENTRAL
        name = (
            "Ban Tuyên giáo và Dân vận Trung ương"
            if central
            else f"Ban Tuyên giáo và Dân vận {committee.name}"
        )
        changes = unit_merge(
            sources=[boards["BTG"], boards["BDV"]],
            new=NewUnit(name=name, parent=committee, kind=K.PARTY_BOARD, level=committee.level),
            effective_on=on,
            note=NOTE_BOARDS,
        )
        board = _fresh(changes[0].successor)
        word = " ".join(committee.name.split()[:2])
        board.abbreviation = "BTGDVTW" if central else "BTGDVTU"
        board.email = f"btgdv.{committee.pk}@donvi.example"
        if not central:
            board.aliases = [*board.aliases, f"Ban Tuyên giáo và Dân vận {word}"]
        board.save()
        done.append(f"{on:%d/%m/%Y}: {boards['BTG'].name} + {boards['BDV'].name} → {name}")
    return done


def _receiving(province: Unit) -> Unit:
    for old, new in PROVINCE_MERGERS:
        if province.name == old:
            return Unit.objects.get(name=new)
    return province


def districts_close(on: datetime.date = DISTRICTS_CLOSED_ON) -> list[str]:
    """Each district-level committee closes: communes up, bodies into the province's."""
    done = []
    districts = list(
        Unit.objects.active(on).filter(kind=K.PARTY_COMMITTEE, level=UnitLevel.DISTRICT)
    )
    for district in districts:
        province = _receiving(Unit.objects.get_parent(_fresh(district)))
        communes = [
            c
            for c in _children(_fresh(district))
            if c.kind == K.PARTY_COMMITTEE and c.level == UnitLevel.COMMUNE and c.is_active
        ]
        for commune in communes:
            unit_move(unit=commune, parent=province, effective_on=on, note=NOTE_DISTRICTS)
        district = _fresh(district)
        for body in _bodies(district, on):
            unit_close(
                unit=body,
                effective_on=on,
                successor=_counterpart(body, district, province),
                note=NOTE_DISTRICTS,
            )
        unit_close(unit=district, effective_on=on, successor=province, note=NOTE_DISTRICTS)
        done.append(
            f"{on:%d/%m/%Y}: {district.name} kết thúc hoạt động (đến 30/06/2025); "
            f"{len(communes)} xã, phường chuyển về {province.name}"
        )
    return done


def provinces_merge(on: datetime.date = PROVINCES_MERGED_ON) -> list[str]:
    """Each merged province's bodies go into the receiving province's, then the committee."""
    done = []
    for old_name, new_name in PROVINCE_MERGERS:
        old, new = Unit.objects.get(name=old_name), Unit.objects.get(name=new_name)
        for body in _bodies(old, on):
            target = _counterpart(body, old, new)
            if _key(target) == _key(body):
                unit_merge(sources=[body], into=target, effective_on=on, note=NOTE_PROVINCES)
        unit_merge(sources=[_fresh(old)], into=_fresh(new), effective_on=on, note=NOTE_PROVINCES)
        done.append(f"{on:%d/%m/%Y}: {old_name} hợp nhất vào {new_name}")
    return done


def apply_step(day: datetime.date) -> list[str]:
    """The changes that take effect on ``day`` (one of ``STEPS``)."""
    if day == BOARDS_MERGED_ON:
        return boards_merge(day)
    return districts_close(day) + provinces_merge(day)
