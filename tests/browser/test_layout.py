"""The header fits a 1280 px screen for every role, the menu is grouped, icons come from
the vendored set, statuses differ in colour and icon, phones see the work before the
filters, and pages print on A4 without the menu."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.directives.test_progress_services import build_world
from tests.factories import UserFactory
from units.models import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PAGES = ["/", "/work/", "/directives/", "/reports/", "/units/", "/notifications/"]


def everyone(two_provinces) -> dict:
    world = build_world(two_provinces)
    a = world["a"]
    long_name = "Nguyễn Thị Phương Thảo Hoàng Minh Khuê"
    return {
        "admin": UserFactory(
            username="quantri", role=Role.ADMIN, unit=None, is_staff=True, is_superuser=True
        ),
        "monitor": a["monitor"],
        "viewer": a["viewer"],
        "inspector": UserFactory(username="ubkt_a", role=Role.INSPECTOR, unit=a["committee"]),
        "leader": UserFactory(username="lanhdao_a", role=Role.LEADER, unit=a["front"]),
        "staff": UserFactory(
            username="canbo_dai_ten",
            role=Role.STAFF,
            unit=a["front"],
            first_name=long_name.split()[-1],
            last_name=" ".join(long_name.split()[:-1]),
        ),  # fmt: skip
        "world": world,
    }


def test_header_fits_1280_px_for_every_role(browser, live_server, two_provinces):
    people = everyone(two_provinces)
    people.pop("world")
    for role, user in people.items():
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, base_url=live_server.url, locale="vi-VN"
        )
        context.add_cookies([session_cookie(live_server, user)])
        page = context.new_page()
        for path in PAGES:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, f"{role} {path}: {width} px"
            nav = page.locator("nav.site-nav").bounding_box()
            assert nav["height"] < 70, f"{role} {path}: the menu wraps ({nav['height']} px)"
            # The bell and its count are whole on screen.
            bell = page.get_by_test_id("inbox-link").bounding_box()
            assert bell["x"] + bell["width"] <= 1280
        context.close()


def session_cookie(live_server, user) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def test_menu_is_grouped_with_vendored_icons_and_a_readable_language_choice(
    page, login, two_provinces
):
    people = everyone(two_provinces)
    login(people["monitor"])
    # Directive actions sit in one drop-down, named so nobody hesitates.
    page.get_by_test_id("nav-directives-menu").click()
    assert page.get_by_test_id("nav-create").inner_text().strip() == "Thêm văn bản"
    assert page.get_by_test_id("nav-import").inner_text().strip() == "Nhập từ tệp hoặc văn bản"
    # The bell is an icon of the vendored font, not an emoji.
    bell = page.get_by_test_id("inbox-link")
    assert "\U0001f514" not in bell.inner_text()
    font = bell.locator(".bi-bell-fill").evaluate(
        "el => getComputedStyle(el, '::before').fontFamily"
    )
    assert "bootstrap-icons" in font
    loaded = page.evaluate(
        "document.fonts.ready.then(() => document.fonts.check('16px bootstrap-icons'))"
    )
    assert loaded
    # The language choice shows its options as readable text.
    page.get_by_test_id("user-menu").click()
    choice = page.get_by_test_id("language-choice")
    assert choice.get_by_role("button", name="Tiếng Việt").is_visible()
    assert choice.get_by_role("button", name="English").is_visible()
    with page.expect_navigation():
        choice.get_by_role("button", name="English").click()
    assert page.get_by_test_id("current-role").inner_text().startswith("Monitor")


def contrast_script() -> str:
    return (Path(__file__).parent / "contrast.js").read_text()


def test_each_status_has_its_own_colour_an_icon_and_aa_contrast(page, login, two_provinces):
    from directives.status import Status

    people = everyone(two_provinces)
    login(people["monitor"])
    page.goto("/work/")
    badges = "".join(
        f'<span class="status-badge" data-status="{s.value}">{s.label}</span> ' for s in Status
    )
    page.evaluate(f"document.querySelector('main').insertAdjacentHTML('beforeend', `{badges}`)")
    seen = {}
    for status in Status:
        badge = page.locator(f"main > .status-badge[data-status={status.value}]")
        found = badge.evaluate(contrast_script())
        assert found["ratio"] >= 4.5, (status, found)
        assert found["icon"] not in ("none", "normal", ""), status
        seen[status] = found["background"]
    assert len(set(seen.values())) == len(Status), seen
    assert seen[Status.NOT_DUE] != seen[Status.DONE_ON_TIME]
    # Links on the red bar are readable.
    for link in page.locator("nav.site-nav .nav-link:visible").all():
        assert link.evaluate(contrast_script())["ratio"] >= 4.5


def test_phone_shows_the_work_before_the_filters(browser, live_server, two_provinces):
    people = everyone(two_provinces)
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, base_url=live_server.url, locale="vi-VN"
    )
    page = context.new_page()
    for who, path in (("staff", "/work/"), ("monitor", "/directives/"), ("monitor", "/reports/")):
        context.clear_cookies()
        context.add_cookies([session_cookie(live_server, people[who])])
        page.goto(path)
        toggle = page.get_by_test_id("filters-toggle")
        assert toggle.is_visible(), path
        assert not page.locator("#list-filters").is_visible(), path
        toggle.click()
        page.locator("#list-filters").wait_for(state="visible")
    page.goto("/directives/")
    row = page.get_by_test_id("directive-row").first.bounding_box()
    assert row["y"] < 740  # the first directive is on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_filters_stay_open_on_a_desktop(page, login, two_provinces):
    people = everyone(two_provinces)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(people["monitor"])
    page.goto("/directives/")
    assert page.locator("#id_q").is_visible()
    assert not page.get_by_test_id("filters-toggle").is_visible()


@pytest.mark.parametrize("which", ["dashboard", "directive"])
def test_dashboard_and_directive_print_on_a4_without_the_menu(page, login, two_provinces, which):
    people = everyone(two_provinces)
    login(people["monitor"])
    directive = people["world"]["a"]["directive"]
    page.goto("/reports/" if which == "dashboard" else f"/directives/{directive.pk}/")
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator("#list-filters").is_visible()
    for selector in (".card", "table", ".chart-box"):
        for element in page.locator(selector).all()[:5]:
            assert element.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    # The printable width of A4 with our margins (186 mm, 703 px at 96 dpi): nothing cut.
    page.set_viewport_size({"width": 703, "height": 1000})
    assert page.evaluate("document.documentElement.scrollWidth") <= 703
