"""Turning a reviewed proposal into records (directives/importing/apply.py)."""

from __future__ import annotations

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from directives.importing import apply
from directives.importing.apply import (
    directive_import,
    implemented_code,
    proposal_from_text,
    task_schedule,
    task_title,
)
from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineKind,
    Directive,
    DirectiveReference,
    Task,
)
from tests.factories import DirectiveFactory, UnitFactory, UserFactory
from units.models import Role, Unit, UnitKind, UnitLevel

SEEDS = Path(__file__).resolve().parents[2] / "sampledata" / "seed_documents"
SEED_004 = SEEDS / "004_f63d29f789b56af6.txt"


def build_ducpho() -> dict:
    """Thị ủy Đức Phổ with the bodies seed 004 names, a monitor, and a unit elsewhere."""
    town = UnitFactory(name="Thị ủy Đức Phổ", aliases=["Ban Thường vụ Thị ủy Đức Phổ"])
    world = {
        "town": town,
        "board": UnitFactory(
            name="Ban Dân vận Thị ủy Đức Phổ",
            kind=UnitKind.PARTY_BOARD,
            aliases=["Ban Dân vận Thị ủy"],
            parent=town,
        ),
        "council": UnitFactory(
            name="Hội đồng nhân dân thị xã Đức Phổ",
            kind=UnitKind.PEOPLES_COUNCIL,
            aliases=["Thường trực Hội đồng nhân dân thị xã Đức Phổ"],
            parent=town,
        ),
        "committee": UnitFactory(
            name="Ủy ban nhân dân thị xã Đức Phổ",
            kind=UnitKind.PEOPLES_COMMITTEE,
            aliases=["UBND thị xã Đức Phổ"],
            parent=town,
        ),
        "front": UnitFactory(
            name="Ủy ban Mặt trận Tổ quốc Việt Nam thị xã Đức Phổ",
            kind=UnitKind.FATHERLAND_FRONT,
            aliases=["Mặt trận Tổ quốc thị xã Đức Phổ"],
            parent=town,
        ),
        "elsewhere": UnitFactory(name="Ủy ban nhân dân tỉnh Phú Yên"),
    }
    # "Đảng ủy các xã, phường" of the town: the two communes under it.
    world["communes"] = [
        UnitFactory(
            name=f"Đảng ủy {name}",
            level=UnitLevel.COMMUNE,
            parent=town,
            kind=UnitKind.PARTY_COMMITTEE,
        )
        for name in ("phường Nguyễn Nghiêm", "xã Phổ Châu")
    ]
    world["monitor"] = UserFactory(username="bdv_ducpho", unit=world["board"], role=Role.MONITOR)
    return world


@pytest.fixture
def ducpho(db) -> dict:
    return build_ducpho()


def _proposal(world: dict) -> dict:
    return proposal_from_text(
        SEED_004.read_text(encoding="utf-8"), units=Unit.objects.visible_to(world["monitor"])
    )


def test_task_title_is_the_first_sentence_at_most_500_characters() -> None:
    assert task_title("Chỉ đạo rà soát văn bản. Báo cáo kết quả.") == "Chỉ đạo rà soát văn bản."
    assert task_title("Dòng đầu\nDòng sau") == "Dòng đầu"
    long = "Tăng cường công tác dân vận " * 40
    title = task_title(long)
    assert len(title) <= 500 and title.endswith("…")


def test_schedule_of_each_kind_of_deadline() -> None:
    issued = datetime.date(2023, 7, 17)
    period = task_schedule(
        {"deadline": "2023-12-31", "deadline_label": "6 tháng cuối năm 2023"}, issued_on=issued
    )
    assert period["deadline_kind"] == DeadlineKind.PERIOD
    assert period["period_label"] == "6 tháng cuối năm 2023"
    date = task_schedule({"deadline": "2024-06-15"}, issued_on=issued)
    assert date["deadline_kind"] == DeadlineKind.DATE and date["due_on"] == datetime.date(
        2024, 6, 15
    )
    # The user changed the date: the period as written no longer describes it.
    moved = task_schedule(
        {"deadline": "2023-11-30", "deadline_label": "6 tháng cuối năm 2023"}, issued_on=issued
    )
    assert moved["deadline_kind"] == DeadlineKind.DATE and moved["period_label"] == ""
    quarterly = task_schedule({"recurrence": "quarterly"}, issued_on=issued)
    assert quarterly["deadline_kind"] == DeadlineKind.RECURRING
    assert quarterly["due_on"] == datetime.date(2023, 9, 30)
    assert task_schedule({"ongoing": True}, issued_on=issued)["deadline_kind"] == "ongoing"
    assert task_schedule({}, issued_on=issued)["deadline_kind"] == "ongoing"


def test_implemented_code_only_when_the_subject_says_it_carries_out_a_document() -> None:
    assert implemented_code("Thực hiện Kết luận số 43-KL/TW của Ban Bí thư") == "43-KL/TW"
    assert implemented_code("về việc triển khai thực hiện Chỉ thị số 05-CT/TW") == "05-CT/TW"
    assert implemented_code("cụ thể hóa Nghị quyết Trung ương 5 số 25-NQ/TW") == "25-NQ/TW"
    # A review of the work on a document is part of that document's chain.
    assert (
        implemented_code("về kết quả kiểm tra 5 năm thực hiện Nghị quyết số 25-NQ/TW") == "25-NQ/TW"
    )
    assert implemented_code("về sơ kết 5 năm thực hiện Kết luận số 43-KL/TW") == "43-KL/TW"
    # Merely naming a document is not carrying it out.
    assert implemented_code("về công tác dân vận theo tinh thần Nghị quyết số 25-NQ/TW") is None
    assert implemented_code("về công tác dân vận") is None


def test_import_of_seed_004_creates_tasks_with_periods_and_units(ducpho) -> None:
    proposal = _proposal(ducpho)
    choices = apply.unit_choices_from_matches(proposal)
    directive = directive_import(
        proposal=proposal,
        by=ducpho["monitor"],
        issuer=ducpho["town"],
        monitoring_unit=ducpho["board"],
        unit_choices=choices,
    )
    assert directive.code == "" and directive.kind == "KL"
    assert directive.created_by == ducpho["monitor"]
    tasks = list(directive.tasks.order_by("order"))
    assert len(tasks) == 20
    first = tasks[0]
    assert first.section == "II.1.1"
    assert first.deadline_kind == DeadlineKind.PERIOD
    assert first.due_on == datetime.date(2023, 12, 31)
    assert first.period_label == "6 tháng cuối năm 2023"
    by_section = {t.section: t for t in tasks}
    council = by_section["II.2.1"].assignments.get(role=AssignmentRole.LEAD)
    assert council.unit == ducpho["council"] and council.due_on == datetime.date(2023, 12, 31)
    assert by_section["II.2.2"].assignments.get().unit == ducpho["committee"]
    assert by_section["III.2"].assignments.get().unit == ducpho["board"]
    assert by_section["III.2"].deadline_kind == DeadlineKind.ONGOING
    assert directive.references.filter(cited_code="43-KL/TW").exists()


def test_a_failure_midway_leaves_no_rows(ducpho) -> None:
    proposal = _proposal(ducpho)
    calls = {"n": 0}
    real_assign = apply.task_assign

    def failing_assign(**kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("database went away")
        return real_assign(**kwargs)

    with mock.patch.object(apply, "task_assign", failing_assign), pytest.raises(RuntimeError):
        directive_import(
            proposal=proposal,
            by=ducpho["monitor"],
            issuer=ducpho["town"],
            monitoring_unit=ducpho["board"],
            unit_choices=apply.unit_choices_from_matches(proposal),
        )
    assert calls["n"] == 5
    assert not Directive.objects.exists()
    assert not Task.objects.exists()
    assert not Assignment.objects.exists()
    assert not DirectiveReference.objects.exists()


def test_a_unit_outside_the_users_scope_is_refused(ducpho) -> None:
    proposal = _proposal(ducpho)
    with pytest.raises(ValidationError, match="không thuộc phạm vi"):
        directive_import(
            proposal=proposal,
            by=ducpho["monitor"],
            issuer=ducpho["town"],
            monitoring_unit=ducpho["board"],
            unit_choices={0: {"lead": ducpho["elsewhere"].pk, "coordinating": []}},
        )
    assert not Directive.objects.exists()


def test_a_duplicate_number_or_a_news_report_is_refused(ducpho) -> None:
    DirectiveFactory(code="74-KH/TU", issuer=ducpho["town"])
    proposal = {**_proposal(ducpho), "code": "74-KH/TU"}
    with pytest.raises(ValidationError, match="74-KH/TU"):
        directive_import(
            proposal=proposal, by=None, issuer=ducpho["town"], monitoring_unit=None,
            unit_choices={},
        )  # fmt: skip
    news = proposal_from_text((SEEDS / "002_88e453569ce4e8b0.txt").read_text(), units=[])
    with pytest.raises(ValidationError, match="bài báo"):
        directive_import(
            proposal=news, by=None, issuer=ducpho["town"], monitoring_unit=None, unit_choices={}
        )
    assert Directive.objects.count() == 1


def test_a_plan_of_bare_numbered_items_still_gives_task_candidates() -> None:
    text = (
        "THỊ ỦY ĐỨC PHỔ\n*\nSố 12-KH/TU\nĐức Phổ, ngày 05 tháng 3 năm 2024\nKẾ HOẠCH\n"
        "về tổ chức đối thoại với Nhân dân năm 2024\n\n"
        "1. Mục đích, yêu cầu\n\nBảo đảm dân chủ, công khai.\n\n"
        "2. Ủy ban nhân dân thị xã chủ trì tổ chức đối thoại trước ngày 30/6/2024.\n\n"
        "3. Ban Dân vận Thị ủy theo dõi, báo cáo Ban Thường vụ Thị ủy hằng quý.\n"
    )
    tasks = proposal_from_text(text, units=[])["tasks"]
    assert [t["section"] for t in tasks] == ["2", "3"]
    assert tasks[0]["lead"] == "Ủy ban nhân dân thị xã" and tasks[0]["deadline"] == "2024-06-30"
    assert tasks[1]["recurrence"] == "quarterly"
