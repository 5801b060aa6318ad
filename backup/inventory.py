"""What a backup holds, counted the same way before the backup and after a restore.

A backup folder is ``backups/<YYYYmmdd-HHMMSS>/`` with three files: ``database.dump``
(``pg_dump --format=custom`` through django-dbbackup), ``media.tar`` (the uploaded files
under MEDIA_ROOT) and ``manifest.json`` (the row count of every table and the list of
media files with their sizes). A restore is checked against the manifest.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import connection
from psycopg2 import sql

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
MANIFEST_FILE = "manifest.json"


def table_counts() -> dict[str, int]:
    """Exact row count of every table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path | None = None) -> dict[str, int]:
    """Every file under MEDIA_ROOT, relative path → size in bytes."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.stat().st_size
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_manifest(folder: Path) -> dict:
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "tables": table_counts(),
        "media": media_files(),
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST_FILE).read_text())


def differences(manifest: dict) -> list[str]:
    """What the current database and media folder lack compared with ``manifest``."""
    problems = []
    counts = table_counts()
    for table, expected in manifest["tables"].items():
        found = counts.get(table)
        if found != expected:
            problems.append(f"bảng {table}: {found} dòng, bản sao lưu có {expected}")
    present = media_files()
    for name, size in manifest["media"].items():
        if present.get(name) != size:
            problems.append(f"tệp {name}: thiếu hoặc khác kích thước")
    return problems
