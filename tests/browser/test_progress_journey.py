"""The tracking loop in a browser: a unit reports with evidence, the monitor returns the
report with a comment, the unit answers, the monitor accepts, the task shows done."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect
from pypdf import PdfWriter

from directives.models import ProgressReport
from tests.directives.test_progress_services import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


# How long a step that saves a report may take on a loaded machine before it is a failure.
SLOW = 60_000


def small_pdf(path) -> str:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Báo cáo kết quả thực hiện"})
    with open(path, "wb") as handle:
        writer.write(handle)
    return str(path)


def switch_user(page, login, user):
    # A request still in flight (htmx refreshing a count after a decision) would come back
    # after the cookies are cleared and set a new CSRF cookie under the login form.
    page.wait_for_load_state("networkidle", timeout=SLOW)
    page.context.clear_cookies()
    login(user)


def test_report_return_resubmit_accept(page, login, two_provinces, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(two_provinces)
    staff, monitor = world["a"]["staff"], world["a"]["monitor"]
    assignment = world["a"]["assignment"]
    evidence = small_pdf(tmp_path / "Báo cáo quý III.pdf")

    # 1. The unit's staff open Việc của tôi and report with an attachment.
    login(staff)
    page.goto("/work/")
    row = page.locator(f"#assignment-{assignment.pk}")
    row.get_by_role("link", name="Nhiệm vụ tỉnh a").click()
    page.get_by_test_id("report-link").click()
    page.fill("#id_percent", "100")
    page.check("#id_completed")
    page.fill("#id_results", "Đã tổ chức quán triệt cho 100% chi bộ trực thuộc.")
    page.set_input_files("#id_attachments", evidence)
    page.click("[data-testid=progress-form] button[type=submit]")
    # The upload can take long on a loaded machine: wait for the page that shows the
    # stored report (its file), then check it is the assignment's page.
    expect(page.get_by_test_id("attachment")).to_have_text("Báo cáo quý III.pdf", timeout=SLOW)
    assert page.url.endswith(f"/work/assignments/{assignment.pk}/")

    # 2. The monitor returns it with a comment, without leaving the queue.
    switch_user(page, login, monitor)
    page.goto("/work/review/")
    review_row = page.get_by_test_id("review-row").first
    review_row.locator("textarea[name=comment]").fill("Đề nghị bổ sung số liệu từng chi bộ.")
    review_row.locator("button[value=return]").click()
    page.get_by_test_id("review-done").wait_for(timeout=SLOW)
    assert "review" in page.url

    # 3. The unit sees the comment and answers it.
    switch_user(page, login, staff)
    page.goto("/work/")
    assert "Đề nghị bổ sung số liệu từng chi bộ." in page.get_by_test_id("last-report").inner_text()
    page.goto(f"/work/assignments/{assignment.pk}/")
    page.get_by_test_id("report-link").click()
    notice = page.get_by_test_id("returned-notice")
    assert "Đề nghị bổ sung số liệu từng chi bộ." in notice.inner_text()
    page.fill("#id_percent", "100")
    page.check("#id_completed")
    page.fill("#id_results", "Đã quán triệt cho 42/42 chi bộ, 1.250 đảng viên tham gia.")
    page.click("[data-testid=progress-form] button[type=submit]")
    expect(page.get_by_test_id("resubmission-link")).to_have_count(1, timeout=SLOW)
    assert page.url.endswith(f"/work/assignments/{assignment.pk}/")

    # 4. The monitor accepts the answer.
    switch_user(page, login, monitor)
    page.goto("/work/review/")
    review_row = page.get_by_test_id("review-row").first
    assert "42/42 chi bộ" in review_row.inner_text()
    review_row.locator("button[value=accept]").click()
    page.get_by_test_id("review-done").wait_for(timeout=SLOW)
    page.get_by_test_id("review-empty").count()  # the queue itself is not reloaded

    # 5. The task shows done on time, on the directive page when it exists.
    assert ProgressReport.objects.filter(status="accepted").count() == 1
    try:
        url = reverse("directives:detail", args=[world["a"]["directive"].pk])
    except NoReverseMatch:
        url = f"/work/assignments/{assignment.pk}/"
    page.goto(url)
    badge = page.locator("[data-status=done_on_time]").first
    badge.wait_for()
    assert badge.inner_text() == "Hoàn thành đúng hạn" or badge.inner_text() == "Done on time"
