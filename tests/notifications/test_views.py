"""The inbox, the unread badge and the preferences page."""

from __future__ import annotations

import re

import pytest

from notifications.models import Channel, Notification, NotificationPreference
from notifications.services import build_rows
from tests.factories import UserFactory


def inbox_rows(user, count: int, *, read: bool = False) -> list[Notification]:
    rows = []
    for i in range(count):
        rows += build_rows(
            recipient=user,
            channels=[Channel.INAPP, Channel.EMAIL],
            kind="digest",
            dedup_key=f"test:{user.pk}:{i}",
            subject=f"Nhắc hạn số {i}",
            body_text=f"Nội dung {i}",
            body_html="",
            link=f"http://localhost:8000/work/assignments/{i}/",
        )
    created = Notification.objects.bulk_create(rows)
    if read:
        Notification.objects.filter(recipient=user).update(read_at="2026-01-01T00:00:00Z")
    return [n for n in created if n.channel == Channel.INAPP]


def badge(html: str) -> str | None:
    found = re.search(r'data-testid="unread-badge"[^>]*>([^<]+)<', html)
    return found.group(1) if found else None


@pytest.fixture
def user(db):
    return UserFactory()


def test_inbox_needs_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_shows_own_in_app_messages_with_the_unread_badge(client, user):
    inbox_rows(user, 3)
    inbox_rows(UserFactory(), 2)
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    assert html.count('data-testid="notification"') == 3
    assert "Nhắc hạn số 2" in html and "/work/assignments/2/" in html
    assert badge(html) == "3"
    assert badge(client.get("/").content.decode()) == "3"  # the header of every page


def test_empty_inbox_says_so_and_shows_no_badge(client, user):
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    assert 'data-testid="inbox-empty"' in html
    assert badge(html) is None


def test_inbox_paginates_and_filters_unread(client, user):
    inbox_rows(user, 25, read=True)
    inbox_rows(UserFactory(), 1)
    Notification.objects.filter(recipient=user, subject="Nhắc hạn số 24").update(read_at=None)
    client.force_login(user)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert first.count('data-testid="notification"') == 20
    assert second.count('data-testid="notification"') == 5
    unread = client.get("/notifications/?unread=1").content.decode()
    assert unread.count('data-testid="notification"') == 1


@pytest.mark.parametrize("count", [5, 60])
def test_inbox_queries_do_not_grow_with_messages(
    client, user, django_assert_max_num_queries, count
):
    inbox_rows(user, count)
    client.force_login(user)
    with django_assert_max_num_queries(7):
        assert client.get("/notifications/").status_code == 200


def test_mark_one_read_with_htmx_updates_the_row_and_the_badge(client, user):
    first, second = inbox_rows(user, 2)
    client.force_login(user)
    response = client.post(f"/notifications/{first.pk}/read/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-read="yes"' in html
    assert 'hx-swap-oob="true"' in html and badge(html) == "1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at and not second.read_at


def test_mark_read_without_htmx_goes_back_to_the_inbox(client, user):
    [row] = inbox_rows(user, 1)
    client.force_login(user)
    response = client.post(f"/notifications/{row.pk}/read/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"


def test_someone_elses_message_is_not_found_and_stays_unread(client, user):
    [other] = inbox_rows(UserFactory(), 1)
    client.force_login(user)
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_needs_post(client, user):
    [row] = inbox_rows(user, 1)
    client.force_login(user)
    assert client.get(f"/notifications/{row.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_clears_only_my_badge(client, user):
    inbox_rows(user, 3)
    [other] = inbox_rows(UserFactory(), 1)
    client.force_login(user)
    response = client.post("/notifications/read-all/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert not Notification.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True
    ).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert badge(client.get("/notifications/").content.decode()) is None


def test_badge_costs_one_query(client, user):
    inbox_rows(user, 3)
    client.force_login(user)
    # Not the home page: it lists the latest notifications besides the badge.
    page = "/work/"
    client.get(page)  # warm the session and user
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    counts = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and counts[0].startswith("SELECT COUNT(*)")


def test_preferences_page_saves_choices(client, user):
    client.force_login(user)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200 and 'name="digest_enabled"' in page.content.decode()
    response = client.post("/notifications/preferences/", {"in_app_only": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert preference.digest_enabled is False and preference.in_app_only is True
    client.post("/notifications/preferences/", {"digest_enabled": "on"})
    preference.refresh_from_db()
    assert preference.digest_enabled is True and preference.in_app_only is False
