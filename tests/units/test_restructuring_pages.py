"""The restructuring pages: a form, a preview of what moves, one confirmation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from directives.models import Assignment
from tests.factories import AssignmentFactory, UnitFactory, UserFactory
from units.models import Role, Unit, UnitChange, UnitKind, UnitLevel, User

pytestmark = pytest.mark.django_db


def commune(name: str, parent: Unit) -> Unit:
    return UnitFactory(
        name=name, kind=UnitKind.PARTY_COMMITTEE, level=UnitLevel.COMMUNE, parent=parent
    )


@pytest.fixture
def province(two_provinces):
    a = two_provinces["a"]
    a["x"] = commune("Đảng ủy xã Tân Hưng", a["committee"])
    a["y"] = commune("Đảng ủy xã Tân Việt", a["committee"])
    a["outsider"] = two_provinces["b"]["monitor"]
    return a


def url(unit: Unit, operation: str) -> str:
    return reverse("units:restructure", args=[unit.pk, operation])


def test_merge_shows_the_preview_then_does_it_on_confirmation(client, province):
    x, y = province["x"], province["y"]
    work = AssignmentFactory(unit=x)
    person = UserFactory(unit=x, role=Role.LEADER, last_name="Nguyễn Văn", first_name="An")
    client.force_login(province["monitor"])
    data = {"into": y.pk, "effective_on": "01/07/2025", "note": "Nghị quyết 1/NQ"}

    preview = client.post(url(x, "merge"), {**data, "step": "preview"})
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Nguyễn Văn An" in content and str(work.task.title) in content
    assert Assignment.objects.get(pk=work.pk).unit_id == x.pk  # nothing done yet
    expected = [f"user-{person.pk}", f"assignment-{work.pk}"]
    for key in expected:
        assert f'value="{key}"' in content

    done = client.post(url(x, "merge"), {**data, "step": "confirm", "expected": expected})
    assert done.status_code == 302
    assert Assignment.objects.get(pk=work.pk).unit_id == y.pk
    assert User.objects.get(pk=person.pk).unit_id == y.pk
    page = client.get(reverse("units:detail", args=[y.pk])).content.decode()
    assert "Trước ngày 01/07/2025: Đảng ủy xã Tân Hưng" in page


def test_bad_input_gives_the_form_back_and_changes_nothing(client, province):
    x, y = province["x"], province["y"]
    client.force_login(province["monitor"])
    for data in (
        {"into": y.pk, "effective_on": "31/02/2025"},
        {"into": y.pk, "new_name": "Xã mới", "effective_on": "01/07/2025"},
        {"effective_on": "01/07/2025"},
        {"into": province["outsider"].unit.pk, "effective_on": "01/07/2025"},
    ):
        for step in ("preview", "confirm"):
            response = client.post(url(x, "merge"), {**data, "step": step})
            assert response.status_code == 400, data
    response = client.post(url(x, "split"), {"successors": [y.pk], "effective_on": "01/07/2025"})
    assert response.status_code == 400
    assert "ít nhất hai" in response.content.decode()
    assert not UnitChange.objects.exists()
    assert Unit.objects.get(pk=x.pk).valid_to is None


def test_a_stale_confirmation_is_refused(client, province):
    x, y = province["x"], province["y"]
    client.force_login(province["monitor"])
    AssignmentFactory(unit=x)
    data = {"into": y.pk, "effective_on": "01/07/2025", "step": "confirm", "expected": []}
    response = client.post(url(x, "merge"), data)
    assert response.status_code == 400
    assert not UnitChange.objects.exists()


def test_split_page_asks_the_successor_of_each_item(client, province):
    x, y = province["x"], province["y"]
    first, second = AssignmentFactory(unit=x), AssignmentFactory(unit=x)
    client.force_login(province["monitor"])
    data = {
        "successors": [y.pk],
        "new_names": "Đảng ủy xã Tân Hưng Mới",
        "effective_on": "01/07/2025",
    }
    preview = client.post(url(x, "split"), {**data, "step": "preview"}).content.decode()
    assert f'name="to-assignment-{first.pk}"' in preview
    response = client.post(
        url(x, "split"),
        {
            **data,
            "step": "confirm",
            "expected": [f"assignment-{first.pk}", f"assignment-{second.pk}"],
            f"to-assignment-{first.pk}": "0",
            f"to-assignment-{second.pk}": "1",
        },
    )
    assert response.status_code == 302
    new = Unit.objects.get(name="Đảng ủy xã Tân Hưng Mới")
    assert Assignment.objects.get(pk=first.pk).unit_id == y.pk
    assert Assignment.objects.get(pk=second.pk).unit_id == new.pk
    assert new.valid_from == datetime.date(2025, 7, 1)


def test_move_and_rename_from_the_pages(client, province):
    x, y = province["x"], province["y"]
    client.force_login(province["monitor"])
    response = client.post(
        url(x, "move"), {"parent": y.pk, "effective_on": "01/07/2025", "step": "confirm"}
    )
    assert response.status_code == 302
    assert Unit.objects.get_parent(Unit.objects.get(pk=x.pk)).pk == y.pk
    response = client.post(
        url(y, "rename"),
        {"name": "Đảng ủy xã Tân Việt Mới", "effective_on": "01/07/2025", "step": "confirm"},
    )
    assert response.status_code == 302
    page = client.get(reverse("units:detail", args=[y.pk])).content.decode()
    assert "Trước ngày 01/07/2025: Đảng ủy xã Tân Việt" in page


def test_only_administrators_and_the_committees_monitors_may_restructure(client, province):
    x, y = province["x"], province["y"]
    data = {"into": y.pk, "effective_on": "01/07/2025", "step": "confirm", "expected": []}
    client.force_login(province["outsider"])
    assert client.get(url(x, "merge")).status_code == 404
    assert client.post(url(x, "merge"), data).status_code == 404
    for user, unit in ((province["viewer"], x), (province["commune_staff"], province["commune"])):
        client.force_login(user)
        assert client.get(url(unit, "merge")).status_code == 403
        assert client.post(url(unit, "merge"), data).status_code == 403
    # A monitor may not restructure the committee itself, only what is below it.
    client.force_login(province["monitor"])
    assert client.get(url(province["committee"], "rename")).status_code == 403
    assert client.get(url(x, "explode")).status_code == 404
    assert not UnitChange.objects.exists()
    admin = UserFactory(unit=None, role=Role.ADMIN)
    client.force_login(admin)
    assert client.get(url(province["committee"], "rename")).status_code == 200


def test_searching_an_old_name_lists_the_old_unit_and_leads_to_its_successor(client, province):
    x, y = province["x"], province["y"]
    client.force_login(province["monitor"])
    client.post(url(x, "merge"), {"into": y.pk, "effective_on": "01/07/2025", "step": "confirm"})
    content = client.get(reverse("units:list"), {"q": "tan hung"}).content.decode()
    assert reverse("units:detail", args=[x.pk]) in content
    assert reverse("units:detail", args=[y.pk]) in content
    page = client.get(reverse("units:detail", args=[x.pk])).content.decode()
    assert "Giao việc mới cho:" in page and "Đảng ủy xã Tân Việt" in page


def test_the_admin_lists_the_recorded_changes(client, province):
    x, y = province["x"], province["y"]
    client.force_login(province["monitor"])
    client.post(url(x, "move"), {"parent": y.pk, "effective_on": "01/07/2025", "step": "confirm"})
    change = UnitChange.objects.get()
    client.force_login(UserFactory(unit=None, role=Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:units_unit_change", args=[x.pk])).status_code == 200
    page = client.get(reverse("admin:units_unitchange_change", args=[change.pk]))
    assert page.status_code == 200
