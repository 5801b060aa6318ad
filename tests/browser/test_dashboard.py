"""A leader viewer reads the dashboard, drills down to an overdue assignment and
downloads the roll-up report."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from reports import services
from tests.reports.conftest import world  # noqa: F401 - the fixed world of the figure tests

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_leader_reads_dashboard_drills_down_and_downloads_report(page, login, world):  # noqa: F811
    report = services.rollup_create(
        by=world["a"]["monitor"],
        committee=world["a"]["committee"],
        period=world["period"],
        build=False,
    )
    services.rollup_build(report_id=report.pk)
    login(world["a"]["viewer"])

    page.get_by_test_id("nav-dashboard").first.click()
    page.wait_for_url("**/reports/")
    assert "Tỉnh ủy Hải Dương" in page.get_by_test_id("dashboard-title").inner_text()
    # The period filter redraws the body in place (htmx) and keeps the URL shareable.
    page.select_option("#id_period", label="6 tháng đầu năm 2024")
    page.wait_for_url(re.compile(r"period=\d+"))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=kpi-total]').innerText.trim() === '8'"
    )
    assert page.get_by_test_id("kpi-rate").inner_text() == "33,3 %"
    assert page.get_by_test_id("kpi-overdue").inner_text() == "1"
    # Charts are drawn from the vendored Chart.js.
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-units') !== undefined")
    assert page.locator("text=Phú Yên").count() == 0

    # Drill down: committee → the commune → its overdue assignment.
    page.get_by_test_id("ranking").get_by_role("link", name="Đảng ủy xã A").click()
    page.wait_for_url(re.compile(rf"unit={world['a']['commune'].pk}"))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=kpi-total]').innerText.trim() === '3'"
    )
    assert "Đảng ủy xã A" in page.get_by_test_id("breadcrumb").inner_text()
    overdue = page.get_by_test_id("overdue-assignment")
    assert overdue.count() == 1 and "Hỗ trợ hộ nghèo" in overdue.inner_text()
    with page.expect_navigation() as navigation:
        overdue.click()
    assert navigation.value.status == 200
    assert page.url.endswith(f"/work/assignments/{world['a4'].pk}/")

    # The roll-up report, downloaded as Word.
    page.goto("/reports/rollups/")
    page.get_by_test_id("rollup-link").first.click()
    page.wait_for_url(f"**/reports/rollups/{report.pk}/")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-docx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    assert document.tables[0].rows[0].cells[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
