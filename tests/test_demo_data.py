"""`make run` loads demo accounts (known passwords) only on the embedded database or when
asked for; a start on a configured, empty database creates no account at all."""

from __future__ import annotations

import os
import secrets
import uuid
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings

from config import embedded


def test_demo_data_only_on_the_embedded_database_or_when_asked():
    assert embedded.wants_demo_data({}) is True
    assert embedded.wants_demo_data({"DATABASE_URL": "postgres://db/x"}) is False
    assert embedded.wants_demo_data({"DATABASE_URL": "postgres://db/x", "DEMO_DATA": "1"})
    assert embedded.wants_demo_data({"DEMO_DATA": "0"}) is False
    with pytest.raises(SystemExit):
        embedded.wants_demo_data({"DEMO_DATA": "maybe"})


@pytest.fixture
def empty_database():
    """A new, empty database on the test server, dropped afterwards."""
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "user": db["USER"]}
    if db.get("PORT"):
        params["port"] = db["PORT"]
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    name = f"empty_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    # The host may be a socket directory (the embedded server): quoted, as settings read it.
    auth = f":{quote(params['password'], safe='')}" if "password" in params else ""
    port = f":{params['port']}" if "port" in params else ""
    url = f"postgres://{params['user']}{auth}@{quote(params['host'], safe='')}{port}/{name}"
    try:
        yield url, lambda: psycopg2.connect(dbname=name, **params)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_start_on_a_configured_empty_database_creates_no_account(empty_database, tmp_path):
    url, connect = empty_database
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DEMO_DATA", None)
    embedded.prepare(env, demo=embedded.wants_demo_data(env))
    with connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM units_user")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM units_unit")
        assert cursor.fetchone()[0] == 0
