"""A bad setting stops every entry point with one line naming the variable, no traceback,
and before any server is started."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}
BAD = [
    ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG", "true or false"),
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL", "PostgreSQL"),
    ({"DATABASE_URL": "nonsense"}, "DATABASE_URL", "PostgreSQL"),
    ({"REDIS_URL": "http://x"}, "REDIS_URL", "redis://"),
    ({"DUE_SOON_DAYS": "soon"}, "DUE_SOON_DAYS", "integer"),
    ({"EMAIL_URL": "carrier-pigeon://x"}, "EMAIL_URL", "smtp"),
]


def run(args: list[str], overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    env.update(GOOD)
    env.update(overrides)
    env["EMBEDDED_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def assert_one_line(result: subprocess.CompletedProcess, name: str, expected: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("overrides", "name", "expected"), BAD)
def test_manage_py_names_the_bad_variable_in_one_line(overrides, name, expected, tmp_path):
    result = run([sys.executable, "manage.py", "check"], overrides, tmp_path)
    assert_one_line(result, name, expected)


@pytest.mark.parametrize(("overrides", "name", "expected"), BAD[:2])
def test_make_test_names_the_bad_variable_before_starting_servers(
    overrides, name, expected, tmp_path
):
    # `make test` is `python -m config.embedded exec -- pytest`; with no servers configured
    # it would start the embedded ones, so none is configured here.
    overrides = {"DATABASE_URL": "", "REDIS_URL": "", **overrides}
    result = run(
        [sys.executable, "-m", "config.embedded", "exec", "--", sys.executable, "-c", "1"],
        overrides,
        tmp_path,
    )
    assert_one_line(result, name, expected)
    assert not (tmp_path / "var" / "postgres").exists()


@pytest.mark.parametrize(("overrides", "name", "expected"), BAD[:2])
def test_make_run_checks_settings_before_starting_postgres_and_redis(
    overrides, name, expected, tmp_path
):
    overrides = {"DATABASE_URL": "", "REDIS_URL": "", **overrides}
    result = run([sys.executable, "-m", "config.embedded", "run"], overrides, tmp_path)
    assert_one_line(result, name, expected)
    assert not (tmp_path / "var" / "postgres").exists()
    assert not (tmp_path / "var" / "redis").exists()


def test_manage_py_without_servers_checks_settings_before_starting_them(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check"],
        {"DATABASE_URL": "", "REDIS_URL": "", "DJANGO_DEBUG": "maybe"},
        tmp_path,
    )
    assert_one_line(result, "DJANGO_DEBUG", "true or false")
    assert not (tmp_path / "var" / "postgres").exists()
