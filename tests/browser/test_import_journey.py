"""A monitor imports seed 004 from its text, corrects a lead unit, and sees the directive."""

from __future__ import annotations

from pathlib import Path

import pytest

from directives.models import AssignmentRole, Directive
from tests.directives.test_import_apply import build_ducpho

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SEED_004 = (
    Path(__file__).resolve().parents[2]
    / "sampledata"
    / "seed_documents"
    / "004_f63d29f789b56af6.txt"
).read_text(encoding="utf-8")


def test_monitor_pastes_seed_004_corrects_a_lead_and_confirms(page, login) -> None:
    world = build_ducpho()
    login(world["monitor"])
    page.get_by_test_id("nav-directives-menu").click()  # directive actions are grouped
    page.get_by_test_id("nav-import").first.click()
    page.wait_for_url("**/directives/import/")
    page.fill("#id_text", SEED_004)
    with page.expect_navigation():
        page.locator("[data-testid=import-form] button[type=submit]").click()

    # The review page: the original text beside the proposal, twenty tasks.
    assert "Hội nghị đánh giá kết quả" in page.get_by_test_id("import-source").inner_text()
    tasks = page.get_by_test_id("import-task")
    assert tasks.count() == 20
    assert page.locator("#id_issuer").input_value() == str(world["town"].pk)
    # "Đảng ủy các xã, phường" is no known unit: flagged, and the lead left empty; it
    # stands for a group, the two communes of the town.
    fourteenth = tasks.nth(13)
    assert "Đảng ủy các xã, phường" in fourteenth.get_by_test_id("as-written").inner_text()
    assert fourteenth.get_by_test_id("lead-select").input_value() == ""
    assert fourteenth.get_by_test_id("lead-group").input_value() == "committees_commune"
    assert "2" in fourteenth.get_by_test_id("lead-group-count").inner_text()
    # Two tasks name bodies that are no unit: left "not assigned yet" deliberately.
    for index in (16, 17):
        tasks.nth(index).locator("input[name$='-unassigned']").check()
    # Every deadline (2023) had passed: they are followed all the same.
    page.locator("#id_past_due_all").select_option("track")
    # The user gives task II.2.1 to the People's Committee instead of the Council.
    eleventh = tasks.nth(10)
    assert eleventh.get_by_test_id("lead-select").input_value() == str(world["council"].pk)
    eleventh.get_by_test_id("lead-select").select_option(str(world["committee"].pk))
    assert eleventh.get_by_test_id("lead-group").input_value() == ""
    # A unit of another province is not even offered.
    options = eleventh.get_by_test_id("lead-select").locator("option").all_inner_texts()
    assert "Ủy ban nhân dân tỉnh Phú Yên" not in options
    with page.expect_navigation():
        page.get_by_test_id("import-confirm").click()

    directive = Directive.objects.get()
    assert page.url.endswith(f"/directives/{directive.pk}/")
    assert page.get_by_test_id("issuer").inner_text() == "Thị ủy Đức Phổ"
    assert page.get_by_test_id("task").count() == 20
    corrected = directive.tasks.get(section="II.2.1")
    assert corrected.assignments.get(role=AssignmentRole.LEAD).unit == world["committee"]
    row = page.locator(f"#task-{corrected.pk}").get_by_test_id("assignment")
    assert row.first.get_attribute("data-unit") == "Ủy ban nhân dân thị xã Đức Phổ"
    assert "43-KL/TW" in page.get_by_test_id("references").inner_text()
