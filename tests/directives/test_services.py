"""The rules the directive pages call, tested at the service: assigning, deleting,
cancelling, saving a directive with its tasks, and the reviewed import proposal."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from directives import services
from directives.importing.review import proposal_reviewed
from directives.models import Assignment, Directive, DirectiveAttachment, Task
from directives.progress_forms import EXTENSION_DECISION, REPORT_DECISION, DecisionForm
from tests.factories import (
    AssignmentFactory,
    DirectiveFactory,
    ProgressReportFactory,
    TaskFactory,
)
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_assigning_counts_new_and_held_units_and_keeps_to_the_scope(two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    task = TaskFactory(directive=DirectiveFactory(issuer=a["committee"]))
    AssignmentFactory(task=task, unit=a["front"])
    within = Unit.objects.filter(path__startswith=a["committee"].path)

    created, already = services.task_assign_units(
        task=task, within=within, units=[a["front"], a["commune"], b["front"]]
    )

    assert (created, already) == (1, 1)
    assert set(task.assignments.values_list("unit_id", flat=True)) == {
        a["front"].pk,
        a["commune"].pk,
    }


def test_assigning_every_unit_of_a_kind_under_a_parent(two_provinces):
    a = two_provinces["a"]
    task = TaskFactory(directive=DirectiveFactory(issuer=a["committee"]))
    within = Unit.objects.filter(path__startswith=a["committee"].path)

    created, already = services.task_assign_units(
        task=task, within=within, parent=a["committee"], kind=UnitKind.FATHERLAND_FRONT
    )

    assert (created, already) == (2, 0)
    assert set(task.assignments.values_list("unit__name", flat=True)) == {
        a["front"].name,
        a["commune_front"].name,
    }


def test_assigning_to_nobody_in_scope_is_refused_and_writes_nothing(two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    task = TaskFactory(directive=DirectiveFactory(issuer=a["committee"]))
    within = Unit.objects.filter(path__startswith=a["committee"].path)

    with pytest.raises(ValidationError):
        services.task_assign_units(task=task, within=within, units=[b["front"]])
    assert not Assignment.objects.exists()


def test_a_directive_or_task_with_a_report_is_not_deleted(two_provinces):
    a = two_provinces["a"]
    reported = AssignmentFactory(unit=a["front"])
    ProgressReportFactory(assignment=reported)
    directive, task = reported.task.directive, reported.task

    assert not services.directive_deletable(directive)
    assert not services.task_deletable(task)
    with pytest.raises(ValidationError):
        services.task_delete(task=task)
    with pytest.raises(ValidationError):
        services.directive_delete(directive=directive)
    assert Task.objects.filter(pk=task.pk).exists()
    assert Directive.objects.filter(pk=directive.pk).exists()


def test_a_directive_and_a_task_nobody_reported_on_are_deleted(two_provinces):
    kept = TaskFactory()
    gone = TaskFactory(directive=kept.directive)
    AssignmentFactory(task=gone, unit=two_provinces["a"]["front"])

    services.task_delete(task=gone)
    assert list(Task.objects.values_list("pk", flat=True)) == [kept.pk]
    services.directive_delete(directive=kept.directive)
    assert not Directive.objects.exists()


def test_cancelling_an_assignment_twice_changes_it_once(two_provinces):
    assignment = AssignmentFactory(unit=two_provinces["a"]["front"])

    services.assignment_cancel(assignment=assignment)
    services.assignment_cancel(assignment=assignment)

    assignment.refresh_from_db()
    assert assignment.cancelled
    assert assignment.status == "cancelled"


def test_new_tasks_are_numbered_after_the_directives_own(two_provinces, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    monitor = two_provinces["a"]["monitor"]
    directive = DirectiveFactory(issuer=two_provinces["a"]["committee"])
    TaskFactory(directive=directive, order=4)
    new = [
        Task(directive=directive, title="Sơ kết", due_on=datetime.date(2025, 6, 30)),
        Task(directive=directive, title="Tổng kết", due_on=datetime.date(2026, 6, 30)),
    ]

    services.directive_save_with_tasks(directive=directive, tasks=new, by=monitor)

    assert list(directive.tasks.order_by("order").values_list("title", "order"))[1:] == [
        ("Sơ kết", 5),
        ("Tổng kết", 6),
    ]


def test_a_directive_is_saved_with_its_tasks_or_not_at_all(two_provinces, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    issuer = two_provinces["a"]["committee"]
    directive = Directive(
        kind="KL", code="7-KL/TU", issuer=issuer, issued_on=date(2025, 1, 2), subject="về ..."
    )
    monitor = two_provinces["a"]["monitor"]
    good = Task(directive=directive, title="Quán triệt", due_on=date(2025, 6, 30))
    # A recurring task without its recurrence: the database refuses it after the directive
    # and the first task were written.
    bad = Task(directive=directive, title="Báo cáo", due_on=date(2025, 6, 30))
    bad.deadline_kind = "recurring"
    upload = SimpleUploadedFile("kl7.pdf", b"%PDF-1.4 ...", content_type="application/pdf")

    with pytest.raises(IntegrityError):
        services.directive_save_with_tasks(
            directive=directive,
            tasks=[good, bad],
            attachment=upload,
            by=monitor,
        )
    assert not Directive.objects.exists()
    assert not Task.objects.exists()
    assert not DirectiveAttachment.objects.exists()


HEADER = {
    "kind": "KH",
    "code": " 12-KH/TU ",
    "issued_on": datetime.date(2023, 7, 1),
    "place": "Hải Dương",
    "term": "XVII",
    "subject": "thực hiện Kết luận số 43-KL/TW",
    "signer_on_behalf": "T/M BAN THƯỜNG VỤ",
    "signer_title": "PHÓ BÍ THƯ",
    "signer_name": "Nguyễn Văn A",
    "recipients": "Như trên\n\n Lưu VP ",
}


def test_the_reviewed_proposal_keeps_a_period_only_while_its_date_is_unchanged():
    proposal = {
        "kind": "KL",
        "text": "…",
        "tasks": [
            {"text": "a", "deadline": "2023-09-30", "deadline_label": "Quý III/2023"},
            {"text": "b", "deadline": "2023-12-31", "deadline_label": "Quý IV/2023"},
            {"text": "c", "target": {"indicator": "hội viên", "value": 90}},
        ],
    }
    rows = [
        {"index": 0, "text": "a", "deadline": datetime.date(2023, 9, 30), "lead": 3},
        {"index": 1, "text": "b", "deadline": datetime.date(2024, 1, 31), "coordinating": [4]},
        {"index": 2, "text": "c", "lead": 5, "coordinating": [5, 6], "ongoing": True},
    ]

    reviewed, choices = proposal_reviewed(proposal, header=HEADER, rows=rows)

    assert [t["deadline_label"] for t in reviewed["tasks"]] == ["Quý III/2023", "", ""]
    assert reviewed["tasks"][2]["target"] == {"indicator": "hội viên", "value": 90}
    assert reviewed["tasks"][2]["ongoing"] is True
    assert choices == {
        0: {"lead": 3, "coordinating": []},
        1: {"lead": None, "coordinating": [4]},
        2: {"lead": 5, "coordinating": [6]},
    }
    assert reviewed["code"] == "12-KH/TU"
    assert reviewed["kind"] == "KH"
    assert reviewed["issued_on"] == "2023-07-01"
    assert reviewed["recipients"] == ["Như trên", "Lưu VP"]
    assert reviewed["signer"]["name"] == "Nguyễn Văn A"
    assert reviewed["text"] == "…"


@pytest.mark.parametrize(
    ("params", "yes", "no"),
    [(REPORT_DECISION, "accept", "return"), (EXTENSION_DECISION, "approve", "refuse")],
)
def test_a_no_needs_its_reason_a_yes_does_not(params, yes, no):
    refused = DecisionForm({"decision": no, "comment": "  "}, **params)
    assert not refused.is_valid()
    assert refused.errors["comment"] == [str(params["why_no"])]

    approved = DecisionForm({"decision": yes}, **params)
    approved.is_valid()
    assert approved.says_yes
    assert not DecisionForm({"decision": "maybe"}, **params).is_valid()
