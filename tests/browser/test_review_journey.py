"""Review with the unit leader in the loop, in a browser: staff report → the leader
approves → the monitor returns → staff are notified and answer from the returned text
and file → the leader approves → the monitor accepts; the proposal is kept → the
monitor's roll-up of the period carries it in its narrative before it is built → the
.docx is built and renders (LibreOffice), the proposal under its heading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from directives.models import ProgressReport
from directives.status import local_today
from reports import services as report_services
from reports.models import PeriodKind, ReportingPeriod, RollupReport, RollupStatus
from tests.browser.test_progress_journey import SLOW, small_pdf, switch_user
from tests.directives.test_progress_services import build_world
from tests.documents import docx_pdf_pages
from tests.factories import UserFactory
from units.models import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PROPOSAL = "Đề nghị Thường trực Tỉnh ủy bổ sung kinh phí tuyên truyền ở cơ sở."


def approve_first(page, decision: str = "accept", comment: str = "") -> None:
    row = page.get_by_test_id("review-row").first
    if comment:
        row.locator("textarea[name=comment]").fill(comment)
    row.locator(f"button[value={decision}]").click()
    page.get_by_test_id("review-done").wait_for(timeout=SLOW)


def test_leader_approves_monitor_returns_staff_answer_from_returned_text(
    page, login, two_provinces, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(two_provinces)
    p = world["a"]
    p["committee"].leader_approval = True
    p["committee"].save()
    leader = UserFactory(username="leader_a", unit=p["front"], role=Role.LEADER)
    staff, monitor, assignment = p["staff"], p["monitor"], p["assignment"]
    evidence = small_pdf(tmp_path / "Báo cáo quý III.pdf")

    # 1. Staff report, with difficulties, a proposal and a file.
    login(staff)
    page.goto(f"/work/assignments/{assignment.pk}/report/")
    page.fill("#id_percent", "70")
    page.fill("#id_results", "Đã tổ chức quán triệt cho 40/42 chi bộ trực thuộc.")
    page.fill("#id_difficulties", "Hai chi bộ vùng cao chưa tổ chức được.")
    page.fill("#id_proposals", PROPOSAL)
    page.set_input_files("#id_attachments", evidence)
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_url(f"**/work/assignments/{assignment.pk}/")

    # 2. The leader approves it for the committee; the count follows without a reload.
    switch_user(page, login, leader)
    page.goto("/")
    assert "Nhiệm vụ tỉnh a" in page.get_by_test_id("home-waiting").inner_text()
    page.goto("/work/review/")
    assert page.get_by_test_id("review-count").inner_text() == "(1)"
    approve_first(page)
    expect(page.get_by_test_id("review-count")).to_have_text("(0)")

    # 3. The monitor reads the whole report, file included, and returns it.
    switch_user(page, login, monitor)
    page.goto("/work/review/")
    assert page.get_by_test_id("review-count").inner_text() == "(1)"
    row = page.get_by_test_id("review-row").first
    row.locator("summary").click()
    full = row.get_by_test_id("review-full").inner_text()
    assert "Hai chi bộ vùng cao chưa tổ chức được." in full and PROPOSAL in full
    assert row.get_by_test_id("review-attachment").inner_text() == "Báo cáo quý III.pdf"
    approve_first(page, "return", "Đề nghị bổ sung kết quả của hai chi bộ còn lại.")
    expect(page.get_by_test_id("review-count")).to_have_text("(0)")

    # 4. Staff find the return on their start page and answer from the returned report.
    switch_user(page, login, staff)
    page.goto("/")
    assert "Nhiệm vụ tỉnh a" in page.get_by_test_id("home-notifications").inner_text()
    returned = page.get_by_test_id("home-returned")
    assert "Đề nghị bổ sung kết quả của hai chi bộ còn lại." in returned.inner_text()
    returned.get_by_role("link").first.click()
    page.wait_for_url(f"**/work/assignments/{assignment.pk}/report/")
    assert page.input_value("#id_results") == "Đã tổ chức quán triệt cho 40/42 chi bộ trực thuộc."
    assert page.input_value("#id_proposals") == PROPOSAL
    kept = page.get_by_label("Báo cáo quý III.pdf")
    assert kept.is_checked()
    page.fill("#id_percent", "100")
    page.fill("#id_results", "Đã tổ chức quán triệt cho 42/42 chi bộ trực thuộc.")
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_url(f"**/work/assignments/{assignment.pk}/")

    # 5. The leader approves the answer; the monitor accepts it.
    switch_user(page, login, leader)
    page.goto("/work/review/")
    approve_first(page)
    switch_user(page, login, monitor)
    page.goto("/work/review/")
    assert "42/42 chi bộ" in page.get_by_test_id("review-row").first.inner_text()
    approve_first(page)

    answer = ProgressReport.objects.get(status="accepted")
    assert answer.resubmission_of.status == "returned"
    assert answer.approved_by == leader and answer.proposals == PROPOSAL
    assert list(answer.attachments.values_list("original_name", flat=True)) == [
        "Báo cáo quý III.pdf"
    ]

    # 6. The monitor drafts the roll-up of the year so far: before anything is built, its
    # narrative carries the accepted report's proposal and difficulty, with the unit.
    today = local_today()
    report_services.reporting_periods_ensure(year=today.year)
    period = ReportingPeriod.objects.get(
        kind=PeriodKind.YEAR, start_on__year=today.year, directive__isnull=True
    )
    page.goto(f"/reports/rollups/new/?period={period.pk}")
    proposals = page.locator("#id_text_proposals")
    expect(proposals).to_have_value(re.compile(re.escape(PROPOSAL)))
    assert p["front"].name in proposals.input_value()
    expect(page.locator("#id_text_limitations")).to_have_value(
        re.compile("Hai chi bộ vùng cao chưa tổ chức được.")
    )
    page.locator("form:has(#rollup-narratives) button[type=submit]").click()
    expect(page.get_by_test_id("rollup-title")).to_be_visible(timeout=SLOW)
    rollup = RollupReport.objects.get()
    assert page.url.endswith(f"/reports/rollups/{rollup.pk}/")
    assert PROPOSAL in rollup.narrative_text["proposals"]

    # 7. A worker builds it (here, the test in its place); the page offers the .docx,
    # which LibreOffice renders with the proposal under "V. ĐỀ XUẤT, KIẾN NGHỊ".
    assert report_services.rollup_build(report_id=rollup.pk)
    rollup.refresh_from_db()
    assert rollup.status == RollupStatus.READY
    page.reload()
    with page.expect_download(timeout=SLOW) as download_info:
        page.get_by_test_id("download-docx").click()
    docx = open(download_info.value.path(), "rb").read()
    pages = docx_pdf_pages(docx, tmp_path)
    assert len(pages) >= 1
    flat = " ".join(" ".join(pages).split())
    proposals_section = flat[flat.index("V. ĐỀ XUẤT, KIẾN NGHỊ") :]
    assert PROPOSAL in proposals_section
    assert "Hai chi bộ vùng cao chưa tổ chức được." in flat[flat.index("II. HẠN CHẾ") :]
