"""The admin speaks Vietnamese, third-party apps included, and names the product."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin

from tests.factories import UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Django",
    "Periodic Tasks",
    "Periodic tasks",
    "Crontabs",
    "Intervals",
    "Solar events",
    "Clocked",
    "Events",
    "Pghistory",
    "Run selected tasks",
    "Enable selected tasks",
    "Show counts",
    "Skip to main content",
    "Get full name",
    "Pgh created at",
    "Pgh obj model",
    "Task Name",
    "Scheduler",
]


@pytest.fixture
def superuser_client(client):
    user = UserFactory(
        username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True, unit=None
    )
    client.force_login(user)
    return client


def visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r'value="[^"]*"', " ", html)  # option values are not shown
    return re.sub(r"<[^>]+>", " ", html)


def test_admin_is_titled_with_the_product(superuser_client):
    html = superuser_client.get("/admin/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Theo dõi văn bản chỉ đạo" in title
    assert "Django" not in title
    assert "Theo dõi văn bản chỉ đạo: quản trị" in html
    assert "css/admin.css" in html  # readable column widths


def test_every_admin_list_is_in_vietnamese(superuser_client, two_provinces):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Thử", task="notifications.tasks.flush_outbox", interval=every)
    pages = ["/admin/"] + [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]
    for url in pages:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found = [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]
        assert not found, f"{url}: {found}"


def test_third_party_names_and_columns_are_vietnamese(superuser_client, two_provinces):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Thử", task="notifications.tasks.flush_outbox", interval=every)
    index = visible_text(superuser_client.get("/admin/").content.decode())
    assert "Tác vụ định kỳ" in index
    assert "Lịch sử thay đổi" in index
    tasks = superuser_client.get("/admin/django_celery_beat/periodictask/").content.decode()
    assert "Chạy ngay các tác vụ đã chọn" in tasks
    assert "Run selected tasks" not in tasks
    users = visible_text(superuser_client.get("/admin/units/user/").content.decode())
    assert "Họ và tên" in users or "HỌ VÀ TÊN" in users
    events = visible_text(superuser_client.get("/admin/pghistory/events/").content.decode())
    assert "Thời điểm thay đổi" in events
