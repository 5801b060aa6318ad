"""make backup / make restore: the demo and its attachments, restored into a fresh
database and media folder, with every row and every download intact."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

from directives.models import Directive, DirectiveAttachment, ProgressAttachment, ProgressReport

BASE_DIR = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _url(name: str) -> str:
    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return f"postgres://{quote(s['USER'])}{password}@{host}{port}/{name}"


def _admin_connect(dbname: str = "postgres"):
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=dbname,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
    )
    conn.autocommit = True
    return conn


def _counts(dbname: str) -> dict[str, int]:
    with closing(_admin_connect(dbname)) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cur.fetchall())
        counts = {}
        for table in tables:
            cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cur.fetchone()[0]
    return counts


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


DOWNLOAD_CHECK = """
from django.test import Client
from directives.models import DirectiveAttachment, ProgressAttachment
from units.models import User
client = Client(SERVER_NAME="localhost")
client.force_login(User.objects.get(username="admin"))
for a in DirectiveAttachment.objects.all():
    r = client.get(f"/directives/{a.directive_id}/attachments/{a.pk}/")
    print("D", a.pk, r.status_code, b"".join(r.streaming_content).hex())
for a in ProgressAttachment.objects.all():
    r = client.get(f"/work/attachments/{a.pk}/")
    print("P", a.pk, r.status_code, b"".join(r.streaming_content).hex())
"""


@pytest.mark.django_db(transaction=True)
def test_backup_of_the_demo_restores_every_row_and_attachment(tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("seed_demo", verbosity=0)
    directive = Directive.objects.order_by("pk").first()
    report = ProgressReport.objects.order_by("pk").first()
    originals = {}
    for i in range(2):
        content = f"Biên bản số {i}: nội dung đính kèm".encode()
        attachment = DirectiveAttachment(
            directive=directive, original_name=f"bien-ban-{i}.txt", size=len(content)
        )
        attachment.file.save(f"bien-ban-{i}.txt", ContentFile(content))
        originals[("D", attachment.pk)] = content
    content = b"%PDF-1.4 bao cao tien do"
    progress = ProgressAttachment(
        report=report, original_name="bao-cao.pdf", size=len(content), content_type="text/plain"
    )
    progress.file.save("bao-cao.pdf", ContentFile(content))
    originals[("P", progress.pk)] = content

    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    with closing(_admin_connect()) as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    try:
        backups = tmp_path / "backups"
        done = _manage(
            "backup",
            env={
                "DATABASE_URL": _url(source),
                "DJANGO_MEDIA_ROOT": str(media),
                "DJANGO_BACKUP_DIR": str(backups),
            },
        )
        assert done.returncode == 0, done.stderr
        (folder,) = backups.iterdir()
        assert {p.name for p in folder.iterdir()} == {
            "database.dump",
            "media.tar",
            "manifest.json",
        }

        restored_media = tmp_path / "restored-media"
        restored_env = {"DATABASE_URL": _url(target), "DJANGO_MEDIA_ROOT": str(restored_media)}
        done = _manage("restore", str(folder), env=restored_env)
        assert done.returncode == 0, done.stderr

        source_counts = _counts(source)
        assert source_counts["directives_progressreport"] > 1000
        assert _counts(target) == source_counts

        done = _manage("shell", "-c", DOWNLOAD_CHECK, env=restored_env)
        assert done.returncode == 0, done.stderr
        downloads = {}
        for line in done.stdout.splitlines():
            if not line.startswith(("D ", "P ")):
                continue  # the shell's own banner
            kind, pk, status, body = line.split(" ")
            assert status == "200", line
            downloads[(kind, int(pk))] = bytes.fromhex(body)
        assert downloads == originals

        # A second restore into the same, now full, database is refused and changes nothing.
        before = _counts(target)
        again = _manage("restore", str(folder), env=restored_env)
        assert again.returncode != 0
        assert "đã có bảng" in again.stderr
        assert _counts(target) == before
    finally:
        with closing(_admin_connect()) as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    done = _manage("restore", str(tmp_path), env={})
    assert done.returncode != 0
    assert "không phải bản sao lưu" in done.stderr
