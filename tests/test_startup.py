"""A clean start says where the system is and who may log in, and nothing alarming."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

from config.embedded import free_port
from sampledata.accounts import DEMO_LOGIN_GROUPS, DEMO_LOGINS

BASE_DIR = Path(__file__).resolve().parent.parent


def web_command() -> str:
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no web process in the Procfile")


def test_gunicorn_logs_in_local_time_without_a_shared_control_socket(tmp_path):
    env = {**os.environ, "PORT": str(free_port()), "HOME": str(tmp_path)}
    env.pop("TZ", None)
    env["PATH"] = f"{BASE_DIR / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    process = subprocess.Popen(
        ["sh", "-c", web_command()],
        cwd=BASE_DIR,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if "Booting worker" in line:
                break
        time.sleep(1)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        rest = process.communicate(timeout=30)[1]
    log = "".join(lines) + rest
    assert "Listening at" in log, log
    assert re.search(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0700\]", log), log
    assert "+0000]" not in log
    assert "Control socket" not in log
    assert not (tmp_path / ".gunicorn").exists()
    assert "WARNING" not in log and "ERROR" not in log


def test_start_banner_lists_every_demo_account_grouped_as_the_readme():
    readme = (BASE_DIR / "README.md").read_text()
    table = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    in_readme = set(re.findall(r"`([a-z0-9.]+)`", table)) - {"demo12345"}
    listed = {login for login, _ in DEMO_LOGINS}
    assert len(listed) == 16
    assert listed == in_readme
    assert [login for _, group in DEMO_LOGIN_GROUPS for login, _ in group] == [
        login for login, _ in DEMO_LOGINS
    ]


def test_start_banner_shows_the_groups(capsys):
    from config.embedded import start_banner

    text = start_banner("8000")
    assert "http://localhost:8000/" in text
    for title, group in DEMO_LOGIN_GROUPS:
        assert title in text
        for login, _ in group:
            assert f"    {login} " in text
