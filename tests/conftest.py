from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import UnitFactory, UserFactory
from units.models import Role, UnitKind, UnitLevel

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "matkhau-thu-nghiem-1"


def pytest_configure(config) -> None:
    from django.conf import settings

    # Tests serve static files from the source folders; no collectstatic manifest needed.
    # A fast hasher: the default one spends a third of a second per password by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Which path the dashboard takes (recompute in the request, or show stored figures while
    # a worker recomputes) must not depend on how loaded the test machine is: every test
    # computation counts as quick, and the slow-path tests record a slow duration themselves.
    settings.FIGURES_INLINE_LIMIT_MS = settings.FIGURES_FIRST_VIEW_LIMIT_MS = 60_000
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def two_provinces(db):
    """Two provinces with a Ban Dân vận, the Front and a commune each, and their people."""
    world = {}
    for key, name in (("a", "Hải Dương"), ("b", "Phú Yên")):
        committee = UnitFactory(name=f"Tỉnh ủy {name}", kind=UnitKind.PARTY_COMMITTEE)
        board = UnitFactory(name="Ban Dân vận Tỉnh ủy", kind=UnitKind.PARTY_BOARD, parent=committee)
        front = UnitFactory(
            name=f"Ủy ban MTTQ Việt Nam tỉnh {name}",
            kind=UnitKind.FATHERLAND_FRONT,
            parent=committee,
        )
        commune = UnitFactory(
            name=f"Đảng ủy xã {key.upper()}",
            kind=UnitKind.PARTY_COMMITTEE,
            level=UnitLevel.COMMUNE,
            parent=committee,
        )
        commune_front = UnitFactory(
            name=f"MTTQ xã {key.upper()}", kind=UnitKind.FATHERLAND_FRONT, parent=commune
        )
        world[key] = {
            "committee": committee,
            "board": board,
            "front": front,
            "commune": commune,
            "commune_front": commune_front,
            "monitor": UserFactory(username=f"monitor_{key}", unit=board, role=Role.MONITOR),
            "viewer": UserFactory(username=f"viewer_{key}", unit=committee, role=Role.VIEWER),
            "staff": UserFactory(username=f"staff_{key}", unit=front, role=Role.STAFF),
            "commune_staff": UserFactory(
                username=f"commune_staff_{key}", unit=commune, role=Role.STAFF
            ),
        }
    return world


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; skipped when Chromium is missing."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    def _login(user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


@pytest.fixture(autouse=True)
def _broker_not_skipped():
    """A broker that failed in one test (on purpose) is not skipped in the next."""
    from config.celery import broker_skip_reset

    broker_skip_reset()
    yield
    broker_skip_reset()
