"""Search finds directives by their tasks, and the header search finds directives, tasks
and units from anywhere, accents ignored, ranked, within the user's scope."""

from __future__ import annotations

import pytest
from django.db import connection

from search.selectors import search_everything
from tests.directives.test_progress_services import build_world
from tests.factories import DirectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_provinces):
    world = build_world(two_provinces)
    for key in ("a", "b"):
        TaskFactory(
            directive=world[key]["directive"],
            title=f"Đẩy mạnh phong trào thi đua “Dân vận khéo” ở tỉnh {key}",
            description="Biểu dương điển hình.",
        )
    TaskFactory(
        directive=world["a"]["directive"],
        title="Sơ kết công tác",
        description="Nhân rộng các mô hình DÂN VẬN KHÉO trong vùng đồng bào dân tộc.",
    )
    return world


@pytest.mark.parametrize("query", ["dan van kheo", "Dân vận khéo", "DAN VAN khéo"])
def test_directive_list_finds_directives_by_their_tasks(client, world, query):
    client.force_login(world["a"]["monitor"])
    response = client.get("/directives/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [d.pk for d in rows] == [world["a"]["directive"].pk]  # tỉnh b is out of scope
    assert 'data-testid="matched-task"' in html
    assert "“Dân vận khéo” ở tỉnh a" in html
    assert "tỉnh b" not in html


def test_directive_list_finds_a_task_by_its_description(client, world):
    client.force_login(world["a"]["monitor"])
    response = client.get("/directives/", {"q": "dong bao dan toc"})
    assert [d.pk for d in response.context["rows"]] == [world["a"]["directive"].pk]
    assert "Sơ kết công tác" in response.content.decode()


def test_directive_list_search_still_matches_the_directive_itself(client, world):
    client.force_login(world["a"]["monitor"])
    response = client.get("/directives/", {"q": "tang cuong cong tac dan van"})
    assert [d.pk for d in response.context["rows"]] == [world["a"]["directive"].pk]
    assert 'data-testid="matched-task"' not in response.content.decode()


def test_header_search_finds_directives_tasks_and_units_in_scope(client, world):
    client.force_login(world["a"]["monitor"])
    response = client.get("/search/", {"q": "dan van"})
    html = response.content.decode()
    assert response.status_code == 200
    results = response.context["results"]
    assert world["a"]["directive"] in results.directives
    assert world["b"]["directive"] not in results.directives
    assert {t.directive_id for t in results.tasks} == {world["a"]["directive"].pk}
    assert world["a"]["board"] in results.units
    assert world["b"]["board"] not in results.units
    assert "tỉnh b" not in html and "Phú Yên" not in html


def test_header_search_ranks_a_title_match_before_a_description_match(world):
    results = search_everything(user=world["a"]["monitor"], text="dân vận khéo")
    titles = [t.title for t in results.tasks]
    assert titles[0].startswith("Đẩy mạnh phong trào")
    assert titles[-1] == "Sơ kết công tác"


def test_header_search_for_staff_is_limited_to_their_directives(world):
    results = search_everything(user=world["b"]["staff"], text="dan van kheo")
    assert {t.directive_id for t in results.tasks} == {world["b"]["directive"].pk}


def test_header_search_with_nothing_typed_finds_nothing(client, world):
    client.force_login(world["a"]["monitor"])
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert response.context["results"].total == 0


def test_every_page_has_the_header_search_box(client, world):
    client.force_login(world["a"]["staff"])
    html = client.get("/work/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


def test_task_search_key_follows_every_write_of_the_task(world):
    from search.models import TaskSearchText

    task = TaskFactory(directive=world["a"]["directive"], title="Vận động Nhân dân")
    assert TaskSearchText.objects.get(task=task).text.startswith("van dong nhan dan")
    task.description = "Xây dựng NÔNG THÔN mới"
    task.save()
    assert TaskSearchText.objects.get(task=task).text == "van dong nhan dan xay dung nong thon moi"
    other = DirectiveFactory(issuer=world["a"]["committee"])
    task.directive = other
    task.save()
    assert TaskSearchText.objects.get(task=task).directive_id == other.pk
    task.delete()
    assert not TaskSearchText.objects.filter(task_id=task.pk).exists()


def test_search_uses_trigram_indexes_where_postgresql_has_pg_trgm(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_task_text_trgm'")
        index = cursor.fetchone()
    # The embedded PostgreSQL lacks pg_trgm: there the same search runs without the index.
    assert (index is not None) == available
    if index:
        assert "gin_trgm_ops" in index[0]
