"""Login throttling, sessions, passwords, caching headers and the production settings."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from config.security import client_ip
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from units.models import Role

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LOCKED = "Tài khoản bị khóa"


def fail(client, url, username, times):
    responses = [
        client.post(
            url, {"username": username, "password": "sai-mat-khau"}, REMOTE_ADDR=f"10.0.0.{i}"
        )
        for i in range(times)
    ]
    return responses[-1]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout ----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_with_a_vietnamese_message(client):
    user = UserFactory(username="canbo.thu")
    first = fail(client, LOGIN, user.username, 4)
    assert first.status_code == 200 and LOCKED not in first.content.decode()
    locked = fail(client, LOGIN, user.username, 1)
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "Hãy thử lại sau 30 phút" in locked.content.decode()
    # Even the right password is refused now, from any address.
    right = client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert right.status_code == 429 and not logged_in(client)
    # Another account is not affected.
    other = UserFactory(username="canbo.khac")
    assert client.post(LOGIN, {"username": other.username, "password": PASSWORD}).status_code == 302


def test_the_admin_login_is_throttled_too(client):
    admin = UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)
    response = fail(client, ADMIN_LOGIN, admin.username, 5)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    right = client.post(ADMIN_LOGIN, {"username": admin.username, "password": PASSWORD})
    assert right.status_code == 429 and not logged_in(client)


@override_settings(AXES_COOLOFF_TIME=None)
def test_a_permanent_lock_says_to_ask_an_administrator(client):
    user = UserFactory(username="canbo.khoa")
    response = fail(client, LOGIN, user.username, 5)
    assert response.status_code == 429
    assert "Hãy đề nghị quản trị viên mở khóa." in response.content.decode()


def test_lock_ends_after_the_cool_off_time(client):
    user = UserFactory(username="canbo.cho")
    fail(client, LOGIN, user.username, 5)
    with time_machine.travel(datetime.timedelta(minutes=31)):
        response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and logged_in(client)


def test_an_administrator_unlocks_an_account_in_the_admin(client):
    user = UserFactory(username="canbo.mo")
    fail(client, LOGIN, user.username, 5)
    attempts = list(
        AccessAttempt.objects.filter(username=user.username).values_list("pk", flat=True)
    )
    assert attempts
    admin = UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert user.username in client.get("/admin/axes/accessattempt/").content.decode()
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    client.logout()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and logged_in(client)


def test_an_administrator_unlocks_an_account_with_a_command(client):
    user = UserFactory(username="canbo.lenh")
    fail(client, LOGIN, user.username, 5)
    call_command("axes_reset_username", user.username)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and logged_in(client)


@override_settings(CLIENT_IP_HEADER="X-Forwarded-For")
def test_failed_logins_are_logged_with_the_address_the_proxy_saw(client):
    UserFactory(username="canbo.log")
    client.post(
        LOGIN,
        {"username": "canbo.log", "password": "sai"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )
    entry = AccessFailureLog.objects.get(username="canbo.log")
    assert entry.ip_address == "203.0.113.7"


def test_client_address_comes_from_the_configured_header_only():
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="198.51.100.2")
    assert client_ip(request) == "10.1.2.3"  # no header configured: a header is not trusted
    with override_settings(CLIENT_IP_HEADER="X-Real-IP"):
        assert client_ip(request) == "198.51.100.2"
        forged = factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="not-an-address")
        assert client_ip(forged) == "10.1.2.3"


# --- Sessions ---------------------------------------------------------------------------


def test_a_session_ends_after_thirty_idle_minutes(client):
    user = UserFactory()
    with time_machine.travel(
        datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.UTC), tick=False
    ) as clock:
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity keeps it alive
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert not logged_in(client)
        page = client.get(response["Location"]).content.decode()
        assert "không hoạt động trong 30 phút" in page


def test_the_session_cookie_lives_for_the_idle_time_or_until_the_browser_closes(client):
    user = UserFactory(username="canbo.cookie")
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 32 * 60
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        client.logout()
        response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_session_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_IDLE_MINUTES)"
    )
    out = _run_django(
        ["-c", f"import django; django.setup(); {code}"],
        {"SESSION_IDLE_MINUTES": "15", "SESSION_EXPIRE_AT_BROWSER_CLOSE": "true"},
    )
    assert out.stdout.split()[-3:] == ["1020", "True", "15"]


# --- Passwords --------------------------------------------------------------------------


def change_password(client, user, new: str):
    client.force_login(user)
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_a_password_needs_twelve_characters(client):
    user = UserFactory()
    response = change_password(client, user, "Ng4n-qua!")
    assert response.status_code == 200
    assert "ít nhất 12 ký tự" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_new_password_must_differ_from_the_current_one(client):
    user = UserFactory()
    response = change_password(client, user, PASSWORD)
    assert response.status_code == 200
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in response.content.decode()


def test_a_long_new_password_is_accepted(client):
    user = UserFactory()
    response = change_password(client, user, "Sông Hồng chảy về xuôi 2025")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sông Hồng chảy về xuôi 2025")


# --- Headers ----------------------------------------------------------------------------


def test_private_pages_and_downloads_are_not_cached(client, two_provinces):
    client.force_login(two_provinces["a"]["viewer"])
    for url in (reverse("home"), reverse("directives:list"), reverse("reports:dashboard_xlsx")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_every_page_carries_a_policy_without_inline_scripts(client):
    policy = client.get(LOGIN)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|\son[a-z]+=", re.I)
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "email" not in path.parts and inline.search(path.read_text())
    ]
    assert offenders == []


# --- Production settings ----------------------------------------------------------------


def production_variables() -> dict[str, str]:
    """The variables of README "Production variables", with a fresh secret key."""
    readme = Path(settings.BASE_DIR, "README.md").read_text()
    section = readme.split("### Production variables", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    variables = dict(line.split("=", 1) for line in block.strip().splitlines())
    assert variables["DJANGO_SECRET_KEY"].startswith("<")
    variables["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def _run_django(args: list[str], extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SESSION_", "LOGIN_", "CLIENT_IP", "PASSWORD_"))
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=os.environ.get("DATABASE_URL", ""),
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = _run_django(["manage.py", "check", "--deploy"], production_variables())
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper().replace("WARNINGS", ""), output


def test_check_deploy_warns_without_them():
    result = _run_django(["manage.py", "check", "--deploy"], {})
    assert "security.W008" in result.stdout + result.stderr
