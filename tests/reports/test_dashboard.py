"""The dashboard, its drill-down, its export and its partials: the figures of the
aggregation layer, scoped to the user's committee."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import FigureCache
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory
from units.models import Role, UnitKind

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name, *args, **query):
    from urllib.parse import urlencode

    return reverse(f"reports:{name}", args=args) + ("?" + urlencode(query) if query else "")


def test_leader_sees_kpis_of_the_period(client, world):
    client.force_login(world["a"]["viewer"])
    response = client.get(url("dashboard", period=world["period"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    figures = response.context["figures"]
    assert figures["counts"]["total"] == 8
    assert 'data-testid="kpi-total">8<' in html
    assert 'data-testid="kpi-rate">33,3 %<' in html  # Vietnamese decimal comma
    assert 'data-testid="kpi-overdue">1<' in html
    assert 'data-testid="kpi-week">2<' in html
    assert "Hội Nông dân tỉnh" in html  # a unit with nothing assigned is still listed
    assert "30/06/2024" in html
    assert "Phú Yên" not in html and "Việc của tỉnh B" not in html
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    assert 'id="dashboard-charts"' in html


def test_overdue_row_links_to_the_assignment_page(client, world):
    client.force_login(world["a"]["viewer"])
    html = client.get(url("dashboard", period=world["period"].pk)).content.decode()
    assert f'href="/work/assignments/{world["a4"].pk}/"' in html


def test_drill_down_to_a_unit_shows_its_subtree_only(client, world):
    client.force_login(world["a"]["viewer"])
    response = client.get(
        url("dashboard", period=world["period"].pk, unit=world["a"]["commune"].pk)
    )
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["root"] == "Đảng ủy xã A"
    assert figures["counts"]["total"] == 3
    assert [r["unit"] for r in figures["by_unit"]] == ["Đảng ủy xã A", "MTTQ xã A"]
    assert 'data-testid="breadcrumb"' in response.content.decode()


def test_drill_down_to_a_directive_lists_its_assignments(client, world):
    client.force_login(world["a"]["viewer"])
    response = client.get(url("directive_drill", world["d1"].pk, period=world["period"].pk))
    assert response.status_code == 200
    rows = list(response.context["rows"])
    assert [a.pk for a in rows][0] == world["a4"].pk  # overdue first
    assert {a.pk for a in rows} == {world[k].pk for k in ("a1", "a2", "a3", "a4", "a9")}
    assert rows[0].status_as_of == "overdue"


def test_htmx_partial_is_only_the_body(client, world):
    client.force_login(world["a"]["viewer"])
    response = client.get(url("dashboard", period=world["period"].pk), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'data-testid="kpi-total"' in html


def test_dashboard_xlsx_has_the_same_figures(client, world):
    client.force_login(world["a"]["viewer"])
    response = client.get(url("dashboard_xlsx", period=world["period"].pk))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    units = book.worksheets[1]
    names = [row[0].value for row in units.iter_rows(min_row=2)]
    assert "Hội Nông dân tỉnh" in names and "Tỉnh ủy Phú Yên" not in names
    summary = {row[0].value: row[1].value for row in book.worksheets[0].iter_rows(min_row=2)}
    assert 8 in summary.values() and 33.3 in summary.values()


@pytest.mark.parametrize("partial", [False, True])
def test_town_viewer_never_sees_another_towns_figures(client, world, partial):
    b_viewer = world["b"]["viewer"]
    client.force_login(b_viewer)
    headers = {"HTTP_HX_REQUEST": "true"} if partial else {}
    a_unit = world["a"]["front"].pk
    assert client.get(url("dashboard", unit=a_unit), **headers).status_code == 404
    assert client.get(url("dashboard_xlsx", unit=a_unit)).status_code == 404
    assert client.get(url("dashboard", directive=world["d1"].pk), **headers).status_code == 404
    assert client.get(url("directive_drill", world["d1"].pk)).status_code == 404
    own = client.get(url("dashboard", period=world["period"].pk), **headers)
    assert own.status_code == 200
    html = own.content.decode()
    assert "Hải Dương" not in html and "MTTQ xã A" not in html
    assert own.context["figures"]["counts"]["total"] == 1


def test_unit_staff_dashboard_is_their_unit_only(client, world):
    client.force_login(world["a"]["staff"])
    response = client.get(url("dashboard", period=world["period"].pk))
    assert response.context["figures"]["root"] == "Ủy ban MTTQ Việt Nam tỉnh Hải Dương"
    assert response.context["figures"]["counts"]["total"] == 3
    assert client.get(url("dashboard", unit=world["a"]["commune"].pk)).status_code == 404


def test_bad_filter_value_is_a_404_not_a_500(client, world):
    client.force_login(world["a"]["viewer"])
    assert client.get(url("dashboard", unit="abc")).status_code == 404
    assert client.get(url("dashboard", period=999999)).status_code == 404
    assert client.get(url("dashboard", kind="XX")).status_code == 404


def test_dashboard_queries_do_not_grow_with_data(client, world, django_assert_max_num_queries):
    client.force_login(world["a"]["viewer"])
    query = url("dashboard", period=world["period"].pk)
    with django_assert_max_num_queries(25) as small:
        client.get(query)
    front = world["a"]["front"]
    for i in range(30):
        unit = UnitFactory(
            name=f"Xã {i}", kind=UnitKind.PARTY_COMMITTEE, parent=world["a"]["committee"]
        )
        for j in range(4):
            task = TaskFactory(directive=world["d1"], due_on=D(2024, 5, 1 + j))
            AssignmentFactory(task=task, unit=unit)
            AssignmentFactory(task=task, unit=front)
    FigureCache.objects.all().delete()  # a first view again, as the one counted above
    with django_assert_max_num_queries(len(small.captured_queries)) as big:
        response = client.get(query)
    assert response.context["figures"]["counts"]["total"] == 8 + 240
    assert len(big.captured_queries) == len(small.captured_queries)


def test_admin_sees_every_root(client, world):
    from tests.factories import UserFactory

    admin = UserFactory(unit=None, role=Role.ADMIN, is_staff=True)
    client.force_login(admin)
    response = client.get(url("dashboard", period=world["period"].pk))
    names = [r["unit"] for r in response.context["figures"]["by_unit"]]
    assert "Tỉnh ủy Hải Dương" in names and "Tỉnh ủy Phú Yên" in names


def test_directive_drill_queries_do_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world["a"]["viewer"])
    query = url("directive_drill", world["d1"].pk, period=world["period"].pk)
    with django_assert_max_num_queries(20) as small:
        client.get(query)
    for _ in range(40):
        task = TaskFactory(directive=world["d1"], due_on=D(2024, 5, 1))
        AssignmentFactory(task=task, unit=world["a"]["front"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(query)
    assert response.context["page_obj"].paginator.count == 45
