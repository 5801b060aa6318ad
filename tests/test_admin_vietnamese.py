"""The admin speaks Vietnamese, third-party apps included, and names the product."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation
from django.utils.text import capfirst

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


# Our apps: every model, field and help text in them has a Vietnamese label.
OUR_APPS = [
    "units",
    "access",
    "directives",
    "reports",
    "notifications",
    "backup",
    "search",
    "api",
    "config",
]
# Labels written the same in both languages (technical terms Vietnamese keeps as they are).
SAME_IN_BOTH = {"ID", "URL", "webhook", "Webhook", "Exchange"}


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


def in_english_and_vietnamese(text) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text)
    with translation.override("vi"):
        vietnamese = str(text)
    return english, vietnamese


def labels(model) -> dict[str, object]:
    """What the admin shows of a model: its names, its fields' labels and help texts."""
    meta = model._meta
    texts = {"(name)": meta.verbose_name, "(plural)": meta.verbose_name_plural}
    for field in meta.get_fields():
        if field.concrete:  # many-to-many included; reverse relations have no label
            texts[field.name] = field.verbose_name
            if field.help_text:
                texts[f"{field.name} (help)"] = field.help_text
    return texts


def test_every_label_of_our_models_is_vietnamese():
    models = [m for label in OUR_APPS for m in apps.get_app_config(label).get_models()]
    assert len(models) > 30  # event models included
    english = []
    for model in models:
        for name, text in labels(model).items():
            en, vi = in_english_and_vietnamese(text)
            if en == vi and en not in SAME_IN_BOTH:
                english.append(f"{model._meta.label}.{name}: {en!r}")
    assert not english


def shown_labels(html: str) -> set[str]:
    """Field labels, column headers and help texts of an admin page, as shown."""
    found = re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    found += re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, re.S)
    found += re.findall(r'<div class="help"[^>]*>(.*?)</div>', html, re.S)
    shown = set()
    for text in found:
        text = " ".join(re.sub(r"<[^>]+>", " ", text).split()).rstrip(":").strip()
        if text:
            shown.add(text)
    return shown


def test_admin_pages_show_no_english_label(superuser_client, two_provinces):
    """Every admin list and form (our models and the third-party ones) shows the
    Vietnamese of each label and help text, never its English source."""
    from axes.models import AccessAttempt
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Thử", task="notifications.tasks.flush_outbox", interval=every)
    CrontabSchedule.objects.create(minute="0", hour="7")
    AccessAttempt.objects.create(
        username="ai_do", ip_address="127.0.0.1", user_agent="thử", failures_since_start=1
    )
    english = set()
    for model in admin.site._registry:
        for text in labels(model).values():
            en, vi = in_english_and_vietnamese(text)
            en = " ".join(en.split())
            if en not in SAME_IN_BOTH:
                english |= {capfirst(en), en}
    assert "Requested by" in english and "User Agent" in english
    checked, found = 0, []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        listing = superuser_client.get(base)
        pages = {base: listing.content.decode()}
        change = re.search(rf'href="({re.escape(base)}[^"/]+/change/)', pages[base])
        if change:
            pages[change.group(1)] = superuser_client.get(change.group(1)).content.decode()
        add = superuser_client.get(base + "add/")
        if add.status_code == 200:
            pages[base + "add/"] = add.content.decode()
        for url, html in pages.items():
            shown = shown_labels(html)
            checked += len(shown)
            found += [f"{url}: {text}" for text in sorted(shown & english)]
    assert checked > 300
    assert not found, "\n".join(found)
