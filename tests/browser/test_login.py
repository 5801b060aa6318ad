"""A person logs in, sees their unit and role, switches language, changes password, logs out."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from units.models import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_login_shows_unit_and_role_then_logout(page, login, two_provinces):
    monitor = two_provinces["a"]["monitor"]
    login(monitor)
    assert page.get_by_test_id("current-unit").inner_text() == "Ban Dân vận Tỉnh ủy"
    assert page.get_by_test_id("current-role").inner_text() == "Chuyên viên Ban Dân vận"
    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    page.wait_for_url("**/units/")
    assert page.get_by_role("link", name="Đảng ủy xã A").is_visible()
    assert page.get_by_text("Tỉnh ủy Phú Yên").count() == 0
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")


def test_wrong_password_gives_a_vietnamese_message(page, db):
    user = UserFactory(role=Role.STAFF)
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "sai-mat-khau")
    page.click("main button[type=submit]")
    assert "mật khẩu chính xác" in page.locator(".alert-danger").inner_text()


def test_language_switch_and_password_change(page, login, two_provinces):
    user = two_provinces["b"]["staff"]
    login(user)
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_test_id("language-choice").get_by_role("button", name="English").click()
    assert page.get_by_test_id("current-role").inner_text() == "Unit staff"
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_test_id("language-choice").get_by_role("button", name="Tiếng Việt").click()
    assert page.get_by_test_id("current-role").inner_text() == "Cán bộ đơn vị"
    page.goto("/accounts/password/")
    page.fill("#id_old_password", "matkhau-thu-nghiem-1")
    page.fill("#id_new_password1", "Mat-khau-moi-2026")
    page.fill("#id_new_password2", "Mat-khau-moi-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/password/done/")
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")


def test_layout_works_on_a_phone_with_an_english_browser(browser, live_server, two_provinces):
    # The browser asks for English; the product still speaks Vietnamese until the user
    # picks another language in its own menu.
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, base_url=live_server.url, locale="en-US"
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "staff_a")
    page.fill("#id_password", "matkhau-thu-nghiem-1")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "login" not in url)
    assert not page.get_by_role("link", name="Đơn vị", exact=True).is_visible()  # collapsed menu
    page.click(".navbar-toggler")
    page.get_by_role("link", name="Đơn vị", exact=True).first.wait_for(state="visible")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    context.close()
