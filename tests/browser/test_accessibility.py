"""axe-core (vendored from npm, static/vendor/axe-core) finds no serious or critical
violation on the main pages of each role, on a desktop and on a phone; every form field
has a label; the keyboard alone takes a unit's staff through reporting progress.

The results of each page are written to var/axe-results.json for the record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.test_layout import everyone, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
RESULTS = Path(settings.BASE_DIR) / "var" / "axe-results.json"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages_of(role: str, world: dict) -> list[str]:
    a = world["a"]
    pages = [
        "/",
        "/work/",
        "/directives/",
        f"/directives/{a['directive'].pk}/",
        "/reports/",
        "/reports/rollups/",
        "/units/",
        "/notifications/",
        "/search/?q=dan+van",
        "/accounts/password/",
    ]
    if role in ("admin", "monitor"):
        pages += ["/directives/new/", "/directives/import/", "/work/review/"]
    if role in ("staff", "leader"):
        pages += [
            f"/work/assignments/{a['assignment'].pk}/",
            f"/work/assignments/{a['assignment'].pk}/report/",
        ]
    return pages


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def record(key: str, violations: list[dict]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    known[key] = violations
    RESULTS.write_text(json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_serious_or_critical_violation_on_the_main_pages(
    browser, live_server, two_provinces, viewport
):
    people = everyone(two_provinces)
    world = people.pop("world")
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], base_url=live_server.url, locale="vi-VN", bypass_csp=True
    )
    page = context.new_page()
    serious = {}
    page.goto("/accounts/login/")
    found = run_axe(page)
    record(f"{viewport} anonymous /accounts/login/", found)
    serious["anonymous /accounts/login/"] = [
        v for v in found if v["impact"] in ("serious", "critical")
    ]
    for role, user in people.items():
        context.clear_cookies()
        context.add_cookies([session_cookie(live_server, user)])
        for path in pages_of(role, world):
            response = page.goto(path)
            assert response.status == 200, (role, path, response.status)
            found = run_axe(page)
            record(f"{viewport} {role} {path}", found)
            bad = [v for v in found if v["impact"] in ("serious", "critical")]
            if bad:
                serious[f"{role} {path}"] = bad
    context.close()
    assert not {k: v for k, v in serious.items() if v}, json.dumps(
        serious, ensure_ascii=False, indent=1
    )


def test_every_form_field_has_a_label(browser, live_server, two_provinces):
    people = everyone(two_provinces)
    world = people.pop("world")
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    unlabelled = {}
    for role in ("monitor", "staff"):
        context.clear_cookies()
        context.add_cookies([session_cookie(live_server, people[role])])
        for path in pages_of(role, world):
            page.goto(path)
            missing = page.evaluate(
                """() => [...document.querySelectorAll('input, select, textarea')]
                  .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
                  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                                && !el.getAttribute('aria-labelledby') && !el.title)
                  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))"""
            )
            if missing:
                unlabelled[f"{role} {path}"] = missing
    context.close()
    assert not unlabelled, unlabelled


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_alone_completes_the_staff_reporting_journey(page, two_provinces):
    from directives.models import ProgressReport

    people = everyone(two_provinces)
    world = people["world"]
    staff = world["a"]["staff"]
    assignment = world["a"]["assignment"]

    page.goto("/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(staff.username)
    tab_to(page, "#id_password")
    page.keyboard.type("matkhau-thu-nghiem-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The skip link comes first, then the menu leads to "Việc của tôi".
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    tab_to(page, "[data-testid=nav-my-work]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, f"#assignment-{assignment.pk} a[href$='/work/assignments/{assignment.pk}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "[data-testid=report-link]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#id_percent")
    page.keyboard.press("Control+A")
    page.keyboard.type("100")
    tab_to(page, "#id_completed")
    page.keyboard.press("Space")
    tab_to(page, "#id_results")
    page.keyboard.type("Đã quán triệt cho toàn bộ chi bộ trực thuộc.")
    tab_to(page, "[data-testid=progress-form] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/work/assignments/{assignment.pk}/")
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.percent == 100 and report.completed
    assert "toàn bộ chi bộ" in report.results
