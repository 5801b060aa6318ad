"""The embedded PostgreSQL and Redis start, keep their data, and leave nothing behind."""

from __future__ import annotations

import psutil
import psycopg2
import pytest
import redis

from config import embedded

pytestmark = pytest.mark.slow


def processes_mentioning(text: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(text in part for part in (proc.info["cmdline"] or [])):
            found.append(proc)
    return found


def test_embedded_servers_start_keep_data_and_stop(tmp_path):
    pgdata = tmp_path / "postgres"
    redis_dir = tmp_path / "redis"
    with (
        embedded.embedded_postgres(pgdata) as db_url,
        embedded.embedded_redis(redis_dir, persistent=True) as redis_url,
    ):
        socket_dir = db_url.split("@", 1)[1].split("/", 1)[0]
        conn = psycopg2.connect(dbname="directives", user="postgres", host=_unquote(socket_dir))
        with conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('còn đây')")
        conn.close()
        client = redis.Redis.from_url(redis_url)
        client.set("kept", "còn đây")
        client.close()
        assert processes_mentioning(str(pgdata))
    assert not processes_mentioning(str(pgdata)), "PostgreSQL still running"
    assert not answers(redis_url), "Redis still running"

    # A second start reuses the data.
    with (
        embedded.embedded_postgres(pgdata) as db_url,
        embedded.embedded_redis(redis_dir, persistent=True) as redis_url,
    ):
        socket_dir = db_url.split("@", 1)[1].split("/", 1)[0]
        conn = psycopg2.connect(dbname="directives", user="postgres", host=_unquote(socket_dir))
        with conn.cursor() as cur:
            cur.execute("SELECT v FROM kept")
            assert cur.fetchone() == ("còn đây",)
        conn.close()
        client = redis.Redis.from_url(redis_url)
        assert client.get("kept") == "còn đây".encode()
        client.close()
    assert not processes_mentioning(str(pgdata))
    assert not answers(redis_url)


def answers(redis_url: str) -> bool:
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False
    finally:
        client.close()


def _unquote(value: str) -> str:
    from urllib.parse import unquote

    return unquote(value)


def test_configured_servers_are_used_and_nothing_is_started(monkeypatch, tmp_path):
    monkeypatch.setattr(embedded, "VAR_DIR", tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db.example:5432/x")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "k" * 40)
    with embedded.services(persistent_redis=False) as env:
        assert env["DATABASE_URL"] == "postgres://postgres@db.example:5432/x"
        assert env["REDIS_URL"] == "redis://cache.example:6379/0"
    assert not (tmp_path / "postgres").exists()
    assert not (tmp_path / "redis-test").exists()


def test_exec_runs_the_command_with_the_servers_and_returns_its_status(monkeypatch, tmp_path):
    monkeypatch.setattr(embedded, "VAR_DIR", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    code = embedded.main(
        ["exec", "--", "python", "-c",
         "import os,sys; sys.exit(0 if os.environ['DATABASE_URL'].startswith('postgres://')"
         " and os.environ['REDIS_URL'].startswith('redis://') else 3)"]
    )  # fmt: skip
    assert code == 0
    assert embedded.main(["exec", "--", "python", "-c", "raise SystemExit(7)"]) == 7
    assert (tmp_path / "secret_key").exists()
    assert not processes_mentioning(str(tmp_path))
