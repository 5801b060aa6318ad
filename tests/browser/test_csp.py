"""Under the Content-Security-Policy (no inline script, no eval) every main page loads
without a violation, and what runs on them (htmx, Chart.js, our scripts) still works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reports import services
from tests.factories import UserFactory
from tests.reports.conftest import world  # noqa: F401 - the fixed world of the figure tests
from units.models import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Registered before any page script; a violation of any kind lands in window.__csp.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile
    + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    messages: list[str] = []
    page.context.add_init_script(WATCH)
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: messages.append(f"page error: {e}"))
    return page, messages


def violations(page, messages) -> list[str]:
    found = page.evaluate("window.__csp || []")
    return found + [m for m in messages if "Content Security Policy" in m or "page error" in m]


def test_main_pages_run_under_the_policy(watched, login, world, live_server):  # noqa: F811
    page, messages = watched
    response = page.request.get(live_server.url + "/accounts/login/")
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src

    report = services.rollup_create(
        by=world["a"]["monitor"], committee=world["a"]["committee"], period=world["period"],
        build=False,
    )  # fmt: skip
    services.rollup_build(report_id=report.pk)
    login(world["a"]["monitor"])
    pages = [
        reverse("home"),
        reverse("directives:list"),
        reverse("directives:detail", args=[world["d1"].pk]),
        reverse("directives:create"),
        reverse("directives:import"),
        reverse("progress:my_work"),
        reverse("progress:review_queue"),
        reverse("reports:rollup_list"),
        reverse("reports:rollup_detail", args=[report.pk]),
        reverse("reports:request_list"),
        reverse("notifications:inbox"),
        reverse("units:list"),
        reverse("password_change"),
        reverse("reports:dashboard"),
    ]
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        assert violations(page, messages) == [], url

    # Chart.js draws the dashboard's charts; an htmx filter redraws them in place.
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-units') !== undefined")
    page.select_option("#id_period", label="6 tháng đầu năm 2024")
    page.wait_for_url(re.compile(r"period=\d+"))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=kpi-total]').innerText.trim() === '8'"
    )
    page.wait_for_function("() => Chart.getChart('chart-units') !== undefined")
    assert violations(page, messages) == []

    # htmx: the directive list filters as one types, without a page load.
    page.goto(reverse("directives:list"))
    page.evaluate("window.__sameDocument = true")
    page.fill("#id_q", "khong-co-van-ban-nao")
    page.wait_for_url(re.compile(r"q=khong"))
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("[data-testid=directive-row]").count() == 0

    # Our own scripts: "add another task" and the language menu.
    page.goto(reverse("directives:create"))
    before = page.get_by_test_id("task-form").count()
    page.get_by_test_id("add-task").click()
    assert page.get_by_test_id("task-form").count() == before + 1
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_test_id("language-choice").get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert violations(page, messages) == []


def test_admin_runs_under_the_policy(watched, login, db):
    page, messages = watched
    admin = UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)
    login(admin)
    for url in ("/admin/", "/admin/units/user/", f"/admin/units/user/{admin.pk}/change/"):
        page.goto(url)
        page.wait_for_load_state("load")
        assert violations(page, messages) == [], url
