"""Drilling into a unit: its own title and filter, its tasks listed; directives without a
number named by type, date and subject."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from directives.models import DirectiveKind
from directives.naming import directive_label
from tests.factories import AssignmentFactory, DirectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_drill_down_by_htmx_replaces_the_title_and_links_load_the_whole_page(client, world):
    client.force_login(world["a"]["viewer"])
    commune = world["a"]["commune"]
    url = reverse("reports:dashboard") + f"?period={world['period'].pk}&unit={commune.pk}"
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="dashboard-title" data-testid="dashboard-title" hx-swap-oob="true"' in html
    assert "Tổng quan: Đảng ủy xã A" in html
    top = client.get(reverse("reports:dashboard") + f"?period={world['period'].pk}")
    ranking = top.content.decode().split('data-testid="ranking"')[1].split("</table>")[0]
    assert "hx-get" not in ranking  # a drill link reloads the title and the filter too
    page = client.get(url).content.decode()
    assert f'<option value="{commune.pk}" selected>' in page


def test_drill_down_into_a_unit_lists_its_tasks(client, world):
    client.force_login(world["a"]["viewer"])
    leaf = world["a"]["front"]  # no unit under it
    url = reverse("reports:dashboard") + f"?period={world['period'].pk}&unit={leaf.pk}"
    html = client.get(url).content.decode()
    assert "Chưa có đơn vị nào được giao nhiệm vụ" not in html
    assert 'data-testid="unit-tasks"' in html
    assert html.count('data-testid="unit-task"') == 3
    assert "Nhiệm vụ của Ủy ban MTTQ Việt Nam tỉnh Hải Dương" in html


def test_directive_without_number_is_named_by_type_date_and_subject(client, world):
    assert directive_label(code="56-KL/TU", kind="KL", issued_on=D(2024, 1, 1)) == "56-KL/TU"
    assert (
        directive_label(code="", kind="KL", issued_on=D(2023, 7, 17), subject="về dân vận")
        == "Kết luận ngày 17/07/2023 về dân vận"
    )
    assert directive_label(code="", kind="KL", issued_on="2023-07-17", subject="bí mật",
                           confidential=True) == "Kết luận ngày 17/07/2023"  # fmt: skip
    nameless = DirectiveFactory(
        issuer=world["a"]["committee"], kind=DirectiveKind.KL, number="", code="",
        issued_on=D(2024, 2, 1), subject="về công tác dân vận chính quyền",
    )  # fmt: skip
    task = TaskFactory(directive=nameless, section="II.1.1", title="Rà soát", due_on=D(2024, 3, 1))
    AssignmentFactory(task=task, unit=world["a"]["front"], due_on=D(2024, 3, 1))
    client.force_login(world["a"]["viewer"])
    html = client.get(reverse("reports:dashboard") + f"?period={world['period'].pk}").content
    html = html.decode()
    assert "Kết luận ngày 01/02/2024 về công tác dân vận chính quyền" in html  # directives
    overdue = "Kết luận ngày 01/02/2024 về công tác dân vận chính quyền: II.1.1 Rà soát"
    assert overdue in html  # the overdue row
    assert ">: II.1.1" not in html and '">KL</a>' not in html
