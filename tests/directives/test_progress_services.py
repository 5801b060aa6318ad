"""Progress, review, extensions and explanations: the services and selectors behind the
progress pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from directives import selectors, services
from directives.models import (
    DeadlineKind,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    Recurrence,
)
from directives.status import Status, local_today
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def pdf(name: str = "bao-cao.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def build_world(two_provinces) -> dict:
    """In each province a directive of the committee, monitored by its Ban Dân vận, with
    one task held by the provincial Front (due in 20 days)."""
    for key in ("a", "b"):
        p = two_provinces[key]
        directive = DirectiveFactory(issuer=p["committee"], monitoring_unit=p["board"])
        task = TaskFactory(directive=directive, due_on=days(20), title=f"Nhiệm vụ tỉnh {key}")
        p["directive"] = directive
        p["task"] = task
        p["assignment"] = AssignmentFactory(task=task, unit=p["front"])
    return two_provinces


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(two_provinces)


def submit(world, key="a", **kwargs):
    p = world[key]
    values = {"percent": 50, "results": "Đã tổ chức hội nghị quán triệt."}
    values.update(kwargs)
    return services.assignment_submit_progress(
        assignment=p["assignment"], author=p["staff"], **values
    )


# --- Submitting ------------------------------------------------------------------------


def test_unit_staff_submit_a_report_with_attachments(world):
    report = submit(world, files=[pdf("Báo cáo quý 1.pdf"), pdf("phu-luc.pdf")])
    assert report.status == "submitted"
    assert report.reported_on == local_today()
    names = sorted(report.attachments.values_list("original_name", flat=True))
    assert names == ["Báo cáo quý 1.pdf", "phu-luc.pdf"]


def test_one_bad_file_saves_nothing(world):
    with pytest.raises(ValidationError):
        submit(world, files=[pdf(), pdf("virus.pdf", b"MZ\x90\x00 executable")])
    assert ProgressReport.objects.count() == 0
    assert ProgressAttachment.objects.count() == 0


def test_staff_of_another_province_and_monitors_cannot_report(world):
    with pytest.raises(PermissionDenied):
        services.assignment_submit_progress(
            assignment=world["a"]["assignment"], author=world["b"]["staff"], percent=10, results="x"
        )
    with pytest.raises(PermissionDenied):
        services.assignment_submit_progress(
            assignment=world["a"]["assignment"],
            author=world["a"]["monitor"],
            percent=10,
            results="x",
        )
    assert ProgressReport.objects.count() == 0


def test_report_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError):
        submit(world, reported_on=days(1))
    assert ProgressReport.objects.count() == 0


def test_a_report_cannot_answer_another_assignments_returned_report(world):
    other = submit(world, "b")
    services.progress_review(
        report=other, reviewer=world["b"]["monitor"], accept=False, comment="Bổ sung số liệu"
    )
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        submit(world, resubmission_of=other)
    assert not ProgressReport.objects.filter(resubmission_of=other).exists()


# --- Review ------------------------------------------------------------------------------


def test_returning_needs_a_comment_and_the_answer_links_to_it(world):
    first = submit(world)
    monitor = world["a"]["monitor"]
    with pytest.raises(ValidationError):
        services.progress_review(report=first, reviewer=monitor, accept=False, comment="  ")
    first.refresh_from_db()
    assert first.status == "submitted"
    services.progress_review(report=first, reviewer=monitor, accept=False, comment="Thiếu số liệu")
    first.refresh_from_db()
    assignment = world["a"]["assignment"]
    assert selectors.report_to_answer(assignment=assignment) == first
    second = submit(world, resubmission_of=first, results="Đã bổ sung số liệu.")
    history = selectors.assignment_history(assignment=assignment)
    returned = next(r for r in history if r.pk == first.pk)
    assert returned.answered_by == second
    assert returned.review_comment == "Thiếu số liệu"
    assert selectors.report_to_answer(assignment=assignment) is None


def test_monitor_of_another_province_cannot_review(world):
    report = submit(world)
    with pytest.raises(PermissionDenied):
        services.progress_review(report=report, reviewer=world["b"]["monitor"], accept=True)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_report_is_reviewed_once(world):
    report = submit(world)
    services.progress_review(report=report, reviewer=world["a"]["monitor"], accept=True)
    with pytest.raises(ValidationError):
        services.progress_review(report=report, reviewer=world["a"]["monitor"], accept=False)


def test_accepted_completing_report_marks_the_assignment_done_on_time(world):
    report = submit(world, percent=100, completed=True)
    services.progress_review(report=report, reviewer=world["a"]["monitor"], accept=True)
    assignment = selectors.assignment_for_user(
        user=world["a"]["staff"], pk=world["a"]["assignment"].pk
    )
    assert assignment.completed_on == local_today()
    assert assignment.progress == 100
    assert assignment.current_status == Status.DONE_ON_TIME


def test_completion_after_the_original_date_is_done_late_even_with_an_approved_extension(world):
    p = world["a"]
    assignment = p["assignment"]
    assignment.due_on = assignment.original_due_on = days(-10)
    assignment.save()
    extension = services.extension_request_create(
        assignment=assignment, by=p["staff"], proposed_due_on=days(30), reason="Chờ số liệu"
    )
    services.extension_decide(request=extension, by=p["monitor"], approve=True)
    assignment.refresh_from_db()
    assert assignment.due_on == days(30)
    assert assignment.original_due_on == days(-10)
    report = submit(world, percent=100, completed=True)
    services.progress_review(report=report, reviewer=p["monitor"], accept=True)
    assignment = selectors.assignment_for_user(user=p["staff"], pk=assignment.pk)
    assert assignment.current_status == Status.DONE_LATE


def test_recurring_duty_moves_to_its_next_occurrence_when_done(world):
    p = world["a"]
    task = TaskFactory(
        directive=p["directive"],
        deadline_kind=DeadlineKind.RECURRING,
        recurrence=Recurrence.QUARTERLY,
        due_on=days(3),
    )
    (assignment,) = services.task_assign(task=task, units=[p["front"]])
    report = services.assignment_submit_progress(
        assignment=assignment, author=p["staff"], percent=100, completed=True, results="Đã báo cáo"
    )
    services.progress_review(report=report, reviewer=p["monitor"], accept=True)
    assignment.refresh_from_db()
    assert assignment.completed_on is None
    assert assignment.due_on > days(80)
    assert assignment.progress == 0
    assert assignment.status == Status.NOT_DUE


# --- Extensions and explanations ----------------------------------------------------------


def test_second_pending_extension_and_earlier_date_are_refused(world):
    p = world["a"]
    assignment = p["assignment"]
    with pytest.raises(ValidationError):
        services.extension_request_create(
            assignment=assignment, by=p["staff"], proposed_due_on=days(5), reason="Sớm hơn"
        )
    services.extension_request_create(
        assignment=assignment, by=p["staff"], proposed_due_on=days(40), reason="Chờ số liệu"
    )
    with pytest.raises(ValidationError):
        services.extension_request_create(
            assignment=assignment, by=p["staff"], proposed_due_on=days(50), reason="Lần hai"
        )
    assert ExtensionRequest.objects.count() == 1


def test_refusing_an_extension_needs_a_comment_and_keeps_the_date(world):
    p = world["a"]
    extension = services.extension_request_create(
        assignment=p["assignment"], by=p["staff"], proposed_due_on=days(40), reason="Chờ"
    )
    with pytest.raises(ValidationError):
        services.extension_decide(request=extension, by=p["monitor"], approve=False, comment="")
    services.extension_decide(
        request=extension, by=p["monitor"], approve=False, comment="Không có căn cứ"
    )
    extension.refresh_from_db()
    p["assignment"].refresh_from_db()
    assert extension.status == "refused"
    assert p["assignment"].due_on == days(20)


def test_monitor_asks_an_explanation_and_the_unit_answers_it(world):
    p = world["a"]
    with pytest.raises(ValidationError):  # not overdue yet: nothing to explain
        services.explanation_request_create(
            assignment=p["assignment"], by=p["monitor"], message="Vì sao chậm?"
        )
    p["assignment"].due_on = days(-2)
    p["assignment"].save()
    request = services.explanation_request_create(
        assignment=p["assignment"], by=p["monitor"], message="Vì sao chậm?"
    )
    with pytest.raises(PermissionDenied):
        services.explanation_answer(request=request, by=world["b"]["staff"], answer="x")
    services.explanation_answer(request=request, by=p["staff"], answer="Do thiếu kinh phí.")
    request.refresh_from_db()
    assert request.answer == "Do thiếu kinh phí."


# --- Selectors ---------------------------------------------------------------------------


def test_my_work_is_most_urgent_first_with_counts_and_only_the_users_unit(world):
    p = world["a"]
    directive = p["directive"]
    overdue = AssignmentFactory(
        task=TaskFactory(directive=directive, due_on=days(-3)), unit=p["front"]
    )
    soon = AssignmentFactory(task=TaskFactory(directive=directive, due_on=days(2)), unit=p["front"])
    done = AssignmentFactory(
        task=TaskFactory(directive=directive, due_on=days(-30)),
        unit=p["front"],
        completed_on=days(-40),
    )
    ongoing = AssignmentFactory(
        task=TaskFactory(directive=directive, deadline_kind=DeadlineKind.ONGOING, due_on=None),
        unit=p["front"],
        due_on=None,
    )
    # The commune below the committee is not the Front's own unit.
    AssignmentFactory(task=TaskFactory(directive=directive, due_on=days(-9)), unit=p["commune"])
    rows, _filterset, counts = selectors.my_work_for_user(user=p["staff"], filters={"show": "all"})
    assert [a.pk for a in rows] == [overdue.pk, soon.pk, p["assignment"].pk, ongoing.pk, done.pk]
    # Without a filter the list opens on open work; finished work is one filter away.
    opened, _f, _c = selectors.my_work_for_user(user=p["staff"])
    assert [a.pk for a in opened] == [overdue.pk, soon.pk, p["assignment"].pk, ongoing.pk]
    assert counts[Status.OVERDUE] == 1
    assert counts[Status.DONE_ON_TIME] == 1
    assert sum(counts.values()) == 5
    filtered, _f, _c = selectors.my_work_for_user(user=p["staff"], filters={"status": "overdue"})
    assert [a.pk for a in filtered] == [overdue.pk]


def test_an_older_report_accepted_after_a_newer_one_does_not_set_progress_back(world):
    p = world["a"]
    older = submit(world, percent=30, reported_on=days(-10))
    newer = submit(world, percent=70, reported_on=days(-2))
    services.progress_review(report=newer, reviewer=p["monitor"], accept=True)
    services.progress_review(report=older, reviewer=p["monitor"], accept=True)
    p["assignment"].refresh_from_db()
    assert p["assignment"].progress == 70
    assert p["assignment"].last_reported_on == days(-2)
