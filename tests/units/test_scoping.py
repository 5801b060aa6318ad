"""A user never sees units outside their subtree, whatever page or URL they use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from units.models import Role, Unit

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_monitor_sees_the_whole_committee_subtree_and_nothing_else(two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    visible = Unit.objects.visible_to(a["monitor"])
    expected = {a[k].name for k in ("committee", "board", "front", "commune", "commune_front")}
    assert names(visible) == expected
    assert not visible.filter(pk=b["committee"].pk).exists()


def test_viewer_and_inspector_see_their_committee_subtree(two_provinces):
    a = two_provinces["a"]
    inspector = UserFactory(unit=a["board"], role=Role.INSPECTOR)
    assert Unit.objects.visible_to(a["viewer"]).count() == 5
    assert Unit.objects.visible_to(inspector).count() == 5


def test_staff_see_only_their_own_unit_and_below(two_provinces):
    a = two_provinces["a"]
    assert names(Unit.objects.visible_to(a["staff"])) == {a["front"].name}
    assert names(Unit.objects.visible_to(a["commune_staff"])) == {
        a["commune"].name,
        a["commune_front"].name,
    }


def test_administrator_sees_everything_and_a_user_without_unit_nothing(two_provinces):
    admin = UserFactory(unit=None, role=Role.ADMIN)
    assert Unit.objects.visible_to(admin).count() == 10
    inactive = two_provinces["a"]["monitor"]
    inactive.is_active = False
    inactive.save()
    assert Unit.objects.visible_to(inactive).count() == 0


def test_subtree_is_a_single_query(two_provinces, django_assert_num_queries):
    monitor = Unit.objects.get(pk=two_provinces["a"]["board"].pk)
    user = two_provinces["a"]["monitor"]
    user.unit = monitor
    with django_assert_num_queries(2):  # the committee above the board, then the subtree
        list(Unit.objects.visible_to(user))


def test_unit_list_page_shows_only_the_users_subtree(client, two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    client.force_login(a["monitor"])
    response = client.get(reverse("units:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert a["commune"].name in content
    assert b["committee"].name not in content
    assert b["commune"].name not in content


def test_unit_page_outside_the_subtree_is_not_found(client, two_provinces):
    a, b = two_provinces["a"], two_provinces["b"]
    client.force_login(a["staff"])
    assert client.get(reverse("units:detail", args=[a["front"].pk])).status_code == 200
    for other in (b["front"], a["committee"], a["board"]):
        assert client.get(reverse("units:detail", args=[other.pk])).status_code == 404


def test_unit_search_filter_cannot_widen_the_scope(client, two_provinces):
    a = two_provinces["a"]
    client.force_login(a["commune_staff"])
    response = client.get(reverse("units:list"), {"q": "tinh uy"})
    assert response.status_code == 200
    assert "Tỉnh ủy" not in response.content.decode()


def test_unit_list_query_count_does_not_grow_with_rows(
    client, two_provinces, django_assert_max_num_queries
):
    a = two_provinces["a"]
    client.force_login(a["monitor"])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("units:list"))
    for i in range(60):
        UnitFactory(name=f"Chi bộ {i}", parent=a["commune"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("units:list"))
    assert response.status_code == 200


def test_anonymous_user_is_sent_to_login(client, two_provinces):
    response = client.get(reverse("units:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_bad_filter_values_give_a_page_not_an_error(client, two_provinces):
    client.force_login(two_provinces["a"]["monitor"])
    response = client.get(reverse("units:list"), {"kind": "nonsense", "page": "abc"})
    assert response.status_code == 200
