"""A province's monitor merges two communes from the browser, through the preview."""

from __future__ import annotations

import re

import pytest

from directives.models import Assignment
from tests.factories import AssignmentFactory, UnitFactory, UserFactory
from units.models import Role, Unit, UnitChange, UnitKind, UnitLevel, User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_monitor_merges_two_communes_through_the_preview(page, login, two_provinces):
    a = two_provinces["a"]
    x, y = (
        UnitFactory(
            name=name, kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE, parent=a["committee"]
        )
        for name in ("Đảng ủy xã Tân Hưng", "Đảng ủy xã Tân Việt")
    )
    work = AssignmentFactory(unit=x)
    done = AssignmentFactory(unit=x, completed_on=work.due_on, progress=100)
    secretary = UserFactory(unit=x, role=Role.LEADER, last_name="Phạm Văn", first_name="Bình")
    login(a["monitor"])

    page.goto(f"/units/{x.pk}/")
    page.get_by_test_id("restructure-actions").get_by_role("link", name="Hợp nhất").click()
    page.wait_for_url(f"**/units/{x.pk}/merge/")
    page.select_option("#id_into", label="Đảng ủy xã Tân Việt")
    page.fill("#id_effective_on", "01/07/2025")
    page.get_by_test_id("restructure-preview").click()

    preview = page.get_by_test_id("restructure-preview-list")
    preview.wait_for()
    text = preview.inner_text()
    assert "Phạm Văn Bình" in text and work.task.title in text
    assert "Đảng ủy xã Tân Việt" in text
    # Nothing has moved before the confirmation.
    assert Assignment.objects.get(pk=work.pk).unit_id == x.pk

    page.get_by_test_id("restructure-confirm").click()
    page.wait_for_url(re.compile(rf"/units/{x.pk}/$"))
    assert "Đã ghi nhận thay đổi" in page.content()
    assert "hợp nhất vào “Đảng ủy xã Tân Việt”" in page.get_by_test_id("unit-history").inner_text()

    assert Assignment.objects.get(pk=work.pk).unit_id == y.pk
    assert Assignment.objects.get(pk=done.pk).unit_id == x.pk
    assert User.objects.get(pk=secretary.pk).unit_id == y.pk
    assert Unit.objects.get(pk=x.pk).successor_id == y.pk
    assert UnitChange.objects.filter(unit=x, kind="merge").count() == 1

    page.goto(f"/units/{y.pk}/")
    assert (
        "Trước ngày 01/07/2025: Đảng ủy xã Tân Hưng"
        in page.get_by_test_id("unit-history").inner_text()
    )
