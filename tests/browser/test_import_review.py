"""A monitor imports a State-format joint plan (People's Committee and Fatherland Front)
from its text: a group lead, the searchable chooser, the highlighted passage beside the
form; importing it a second time warns with a link to the first."""

from __future__ import annotations

import datetime

import pytest

from directives.models import AssignmentRole, Directive
from tests.directives.test_import_apply import build_ducpho
from tests.factories import UnitFactory
from units.models import UnitKind, UnitLevel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

YEAR = datetime.date.today().year + 1  # deadlines still ahead: nothing is overdue at import
JOINT_PLAN = f"""ỦY BAN NHÂN DÂN - ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM
THỊ XÃ ĐỨC PHỔ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 05/KH-UBND-MTTQ
Đức Phổ, ngày 12 tháng 01 năm {YEAR}
KẾ HOẠCH
PHỐI HỢP THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM {YEAR}
Căn cứ Kết luận số 43-KL/TW ngày 07/01/2019 của Ban Bí thư về công tác dân vận;
Ủy ban nhân dân thị xã và Ủy ban Mặt trận Tổ quốc Việt Nam thị xã thống nhất ban hành \
Kế hoạch phối hợp như sau:
1. UBND các xã, phường tổ chức đối thoại trực tiếp với Nhân dân về những vấn đề Nhân dân \
quan tâm, hoàn thành trước ngày 30/6/{YEAR}.
2. Ủy ban nhân dân thị xã chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam thị xã \
kiểm tra việc tiếp công dân tại các xã, phường, hoàn thành trước ngày 30/9/{YEAR}.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn B
"""


def _world() -> dict:
    world = build_ducpho()
    world["commune_committees"] = [
        UnitFactory(
            name=f"Ủy ban nhân dân {commune.name.removeprefix('Đảng ủy ')}",
            kind=UnitKind.PEOPLES_COMMITTEE,
            level=UnitLevel.COMMUNE,
            parent=commune,
        )
        for commune in world["communes"]
    ]
    return world


def _read(page, text: str) -> None:
    page.goto("/directives/import/")
    page.fill("#id_text", text)
    with page.expect_navigation():
        page.locator("[data-testid=import-form] button[type=submit]").click()


def test_a_joint_state_plan_with_a_group_lead_then_a_second_import_is_caught(page, login) -> None:
    world = _world()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(world["monitor"])
    _read(page, JOINT_PLAN)

    # Read as a State document: number, joint issuers, the first known one as issuer.
    assert page.locator("#id_code").input_value() == "05/KH-UBND-MTTQ"
    assert page.locator("#id_issuer").input_value() == str(world["committee"].pk)
    assert "07/01/2019" in page.get_by_test_id("import-references").inner_text()
    assert page.evaluate("Array.from(document.scripts).filter(s => !s.src).length") == 0

    tasks = page.get_by_test_id("import-task")
    assert tasks.count() == 2
    group_task, second = tasks.nth(0), tasks.nth(1)
    # "UBND các xã, phường": the People's Committees of the town's two communes.
    assert group_task.get_by_test_id("lead-select").input_value() == ""
    assert group_task.get_by_test_id("lead-group").input_value() == "peoples_committees_commune"
    assert "2" in group_task.get_by_test_id("lead-group-count").inner_text()

    # The coordinating units: the same searchable chooser as the lead, not a native list.
    assert not second.get_by_test_id("coordinating-select").is_visible()
    chips = second.get_by_test_id("coordinating-chips")
    assert "Mặt trận Tổ quốc" in chips.inner_text()
    search = second.get_by_test_id("coordinating-select").locator("xpath=..")
    search.get_by_test_id("unit-search").fill("dan van thi uy")
    adder = second.get_by_test_id("coordinating-add")
    offered = adder.locator("option").all_inner_texts()
    assert "Ban Dân vận Thị ủy Đức Phổ" in offered
    assert "Hội đồng nhân dân thị xã Đức Phổ" not in offered
    adder.select_option(str(world["board"].pk))
    assert "Ban Dân vận Thị ủy Đức Phổ" in chips.inner_text()
    # The lead has the search box too.
    lead_box = second.get_by_test_id("lead-select").locator("xpath=..")
    assert lead_box.get_by_test_id("unit-search").count() == 1

    # Editing the second task highlights its passage in the original text, which stays
    # in view beside the form while the page scrolls.
    second.locator("textarea").first.focus()
    mark = page.get_by_test_id("source-highlight")
    assert "kiểm tra việc tiếp công dân" in mark.inner_text()
    page.get_by_test_id("import-confirm").scroll_into_view_if_needed()
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    box = page.get_by_test_id("import-source").bounding_box()
    assert box is not None and 0 <= box["y"] < 800

    with page.expect_navigation():
        page.get_by_test_id("import-confirm").click()
    directive = Directive.objects.get()
    assert page.url.endswith(f"/directives/{directive.pk}/")
    assert directive.code == "05/KH-UBND-MTTQ"
    first_task = directive.tasks.get(order=0)
    leads = set(
        first_task.assignments.filter(role=AssignmentRole.LEAD).values_list("unit_id", flat=True)
    )
    assert leads == {u.pk for u in world["commune_committees"]}
    coordinating = set(
        directive.tasks.get(order=1)
        .assignments.filter(role=AssignmentRole.COORDINATING)
        .values_list("unit_id", flat=True)
    )
    assert coordinating == {world["front"].pk, world["board"].pk}

    # The same plan again: a warning with a link to the first, and a deliberate choice.
    _read(page, JOINT_PLAN)
    warning = page.get_by_test_id("import-duplicate")
    assert warning.is_visible()
    link = warning.get_by_test_id("import-duplicate-link")
    assert link.get_attribute("href") == f"/directives/{directive.pk}/"
    with page.expect_navigation():
        page.get_by_test_id("import-confirm").click()
    assert "Vẫn nhập bản mới" in page.get_by_test_id("import-duplicate").inner_text()
    assert Directive.objects.count() == 1
    with page.expect_navigation():
        page.get_by_test_id("import-discard-duplicate").click()
    assert page.url.endswith("/directives/import/")
    assert Directive.objects.count() == 1
