"""The progress pages: Việc của tôi, the assignment page, the progress form, the review
queue, extensions and explanations; scoping, bad input and query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import services
from directives.models import (
    Assignment,
    ExplanationRequest,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
)
from tests.directives.test_progress_services import PDF, build_world, days, pdf
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(two_provinces, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(two_provinces)


def report_url(assignment, **query) -> str:
    url = reverse("progress:assignment_report", args=[assignment.pk])
    return url + ("?quick=1" if query.get("quick") else "")


def form_data(**overrides) -> dict:
    data = {
        "reported_on": days(0).strftime("%d/%m/%Y"),
        "percent": "60",
        "results": "Đã tổ chức 12 hội nghị quán triệt cho cán bộ chủ chốt.",
        "difficulties": "Kinh phí hạn chế",
        "proposals": "",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, ...]:
    return (
        ProgressReport.objects.count(),
        ProgressAttachment.objects.count(),
        ExtensionRequest.objects.count(),
        ExplanationRequest.objects.count(),
    )


def submitted(world, key="a", **kwargs) -> ProgressReport:
    p = world[key]
    values = {"percent": 40, "results": "Đã triển khai tới các chi bộ."}
    values.update(kwargs)
    return services.assignment_submit_progress(
        assignment=p["assignment"], author=p["staff"], **values
    )


# --- Việc của tôi ----------------------------------------------------------------------


def test_my_work_lists_the_units_assignments_with_counts_and_no_other_unit(client, world):
    client.force_login(world["a"]["staff"])
    content = client.get(reverse("progress:my_work")).content.decode()
    assert "Nhiệm vụ tỉnh a" in content
    assert "Nhiệm vụ tỉnh b" not in content
    assert 'data-status-count="due_soon"' not in content  # due in 20 days: not yet due
    assert 'data-status-count="not_due"' in content
    assert world["a"]["directive"].code in content


def test_my_work_empty_state(client, world):
    client.force_login(world["a"]["commune_staff"])
    content = client.get(reverse("progress:my_work")).content.decode()
    assert "Đơn vị chưa được giao nhiệm vụ nào" in content


def test_my_work_shows_only_the_number_of_a_confidential_directive(client, world):
    directive = world["a"]["directive"]
    directive.confidential = True
    directive.subject = "về công tác bảo vệ nội bộ"
    directive.save()
    client.force_login(world["a"]["staff"])
    content = client.get(reverse("progress:my_work")).content.decode()
    assert directive.code in content
    assert "bảo vệ nội bộ" not in content


def test_my_work_shows_returned_comment_and_extended_date(client, world):
    p = world["a"]
    report = submitted(world)
    services.progress_review(
        report=report, reviewer=p["monitor"], accept=False, comment="Thiếu số liệu cụ thể"
    )
    assignment = p["assignment"]
    assignment.original_due_on = days(5)
    assignment.save()
    client.force_login(p["staff"])
    content = client.get(reverse("progress:my_work")).content.decode()
    assert "Thiếu số liệu cụ thể" in content
    assert days(5).strftime("%d/%m/%Y") in content and days(20).strftime("%d/%m/%Y") in content


def test_my_work_filters_by_status_and_directive(client, world):
    p = world["a"]
    overdue = AssignmentFactory(
        task=TaskFactory(directive=p["directive"], due_on=days(-2), title="Việc đã quá hạn"),
        unit=p["front"],
    )
    client.force_login(p["staff"])
    content = client.get(reverse("progress:my_work"), {"status": "overdue"}).content.decode()
    assert "Việc đã quá hạn" in content and "Nhiệm vụ tỉnh a" not in content
    # A directive of another province is not a choice: the filter says so, nothing leaks.
    response = client.get(reverse("progress:my_work"), {"directive": world["b"]["directive"].pk})
    assert response.status_code == 200
    assert "Nhiệm vụ tỉnh b" not in response.content.decode()
    assert overdue.pk


def test_monitor_sees_the_review_count_on_my_work(client, world):
    submitted(world)
    client.force_login(world["a"]["monitor"])
    content = client.get(reverse("progress:my_work")).content.decode()
    assert 'data-testid="review-link"' in content


def make_rows(world, n: int) -> None:
    p = world["a"]
    for i in range(n):
        assignment = AssignmentFactory(
            task=TaskFactory(directive=p["directive"], due_on=days(i - n // 2)), unit=p["front"]
        )
        ProgressReportFactory(assignment=assignment, author=p["staff"], reported_on=days(-1))


def test_my_work_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["a"]["staff"])
    make_rows(world, 10)
    client.get(reverse("progress:my_work"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse("progress:my_work")).status_code == 200
    make_rows(world, 90)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("progress:my_work"))
    assert response.content.decode().count('data-testid="assignment-row"') == 25


def test_review_queue_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["a"]["monitor"])
    make_rows(world, 10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse("progress:review_queue")).status_code == 200
    make_rows(world, 90)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("progress:review_queue"))
    assert response.content.decode().count('data-testid="review-row"') == 25


# --- Scope: URL, tampering, HTMX -------------------------------------------------------------


def test_another_provinces_assignment_is_not_found_by_url(client, world):
    theirs = world["b"]["assignment"]
    report = submitted(world, "b", files=[pdf()])
    client.force_login(world["a"]["staff"])
    before = counts()
    for url in (
        reverse("progress:assignment_detail", args=[theirs.pk]),
        report_url(theirs),
        reverse("progress:assignment_row", args=[theirs.pk]),
        reverse("progress:attachment_download", args=[report.attachments.get().pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(report_url(theirs), form_data()).status_code == 404
    assert (
        client.post(report_url(theirs, quick=True), form_data(quick="1"), **HTMX).status_code == 404
    )
    assert client.get(report_url(theirs, quick=True), **HTMX).status_code == 404
    for name in ("extension_request", "explanation_request"):
        url = reverse(f"progress:{name}", args=[theirs.pk])
        data = {"proposed_due_on": days(60).strftime("%d/%m/%Y"), "reason": "x", "message": "x"}
        assert client.post(url, data).status_code == 404
    assert counts() == before


def test_posted_resubmission_id_of_another_unit_is_ignored(client, world):
    theirs = submitted(world, "b")
    services.progress_review(
        report=theirs, reviewer=world["b"]["monitor"], accept=False, comment="Sai"
    )
    client.force_login(world["a"]["staff"])
    data = form_data(resubmission_of=str(theirs.pk), assignment=str(world["b"]["assignment"].pk))
    response = client.post(report_url(world["a"]["assignment"]), data)
    assert response.status_code == 302
    mine = ProgressReport.objects.get(assignment=world["a"]["assignment"])
    assert mine.resubmission_of is None
    assert not ProgressReport.objects.filter(resubmission_of=theirs).exists()
    assert ProgressReport.objects.filter(assignment=world["b"]["assignment"]).count() == 1


def test_monitor_and_viewer_cannot_submit_progress(client, world):
    assignment = world["a"]["assignment"]
    for user in (world["a"]["monitor"], world["a"]["viewer"]):
        client.force_login(user)
        assert client.get(report_url(assignment)).status_code == 403
        assert client.post(report_url(assignment), form_data()).status_code == 403
    assert ProgressReport.objects.count() == 0


def test_monitor_of_another_province_cannot_review_or_decide(client, world):
    report = submitted(world)
    extension = services.extension_request_create(
        assignment=world["a"]["assignment"],
        by=world["a"]["staff"],
        proposed_due_on=days(40),
        reason="Chờ",
    )
    client.force_login(world["b"]["monitor"])
    url = reverse("progress:report_review", args=[report.pk])
    assert client.post(url, {"decision": "accept"}, **HTMX).status_code == 404
    url = reverse("progress:extension_decide", args=[extension.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    report.refresh_from_db()
    extension.refresh_from_db()
    assert (report.status, extension.status) == ("submitted", "pending")


def test_staff_cannot_open_the_review_queue_or_review(client, world):
    report = submitted(world)
    client.force_login(world["a"]["staff"])
    assert client.get(reverse("progress:review_queue")).status_code == 403
    url = reverse("progress:report_review", args=[report.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


# --- Progress form --------------------------------------------------------------------------


def test_progress_form_submits_a_report_with_attachments(client, world):
    p = world["a"]
    client.force_login(p["staff"])
    page = client.get(report_url(p["assignment"]))
    assert page.status_code == 200
    assert days(0).strftime("%d/%m/%Y") in page.content.decode()  # default date: today
    assert 'name="indicator_value"' not in page.content.decode()
    files = [pdf("Báo cáo sơ kết.pdf"), pdf("Phụ lục.pdf")]
    response = client.post(report_url(p["assignment"]), form_data(attachments=files))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.percent == 60 and report.author == p["staff"]
    assert sorted(a.original_name for a in report.attachments.all()) == [
        "Báo cáo sơ kết.pdf",
        "Phụ lục.pdf",
    ]


def test_indicator_field_appears_with_the_targets_label(client, world):
    task = world["a"]["task"]
    task.target_indicator = "Tỷ lệ xã đạt chuẩn nông thôn mới"
    task.target_unit = "%"
    task.target_value = 80
    task.save()
    client.force_login(world["a"]["staff"])
    content = client.get(report_url(world["a"]["assignment"])).content.decode()
    assert "Tỷ lệ xã đạt chuẩn nông thôn mới (%)" in content
    client.post(report_url(world["a"]["assignment"]), form_data(indicator_value="72.5"))
    assert str(ProgressReport.objects.get().indicator_value) == "72.50"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"percent": "120"}, "nhỏ hơn hoặc bằng"),
        ({"percent": "-5"}, "lớn hơn hoặc bằng"),
        ({"results": "   "}, "Trường này là bắt buộc"),
        ({"reported_on": days(1).strftime("%d/%m/%Y")}, "Ngày báo cáo không được sau ngày hôm nay"),
        ({"reported_on": "31/02/2025"}, "Nhập một ngày hợp lệ"),
    ],
)
def test_bad_progress_input_is_refused_and_nothing_is_saved(client, world, overrides, message):
    client.force_login(world["a"]["staff"])
    data = form_data(difficulties="Nội dung đã gõ phải được giữ lại", **overrides)
    response = client.post(report_url(world["a"]["assignment"]), data)
    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert "Nội dung đã gõ phải được giữ lại" in content
    assert ProgressReport.objects.count() == 0


def test_renamed_executable_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world["a"]["staff"])
    files = [pdf("hop-le.pdf"), SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00\x03 PE program")]
    response = client.post(report_url(world["a"]["assignment"]), form_data(attachments=files))
    assert response.status_code == 422
    content = response.content.decode()
    assert "bao-cao.pdf" in content and "không đúng với loại tệp" in content
    assert "chọn lại tệp" in content
    assert counts() == (0, 0, 0, 0)


def test_unaccepted_type_is_refused(client, world):
    client.force_login(world["a"]["staff"])
    files = [SimpleUploadedFile("setup.exe", b"MZ\x90\x00")]
    response = client.post(report_url(world["a"]["assignment"]), form_data(attachments=files))
    assert response.status_code == 422
    assert "loại tệp này không được chấp nhận" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_oversized_file_is_refused(client, world, settings):
    settings.MAX_UPLOAD_MB = 1
    client.force_login(world["a"]["staff"])
    big = pdf("lon.pdf", PDF + b"0" * (1024 * 1024 + 10))
    response = client.post(report_url(world["a"]["assignment"]), form_data(attachments=[big]))
    assert response.status_code == 422
    assert "dung lượng tối đa cho phép là 1 MB" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_returned_report_shows_the_comment_and_the_resubmission_links_to_it(client, world):
    p = world["a"]
    first = submitted(world)
    services.progress_review(
        report=first, reviewer=p["monitor"], accept=False, comment="Đề nghị bổ sung số liệu"
    )
    client.force_login(p["staff"])
    form_page = client.get(report_url(p["assignment"])).content.decode()
    assert "Đề nghị bổ sung số liệu" in form_page
    assert client.post(report_url(p["assignment"]), form_data()).status_code == 302
    second = ProgressReport.objects.exclude(pk=first.pk).get()
    assert second.resubmission_of == first
    detail = client.get(reverse("progress:assignment_detail", args=[p["assignment"].pk]))
    content = detail.content.decode()
    assert "Đề nghị bổ sung số liệu" in content
    assert f'href="#report-{second.pk}" data-testid="resubmission-link"' in content
    assert f'href="#report-{first.pk}" data-testid="answers-link"' in content


def test_quick_progress_entry_swaps_the_row(client, world):
    p = world["a"]
    client.force_login(p["staff"])
    form = client.get(report_url(p["assignment"], quick=True), **HTMX)
    assert form.status_code == 200
    assert 'data-testid="quick-form"' in form.content.decode()
    assert form.content.decode().lstrip().startswith("<tbody")
    bad = client.post(
        report_url(p["assignment"], quick=True),
        {"quick": "1", "percent": "120", "results": ""},
        **HTMX,
    )
    assert bad.status_code == 422
    assert "Trường này là bắt buộc" in bad.content.decode()
    assert ProgressReport.objects.count() == 0
    data = {"quick": "1", "percent": "70", "results": "Đã hoàn thành 70% khối lượng."}
    done = client.post(report_url(p["assignment"]), data, **HTMX)
    assert done.status_code == 200
    content = done.content.decode()
    assert 'data-testid="quick-saved"' in content and "Chờ thẩm định" in content
    assert ProgressReport.objects.get().percent == 70


# --- Attachments ---------------------------------------------------------------------------


def test_attachment_downloads_with_its_name_for_those_who_may_see_it(client, world):
    report = submitted(world, files=[pdf("Báo cáo quý I.pdf")])
    attachment = report.attachments.get()
    url = reverse("progress:attachment_download", args=[attachment.pk])
    for user in (world["a"]["staff"], world["a"]["monitor"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert "B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20I.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world["b"]["monitor"])
    assert client.get(url).status_code == 404


# --- Review queue ---------------------------------------------------------------------------


def test_review_queue_lists_oldest_first_and_htmx_accepts(client, world):
    p = world["a"]
    first = submitted(world, results="Báo cáo thứ nhất")
    second = services.assignment_submit_progress(
        assignment=AssignmentFactory(
            task=TaskFactory(directive=p["directive"], due_on=days(9)), unit=p["front"]
        ),
        author=p["staff"],
        percent=10,
        results="Báo cáo thứ hai",
    )
    submitted(world, "b", results="Báo cáo tỉnh khác")
    client.force_login(p["monitor"])
    content = client.get(reverse("progress:review_queue")).content.decode()
    assert content.index("Báo cáo thứ nhất") < content.index("Báo cáo thứ hai")
    assert "Báo cáo tỉnh khác" not in content
    url = reverse("progress:report_review", args=[first.pk])
    response = client.post(url, {"decision": "accept"}, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="review-done"' in response.content.decode()
    first.refresh_from_db()
    assert first.status == "accepted"
    p["assignment"].refresh_from_db()
    assert p["assignment"].progress == 40
    assert second.status == "submitted"


def test_returning_without_a_comment_is_refused(client, world):
    report = submitted(world)
    client.force_login(world["a"]["monitor"])
    url = reverse("progress:report_review", args=[report.pk])
    htmx = client.post(url, {"decision": "return", "comment": " "}, **HTMX)
    assert htmx.status_code == 422
    assert "Đề nghị ghi rõ lý do trả lại báo cáo" in htmx.content.decode()
    plain = client.post(url, {"decision": "return", "comment": ""})
    assert plain.status_code == 422
    assert "Đề nghị ghi rõ lý do trả lại báo cáo" in plain.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    ok = client.post(url, {"decision": "return", "comment": "Chưa có số liệu"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Chưa có số liệu")


def test_bad_decision_value_changes_nothing(client, world):
    report = submitted(world)
    client.force_login(world["a"]["monitor"])
    url = reverse("progress:report_review", args=[report.pk])
    assert client.post(url, {"decision": "delete"}).status_code == 422
    report.refresh_from_db()
    assert report.status == "submitted"


# --- Extensions and explanations -------------------------------------------------------------


def test_extension_request_and_its_decision(client, world):
    p = world["a"]
    assignment = p["assignment"]
    client.force_login(p["staff"])
    url = reverse("progress:extension_request", args=[assignment.pk])
    early = client.post(url, {"proposed_due_on": days(10).strftime("%d/%m/%Y"), "reason": "x"})
    assert early.status_code == 422
    assert "Thời hạn đề nghị phải sau thời hạn hiện tại" in early.content.decode()
    no_reason = client.post(url, {"proposed_due_on": days(40).strftime("%d/%m/%Y"), "reason": ""})
    assert no_reason.status_code == 422
    assert ExtensionRequest.objects.count() == 0
    data = {"proposed_due_on": days(40).strftime("%d/%m/%Y"), "reason": "Chờ kinh phí"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {"proposed_due_on": days(50).strftime("%d/%m/%Y"), "reason": "Lần 2"})
    assert again.status_code == 422
    assert "đang chờ quyết định" in again.content.decode()
    assert ExtensionRequest.objects.count() == 1
    extension = ExtensionRequest.objects.get()

    client.force_login(p["monitor"])
    queue = client.get(reverse("progress:review_queue")).content.decode()
    assert "Chờ kinh phí" in queue
    decide = reverse("progress:extension_decide", args=[extension.pk])
    refused = client.post(decide, {"decision": "refuse", "comment": ""}, **HTMX)
    assert refused.status_code == 422
    assert "Đề nghị ghi rõ lý do không đồng ý gia hạn" in refused.content.decode()
    extension.refresh_from_db()
    assert extension.status == "pending"
    approved = client.post(decide, {"decision": "approve"}, **HTMX)
    assert 'data-testid="extension-done"' in approved.content.decode()
    assignment.refresh_from_db()
    assert (assignment.due_on, assignment.original_due_on) == (days(40), days(20))
    client.force_login(p["staff"])
    content = client.get(
        reverse("progress:assignment_detail", args=[assignment.pk])
    ).content.decode()
    assert "Chờ kinh phí" in content and 'data-extension-status="approved"' in content


def test_explanation_is_asked_on_an_overdue_assignment_and_answered(client, world):
    p = world["a"]
    assignment = p["assignment"]
    client.force_login(p["monitor"])
    url = reverse("progress:explanation_request", args=[assignment.pk])
    not_overdue = client.post(url, {"message": "Vì sao chậm?"})
    assert not_overdue.status_code == 422
    Assignment.objects.filter(pk=assignment.pk).update(due_on=days(-3), original_due_on=days(-3))
    page = client.get(reverse("progress:assignment_detail", args=[assignment.pk])).content.decode()
    assert 'data-testid="explanation-form"' in page
    assert client.post(url, {"message": ""}).status_code == 422
    assert client.post(url, {"message": "Đề nghị giải trình lý do chậm"}).status_code == 302
    explanation = ExplanationRequest.objects.get()

    answer_url = reverse("progress:explanation_answer", args=[explanation.pk])
    client.force_login(world["b"]["staff"])
    assert client.post(answer_url, {"answer": "x"}).status_code == 404
    client.force_login(p["staff"])
    page = client.get(reverse("progress:assignment_detail", args=[assignment.pk])).content.decode()
    assert "Đề nghị giải trình lý do chậm" in page
    assert client.post(answer_url, {"answer": ""}).status_code == 422
    assert client.post(answer_url, {"answer": "Do chưa bố trí được kinh phí."}).status_code == 302
    explanation.refresh_from_db()
    assert explanation.answer == "Do chưa bố trí được kinh phí."
    # Staff cannot ask their own unit for an explanation.
    assert client.post(url, {"message": "x"}).status_code == 403
    assert ExplanationRequest.objects.count() == 1
