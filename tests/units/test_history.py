"""Renames and merges keep history: old documents keep the names they used."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from units.models import Role, Unit, UnitChange, UnitKind
from units.services import unit_merge, unit_rename
from units.signals import unit_merged

pytestmark = pytest.mark.django_db


def test_rename_keeps_the_old_name_for_earlier_dates():
    unit = UnitFactory(name="Ban Dân vận Tỉnh ủy")
    unit_rename(
        unit=unit, name="Ban Tuyên giáo và Dân vận Tỉnh ủy", effective_on=datetime.date(2025, 3, 1)
    )
    unit.refresh_from_db()
    assert unit.name == "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    assert unit.name_on(datetime.date(2019, 5, 14)) == "Ban Dân vận Tỉnh ủy"
    assert unit.name_on(datetime.date(2025, 3, 1)) == "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    assert "Ban Dân vận Tỉnh ủy" in unit.aliases
    assert Unit.objects.search("ban dan van tinh uy").filter(pk=unit.pk).exists()


def test_two_renames_give_each_period_its_own_name():
    unit = UnitFactory(name="A")
    unit_rename(unit=unit, name="B", effective_on=datetime.date(2020, 1, 1))
    unit_rename(unit=unit, name="C", effective_on=datetime.date(2025, 1, 1))
    assert [unit.name_on(datetime.date(y, 6, 1)) for y in (2019, 2022, 2025)] == ["A", "B", "C"]


def test_rename_to_the_same_or_an_empty_name_is_refused():
    unit = UnitFactory(name="Ban Dân vận")
    for bad in ("Ban Dân vận", "   "):
        with pytest.raises(ValidationError):
            unit_rename(unit=unit, name=bad, effective_on=datetime.date(2025, 1, 1))
    assert UnitChange.objects.count() == 0


def test_merge_closes_sources_moves_children_and_people_and_keeps_history():
    committee = UnitFactory(name="Tỉnh ủy Quảng Ngãi")
    propaganda = UnitFactory(
        name="Ban Tuyên giáo Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=committee
    )
    mass = UnitFactory(name="Ban Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=committee)
    team = UnitFactory(name="Tổ công tác dân vận", kind=UnitKind.OTHER, parent=mass)
    person = UserFactory(unit=mass, role=Role.MONITOR)
    merged = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=committee
    )
    received = []
    unit_merged.connect(
        lambda sender, **kw: received.append(kw["source"].name), weak=False, dispatch_uid="t"
    )
    try:
        unit_merge(sources=[propaganda, mass], into=merged, effective_on=datetime.date(2025, 3, 1))
    finally:
        unit_merged.disconnect(dispatch_uid="t")

    mass.refresh_from_db()
    team.refresh_from_db()
    person.refresh_from_db()
    assert mass.valid_to == datetime.date(2025, 2, 28)
    assert mass.successor_id == merged.pk
    assert Unit.objects.get_parent(team).pk == merged.pk
    assert person.unit_id == merged.pk
    assert received == ["Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy"]
    assert set(merged.predecessors.values_list("name", flat=True)) == {
        "Ban Tuyên giáo Tỉnh ủy",
        "Ban Dân vận Tỉnh ủy",
    }
    assert mass.name == "Ban Dân vận Tỉnh ủy"  # the old row keeps its name for old documents
    assert not Unit.objects.active(datetime.date(2025, 3, 1)).filter(pk=mass.pk).exists()
    assert Unit.objects.active(datetime.date(2024, 12, 31)).filter(pk=mass.pk).exists()


def test_merge_into_itself_or_a_descendant_is_refused_and_changes_nothing():
    parent = UnitFactory(name="Tỉnh ủy")
    child = UnitFactory(name="Ban", parent=parent)
    with pytest.raises(ValidationError):
        unit_merge(sources=[parent], into=child, effective_on=datetime.date(2025, 1, 1))
    parent.refresh_from_db()
    assert parent.valid_to is None and UnitChange.objects.count() == 0


def test_unit_page_shows_the_history(client):
    committee = UnitFactory(name="Tỉnh ủy")
    unit = UnitFactory(name="Ban Dân vận", parent=committee)
    unit_rename(unit=unit, name="Ban Tuyên giáo và Dân vận", effective_on=datetime.date(2025, 3, 1))
    client.force_login(UserFactory(unit=committee, role=Role.VIEWER))
    content = client.get(reverse("units:detail", args=[unit.pk])).content.decode()
    assert "Ban Dân vận" in content and "01/03/2025" in content


def test_audit_history_records_bulk_updates():
    unit = UnitFactory(name="Ban Dân vận")
    Unit.objects.filter(pk=unit.pk).update(email="bdv@donvi.example")
    events = (
        apps.get_model("units", "UnitEvent").objects.filter(pgh_obj_id=unit.pk).order_by("pgh_id")
    )
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events.last().email == "bdv@donvi.example"
