"""The folded text of every task, kept by a trigger; trigram indexes where pg_trgm exists.

1. ``search_tasksearchtext`` holds ``fold(title || ' ' || description)`` per task;
2. a trigger on ``directives_task`` writes it on insert and on a change of title or
   description (the SQL fold is ``search.text.SQL_TEMPLATE``, equal to ``units.text.fold``);
3. existing tasks are filled in;
4. where PostgreSQL has pg_trgm, GIN trigram indexes on the task, directive and unit search
   keys make ``LIKE '%word%'`` an index scan. The embedded PostgreSQL (pgserver) lacks
   pg_trgm: there the same searches run on sequential scans. Creating the extension needs
   a role allowed to (the database owner, for this trusted extension, on PostgreSQL 13+).
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

from search.text import SQL_TEMPLATE

FOLDED = SQL_TEMPLATE % {"expressions": "NEW.title || ' ' || NEW.description"}
BACKFILL = SQL_TEMPLATE % {"expressions": "title || ' ' || description"}

TRIGGER = f"""
CREATE OR REPLACE FUNCTION search_task_text() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_tasksearchtext (task_id, text) VALUES (NEW.id, {FOLDED})
    ON CONFLICT (task_id) DO UPDATE SET text = EXCLUDED.text;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER search_task_text AFTER INSERT OR UPDATE OF title, description
    ON directives_task FOR EACH ROW EXECUTE FUNCTION search_task_text();
INSERT INTO search_tasksearchtext (task_id, text)
    SELECT id, {BACKFILL} FROM directives_task ON CONFLICT (task_id) DO NOTHING;
"""
UNTRIGGER = """
DROP TRIGGER IF EXISTS search_task_text ON directives_task;
DROP FUNCTION IF EXISTS search_task_text();
"""
INDEXES = [
    ("search_task_text_trgm", "search_tasksearchtext", "text"),
    ("search_directive_text_trgm", "directives_directive", "search_text"),
    ("search_unit_text_trgm", "units_unit", "search_text"),
]


def create_indexes(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in INDEXES:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" USING gin ("{column}" gin_trgm_ops)'
            )


def drop_indexes(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("directives", "0003_directive_reach"),
        ("units", "0002_drop_duplicate_path_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskSearchText",
            fields=[
                (
                    "task",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="directives.task",
                        verbose_name="task",
                    ),
                ),
                ("text", models.TextField(verbose_name="search key")),
            ],
            options={
                "verbose_name": "task search key",
                "verbose_name_plural": "task search keys",
            },
        ),
        migrations.RunSQL(TRIGGER, UNTRIGGER),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
