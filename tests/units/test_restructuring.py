"""Restructuring: open work follows the successor, finished work stays, the preview lists
exactly what moves, and a monitor may restructure only within their committee."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from directives.importing.apply import unit_refs
from directives.importing.units import match_unit
from directives.models import Assignment, Directive, ExplanationRequest, ExtensionRequest
from reports.models import ReportingPeriod, ReportRequest, UnitReport
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Role, Unit, UnitChange, UnitKind, UnitLevel, User
from units.selectors import current_successors, unit_open_items
from units.services import (
    NewUnit,
    unit_close,
    unit_merge,
    unit_merge_plan,
    unit_move,
    unit_split,
    unit_split_plan,
)

pytestmark = pytest.mark.django_db
D = datetime.date
JULY = D(2025, 7, 1)


def commune(name: str, parent: Unit) -> Unit:
    return UnitFactory(
        name=name, kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE, parent=parent
    )


def report_request(committee: Unit, *units: Unit) -> ReportRequest:
    period, _ = ReportingPeriod.objects.get_or_create(
        kind="first_half",
        start_on=D(2025, 1, 1),
        end_on=D(2025, 6, 30),
        defaults={"label": "6 tháng đầu năm 2025"},
    )
    request = ReportRequest.objects.create(
        title="Báo cáo sơ kết 6 tháng",
        requested_by_unit=committee,
        committee=committee,
        period=period,
        deadline=D(2025, 7, 15),
    )
    request.units.set(units)
    return request


@pytest.fixture
def province(two_provinces):
    a = two_provinces["a"]
    a["x"] = commune("Đảng ủy xã Tân Hưng", a["committee"])
    a["y"] = commune("Đảng ủy xã Tân Việt", a["committee"])
    a["z"] = commune("Đảng ủy xã Thanh Hải", a["committee"])
    return a


def test_merge_moves_everything_the_preview_lists_and_nothing_else(province):
    x, y, z, board = province["x"], province["y"], province["z"], province["board"]
    hamlet = UnitFactory(name="Chi bộ thôn 1", kind=UnitKind.OTHER, parent=x)
    leader = UserFactory(unit=x, role=Role.LEADER)
    staff = UserFactory(unit=y, role=Role.STAFF)
    bystander = UserFactory(unit=z, role=Role.STAFF)
    open_x = AssignmentFactory(unit=x, due_on=D(2025, 3, 31))
    done_x = AssignmentFactory(unit=x, completed_on=D(2025, 3, 1), progress=100)
    cancelled_x = AssignmentFactory(unit=x, cancelled=True)
    shared_task = TaskFactory()
    open_y = AssignmentFactory(unit=y, task=shared_task)
    held_by_z = AssignmentFactory(unit=z, task=shared_task)
    other_z = AssignmentFactory(unit=z)
    extension = ExtensionRequest.objects.create(
        assignment=open_x,
        requested_by=leader,
        current_due_on=D(2025, 3, 31),
        proposed_due_on=D(2025, 9, 30),
        reason="Chờ hướng dẫn mới",
    )
    decided = ExtensionRequest.objects.create(
        assignment=open_x,
        requested_by=leader,
        current_due_on=D(2025, 1, 31),
        proposed_due_on=D(2025, 3, 31),
        reason="Lần trước",
        status="approved",
    )
    explanation = ExplanationRequest.objects.create(
        assignment=open_x, requested_by=province["monitor"], message="Giải trình việc chậm"
    )
    owed = report_request(province["committee"], x, z)
    answered = report_request(province["committee"], y)
    UnitReport.objects.create(
        request=answered, unit=y, status="submitted", submitted_at=timezone.now()
    )
    collecting = report_request(x, hamlet)
    collected = report_request(x, hamlet)
    UnitReport.objects.create(
        request=collected, unit=hamlet, status="submitted", submitted_at=timezone.now()
    )
    monitored = DirectiveFactory(issuer=province["committee"], monitoring_unit=x)
    finished = DirectiveFactory(issuer=province["committee"], monitoring_unit=x, status="completed")

    plan = unit_merge_plan(sources=[x, y], into=z, effective_on=JULY)
    listed = {(m.item.kind, m.item.pk) for m in plan.moves}
    assert listed == {
        ("unit", hamlet.pk),
        ("user", leader.pk),
        ("user", staff.pk),
        ("assignment", open_x.pk),
        ("assignment", open_y.pk),
        ("extension", extension.pk),
        ("explanation", explanation.pk),
        ("report_request", owed.pk),
        ("report_collection", collecting.pk),
        ("route", monitored.pk),
    }
    assert {m.item.pk for m in plan.moves if m.cancelled} == {open_y.pk}

    unit_merge(
        sources=[x, y],
        into=z,
        effective_on=JULY,
        by=province["monitor"],
        expected=plan.keys(),
    )

    assert Unit.objects.get_parent(Unit.objects.get(pk=hamlet.pk)).pk == z.pk
    assert set(User.objects.filter(unit=z).values_list("pk", flat=True)) == {
        leader.pk,
        staff.pk,
        bystander.pk,
    }
    assert Assignment.objects.get(pk=open_x.pk).unit_id == z.pk
    # z already held the shared task: y's copy is cancelled, not duplicated.
    assert Assignment.objects.get(pk=open_y.pk).unit_id == y.pk
    assert Assignment.objects.get(pk=open_y.pk).cancelled
    # Finished work stays with the unit and the name that did it.
    assert Assignment.objects.get(pk=done_x.pk).unit_id == x.pk
    assert Assignment.objects.get(pk=cancelled_x.pk).unit_id == x.pk
    assert Assignment.objects.get(pk=held_by_z.pk).unit_id == z.pk
    assert Assignment.objects.get(pk=other_z.pk).unit_id == z.pk
    assert ExtensionRequest.objects.get(pk=extension.pk).assignment.unit_id == z.pk
    assert ExtensionRequest.objects.get(pk=decided.pk).assignment_id == open_x.pk
    assert set(owed.units.values_list("pk", flat=True)) == {z.pk}
    assert set(answered.units.values_list("pk", flat=True)) == {y.pk}
    collecting.refresh_from_db()
    collected.refresh_from_db()
    assert collecting.committee_id == z.pk and collecting.requested_by_unit_id == z.pk
    assert collected.committee_id == x.pk
    assert Directive.objects.get(pk=monitored.pk).monitoring_unit_id == z.pk
    assert Directive.objects.get(pk=finished.pk).monitoring_unit_id == x.pk
    assert Unit.objects.get(pk=board.pk).valid_to is None
    x.refresh_from_db()
    assert x.valid_to == D(2025, 6, 30) and x.successor_id == z.pk and x.name.endswith("Tân Hưng")
    assert UnitChange.objects.filter(unit__in=[x, y], kind="merge").count() == 2
    assert UnitChange.objects.count() == 2


def test_merge_refuses_a_stale_preview_and_changes_nothing(province):
    x, z = province["x"], province["z"]
    plan = unit_merge_plan(sources=[x], into=z, effective_on=JULY)
    late = AssignmentFactory(unit=x)
    with pytest.raises(ValidationError):
        unit_merge(sources=[x], into=z, effective_on=JULY, expected=plan.keys())
    x.refresh_from_db()
    assert x.valid_to is None and Assignment.objects.get(pk=late.pk).unit_id == x.pk
    assert not UnitChange.objects.exists()


def test_merge_into_a_new_unit_creates_it_from_the_effective_date(province):
    x, y = province["x"], province["y"]
    open_x = AssignmentFactory(unit=x)
    changes = unit_merge(
        sources=[x, y],
        new=NewUnit(name="Đảng ủy xã Tân Việt Hưng", parent=province["committee"]),
        effective_on=JULY,
        by=province["monitor"],
    )
    new = changes[0].successor
    assert new.valid_from == JULY and Unit.objects.get_parent(new).pk == province["committee"].pk
    assert Assignment.objects.get(pk=open_x.pk).unit_id == new.pk
    assert current_successors(x) == [new]


def test_split_sends_each_item_to_the_successor_chosen_for_it(province):
    x, y, z = province["x"], province["y"], province["z"]
    first = UnitFactory(name="Chi bộ 1", kind=UnitKind.OTHER, parent=x)
    second = UnitFactory(name="Chi bộ 2", kind=UnitKind.OTHER, parent=x)
    to_y = AssignmentFactory(unit=x)
    to_z = AssignmentFactory(unit=x)
    person = UserFactory(unit=x, role=Role.STAFF)
    owed = report_request(province["committee"], x)
    choices = {
        f"unit-{first.pk}": 0,
        f"unit-{second.pk}": 1,
        f"assignment-{to_y.pk}": 0,
        f"assignment-{to_z.pk}": 1,
        f"user-{person.pk}": 1,
        f"report_request-{owed.pk}": 0,
    }
    plan = unit_split_plan(source=x, successors=[y, z], choices=choices, effective_on=JULY)
    assert {m.item.key: m.target.pk for m in plan.moves} == {
        k: (y.pk if v == 0 else z.pk) for k, v in choices.items()
    }

    change = unit_split(
        source=x,
        successors=[y, z],
        choices=choices,
        effective_on=JULY,
        by=province["monitor"],
        expected=plan.keys(),
    )

    assert Unit.objects.get_parent(Unit.objects.get(pk=first.pk)).pk == y.pk
    assert Unit.objects.get_parent(Unit.objects.get(pk=second.pk)).pk == z.pk
    assert Assignment.objects.get(pk=to_y.pk).unit_id == y.pk
    assert Assignment.objects.get(pk=to_z.pk).unit_id == z.pk
    assert User.objects.get(pk=person.pk).unit_id == z.pk
    assert set(owed.units.values_list("pk", flat=True)) == {y.pk}
    assert change.kind == "split" and set(change.successors.all()) == {y, z}
    assert current_successors(x) == [y, z]


def test_split_without_a_choice_for_every_item_is_refused(province):
    x, y, z = province["x"], province["y"], province["z"]
    chosen = AssignmentFactory(unit=x)
    forgotten = AssignmentFactory(unit=x)
    with pytest.raises(ValidationError):
        unit_split(
            source=x,
            successors=[y, z],
            choices={f"assignment-{chosen.pk}": 1},
            effective_on=JULY,
        )
    assert Assignment.objects.get(pk=forgotten.pk).unit_id == x.pk
    assert Assignment.objects.get(pk=chosen.pk).unit_id == x.pk
    assert not UnitChange.objects.exists()


def test_move_takes_the_subtree_and_keeps_the_old_parent_in_history(two_provinces):
    a = two_provinces["a"]
    district = UnitFactory(
        name="Huyện ủy Kim Thành", kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.DISTRICT,
        parent=a["committee"],
    )  # fmt: skip
    village = commune("Đảng ủy xã Kim Xuyên", district)
    front = UnitFactory(name="MTTQ xã Kim Xuyên", kind=UnitKind.FATHERLAND_FRONT, parent=village)
    work = AssignmentFactory(unit=village)
    change = unit_move(unit=village, parent=a["committee"], effective_on=JULY, by=a["monitor"])
    village.refresh_from_db()
    assert Unit.objects.get_parent(village).pk == a["committee"].pk
    assert Unit.objects.get_parent(Unit.objects.get(pk=front.pk)).pk == village.pk
    assert Assignment.objects.get(pk=work.pk).unit_id == village.pk
    assert change.kind == "move" and change.old_parent_id == district.pk
    # The committee's monitors still see it: it stayed inside their subtree.
    assert Unit.objects.visible_to(a["monitor"]).filter(pk=village.pk).exists()


def test_close_moves_sub_units_up_and_work_to_the_successor(two_provinces):
    a = two_provinces["a"]
    district = UnitFactory(
        name="Huyện ủy Kim Thành", kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.DISTRICT,
        parent=a["committee"],
    )  # fmt: skip
    village = commune("Đảng ủy xã Kim Xuyên", district)
    person = UserFactory(unit=district, role=Role.STAFF)
    with pytest.raises(ValidationError):
        unit_close(unit=district, effective_on=JULY)
    assert User.objects.get(pk=person.pk).unit_id == district.pk

    unit_close(unit=district, effective_on=JULY, successor=a["committee"], by=a["monitor"])
    assert Unit.objects.get_parent(Unit.objects.get(pk=village.pk)).pk == a["committee"].pk
    assert User.objects.get(pk=person.pk).unit_id == a["committee"].pk
    district.refresh_from_db()
    assert district.valid_to == D(2025, 6, 30)


def test_a_monitor_outside_the_subtree_is_refused_and_nothing_changes(two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    work = AssignmentFactory(unit=a["commune"])
    outsider = b["monitor"]
    attempts = [
        lambda: unit_merge(sources=[a["commune"]], into=a["front"], effective_on=JULY, by=outsider),
        # Taking a unit of one's own committee into another committee is refused too.
        lambda: unit_merge(
            sources=[b["commune"]], into=a["commune"], effective_on=JULY, by=outsider
        ),
        lambda: unit_move(unit=a["commune"], parent=b["committee"], effective_on=JULY, by=outsider),
        lambda: unit_close(
            unit=a["commune"], effective_on=JULY, successor=b["commune"], by=outsider
        ),
        lambda: unit_split(
            source=a["commune"],
            successors=[a["front"], a["board"]],
            choices={},
            effective_on=JULY,
            by=outsider,
        ),  # fmt: skip
        # A staff member of the unit itself may not restructure it either.
        lambda: unit_close(unit=a["commune"], effective_on=JULY, by=a["commune_staff"]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert not UnitChange.objects.exists()
    assert Assignment.objects.get(pk=work.pk).unit_id == a["commune"].pk
    assert Unit.objects.get(pk=a["commune"].pk).valid_to is None


def test_an_old_name_finds_the_unit_and_its_successor(two_provinces):
    hai_duong = two_provinces["a"]["committee"]
    hai_phong = UnitFactory(name="Tỉnh ủy Hải Phòng", kind=UnitKind.PARTY_COMMITTEE)
    unit_merge(sources=[hai_duong], into=hai_phong, effective_on=JULY)

    found = Unit.objects.search("tinh uy hai duong")
    assert set(found.values_list("pk", flat=True)) == {hai_duong.pk, hai_phong.pk}
    assert current_successors(Unit.objects.get(pk=hai_duong.pk)) == [hai_phong]
    # An imported document naming the old committee is offered its successor.
    match = match_unit("Tỉnh ủy Hải Dương", unit_refs(Unit.objects.active()))
    assert match is not None and match.id == hai_phong.pk


def test_open_items_of_a_unit_without_work_are_its_people_only(province):
    person = UserFactory(unit=province["x"], role=Role.STAFF)
    assert [(i.kind, i.pk) for i in unit_open_items(unit=province["x"], on=JULY)] == [
        ("user", person.pk)
    ]


def test_escalations_of_a_merged_committees_directives_go_to_the_successors_board(
    two_provinces,
):
    from notifications.reminders import fallback_monitoring_unit_id

    a, b = two_provinces["a"], two_provinces["b"]
    directive = DirectiveFactory(issuer=a["committee"], monitoring_unit=None)
    assert fallback_monitoring_unit_id(directive.issuer_id) == a["board"].pk
    unit_merge(sources=[a["board"]], into=b["board"], effective_on=JULY)
    unit_merge(sources=[a["committee"]], into=b["committee"], effective_on=JULY)
    assert fallback_monitoring_unit_id(directive.issuer_id) == b["board"].pk
    assert User.objects.get(pk=a["monitor"].pk).unit_id == b["board"].pk


def test_importing_a_document_that_names_a_merged_unit_offers_its_successor(db):
    from directives.importing import apply
    from tests.directives.test_import_apply import SEED_004, build_ducpho

    world = build_ducpho()
    council = world["council"]
    changes = unit_merge(
        sources=[council],
        new=NewUnit(
            name="Hội đồng nhân dân phường Đức Phổ",
            parent=world["town"],
            kind=council.kind,
            level=council.level,
        ),
        effective_on=JULY,
    )
    successor = changes[0].successor
    proposal = apply.proposal_from_text(
        SEED_004.read_text(encoding="utf-8"),
        units=Unit.objects.visible_to(world["monitor"]).active(),
    )
    leads = {t["section"]: (t.get("lead_unit") or {}).get("unit_id") for t in proposal["tasks"]}
    assert leads["II.2.1"] == successor.pk


def test_merging_two_units_that_hold_the_same_task_leaves_the_successor_one(province):
    x, y = province["x"], province["y"]
    task = TaskFactory()
    first = AssignmentFactory(unit=x, task=task, due_on=D(2025, 9, 30))
    second = AssignmentFactory(unit=y, task=task, due_on=D(2025, 9, 30))

    changes = unit_merge(
        sources=[x, y], new=NewUnit("Đảng ủy xã Tân Hưng Việt", province["committee"]),
        effective_on=JULY,
    )  # fmt: skip

    successor = changes[0].successor
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.unit, first.cancelled) == (successor, False)
    assert (second.unit, second.cancelled) == (y, True)
    assert Assignment.objects.filter(unit=successor, task=task).count() == 1
