"""The answer to a returned report starts from it: its text and its files come back in
the form, editable, and files can be left out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directives import services
from directives.models import ProgressAttachment, ProgressReport
from tests.directives.test_progress_services import build_world, days, pdf
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(two_provinces)


def returned(world) -> ProgressReport:
    p = world["a"]
    report = services.assignment_submit_progress(
        assignment=p["assignment"],
        author=p["staff"],
        percent=40,
        results="Đã tổ chức 12 hội nghị quán triệt.",
        difficulties="Kinh phí hạn chế.",
        proposals="Đề nghị bổ sung kinh phí tuyên truyền.",
        files=[pdf("Báo cáo quý 1.pdf"), pdf("phu-luc.pdf")],
    )
    return services.progress_review(
        report=report, reviewer=p["monitor"], accept=False, comment="Bổ sung số liệu."
    )


def test_reply_form_starts_from_the_returned_text_and_files(client, world):
    report = returned(world)
    client.force_login(world["a"]["staff"])
    response = client.get(reverse("progress:assignment_report", args=[report.assignment_id]))
    form = response.context["form"]
    assert form["results"].value() == "Đã tổ chức 12 hội nghị quán triệt."
    assert form["difficulties"].value() == "Kinh phí hạn chế."
    assert form["proposals"].value() == "Đề nghị bổ sung kinh phí tuyên truyền."
    assert form["percent"].value() == 40
    content = response.content.decode()
    assert "Đề nghị bổ sung kinh phí tuyên truyền." in content
    assert "Báo cáo quý 1.pdf" in content and 'name="keep_attachments"' in content


def test_reply_keeps_the_ticked_files_and_the_edited_text(client, world):
    report = returned(world)
    first, second = report.attachments.order_by("pk")
    client.force_login(world["a"]["staff"])
    response = client.post(
        reverse("progress:assignment_report", args=[report.assignment_id]),
        {
            "reported_on": days(0).strftime("%d/%m/%Y"),
            "percent": "60",
            "results": "Đã tổ chức 12 hội nghị quán triệt; bổ sung số liệu 3 xã.",
            "difficulties": "Kinh phí hạn chế.",
            "proposals": "Đề nghị bổ sung kinh phí tuyên truyền.",
            "keep_attachments": [str(first.pk)],
            "attachments": [pdf("bo-sung.pdf")],
        },
    )
    assert response.status_code == 302
    answer = ProgressReport.objects.get(resubmission_of=report)
    assert answer.results.endswith("bổ sung số liệu 3 xã.")
    assert answer.proposals == "Đề nghị bổ sung kinh phí tuyên truyền."
    files = {a.original_name: a for a in answer.attachments.all()}
    assert set(files) == {"Báo cáo quý 1.pdf", "bo-sung.pdf"}
    # The kept file is the same stored file, readable from the new report.
    assert files["Báo cáo quý 1.pdf"].file.name == first.file.name
    with files["Báo cáo quý 1.pdf"].file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    # The returned report keeps its own files.
    assert report.attachments.count() == 2


def test_a_file_of_another_report_cannot_be_kept(client, world):
    report = returned(world)
    other_assignment = AssignmentFactory(
        task=TaskFactory(directive=world["a"]["directive"], due_on=days(10)),
        unit=world["a"]["front"],
    )
    other = ProgressReportFactory(assignment=other_assignment, author=world["a"]["staff"])
    foreign = ProgressAttachment.objects.create(
        report=other, file="x/y.pdf", original_name="y.pdf", size=3
    )
    client.force_login(world["a"]["staff"])
    before = ProgressAttachment.objects.count()
    response = client.post(
        reverse("progress:assignment_report", args=[report.assignment_id]),
        {"percent": "60", "results": "Bổ sung.", "keep_attachments": [str(foreign.pk)]},
    )
    assert response.status_code == 422
    assert ProgressAttachment.objects.count() == before
    assert not ProgressReport.objects.filter(resubmission_of=report).exists()
