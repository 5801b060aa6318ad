"""A user sees the unread badge, opens the inbox, marks messages read, the badge goes."""

from __future__ import annotations

import pytest

from notifications.models import Channel, Notification
from notifications.services import build_rows

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def message(user, n: int) -> list[Notification]:
    return build_rows(
        recipient=user,
        channels=[Channel.INAPP],
        kind="digest",
        dedup_key=f"digest:{user.pk}:2026-03-0{n}",
        subject=f"Nhắc hạn ngày 0{n}/03/2026: 1 việc quá hạn",
        body_text="Kết luận 56-KL/TU: quá hạn 4 ngày",
        body_html="",
        link="/work/",
    )


def test_badge_inbox_mark_one_then_all_read(page, login, two_provinces):
    user = two_provinces["a"]["staff"]
    Notification.objects.bulk_create(message(user, 1) + message(user, 2) + message(user, 3))
    Notification.objects.bulk_create(message(two_provinces["b"]["staff"], 1))
    login(user)
    assert page.get_by_test_id("unread-badge").inner_text() == "3"

    page.get_by_test_id("inbox-link").click()
    page.wait_for_url("**/notifications/")
    rows = page.get_by_test_id("notification")
    assert rows.count() == 3
    assert rows.first.get_attribute("data-read") == "no"

    rows.first.get_by_test_id("mark-read").click()
    page.locator('[data-testid=notification][data-read="yes"]').wait_for()
    assert page.get_by_test_id("unread-badge").inner_text() == "2"

    page.once("dialog", lambda dialog: dialog.accept())  # "mark every notification as read?"
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_function("() => !document.querySelector('[data-testid=unread-badge]')")
    assert page.locator('[data-testid=notification][data-read="no"]').count() == 0
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # the other user's
    page.reload()
    assert page.get_by_test_id("unread-badge").count() == 0


def test_empty_inbox_on_a_phone(browser, live_server, two_provinces):
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "staff_a")
    page.fill("#id_password", "matkhau-thu-nghiem-1")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "login" not in url)
    page.get_by_test_id("inbox-link").click()  # visible without opening the menu
    page.get_by_test_id("inbox-empty").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
