"""Trigram indexes for accent-insensitive "contains" search, where pg_trgm exists.

The embedded PostgreSQL (pgserver) ships without pg_trgm: there the search works the same
on a sequential scan, and this migration does nothing. Creating the extension needs a
role allowed to (the owner of the database on PostgreSQL 13+ for trusted extensions).
"""

from __future__ import annotations

from django.db import migrations

from search.text import index_sql

INDEXES = [
    ("search_task_text_trgm", "directives_task", ("title", "description")),
    ("search_directive_text_trgm", "directives_directive", ("search_text",)),
    ("search_unit_text_trgm", "units_unit", ("search_text",)),
]


def trigram_available(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    return cursor.fetchone() is not None


def create(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        if not trigram_available(cursor):
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, columns in INDEXES:
            if columns == ("search_text",):
                expression = '"search_text"'
            else:
                expression = f"({index_sql(table, columns)})"
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" '
                f"USING gin ({expression} gin_trgm_ops)"
            )


def drop(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _columns in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0003_directive_reach"),
        ("units", "0002_drop_duplicate_path_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
