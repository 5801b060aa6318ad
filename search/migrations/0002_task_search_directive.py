"""The task's directive beside its search key, kept by the same trigger.

1. ``directive_id`` is added; the keys, derived data, are written again from the tasks
   (emptied and refilled rather than updated in place, which would leave a dead copy of
   every row to the next vacuum); then it is made required;
2. the trigger writes it too, and also runs when a task moves to another directive.
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

from search.text import SQL_TEMPLATE

FOLDED = SQL_TEMPLATE % {"expressions": "NEW.title || ' ' || NEW.description"}

BACKFILL = SQL_TEMPLATE % {"expressions": "title || ' ' || description"}
# Foreign keys checked at once: the NOT NULL that follows may not alter a table with
# deferred checks pending.
FILL = f"""
SET CONSTRAINTS ALL IMMEDIATE;
TRUNCATE search_tasksearchtext;
INSERT INTO search_tasksearchtext (task_id, directive_id, text)
    SELECT id, directive_id, {BACKFILL} FROM directives_task;
"""

TRIGGER = f"""
CREATE OR REPLACE FUNCTION search_task_text() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_tasksearchtext (task_id, directive_id, text)
    VALUES (NEW.id, NEW.directive_id, {FOLDED})
    ON CONFLICT (task_id) DO UPDATE
    SET directive_id = EXCLUDED.directive_id, text = EXCLUDED.text;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS search_task_text ON directives_task;
CREATE TRIGGER search_task_text AFTER INSERT OR UPDATE OF title, description, directive_id
    ON directives_task FOR EACH ROW EXECUTE FUNCTION search_task_text();
"""

UNTRIGGER = f"""
CREATE OR REPLACE FUNCTION search_task_text() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_tasksearchtext (task_id, text) VALUES (NEW.id, {FOLDED})
    ON CONFLICT (task_id) DO UPDATE SET text = EXCLUDED.text;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS search_task_text ON directives_task;
CREATE TRIGGER search_task_text AFTER INSERT OR UPDATE OF title, description
    ON directives_task FOR EACH ROW EXECUTE FUNCTION search_task_text();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0007_field_labels"),
        ("search", "0001_task_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="tasksearchtext",
            name="directive",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="task_search_entries",
                to="directives.directive",
                verbose_name="directive",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="tasksearchtext",
            name="directive",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="task_search_entries",
                to="directives.directive",
                verbose_name="directive",
            ),
        ),
        migrations.RunSQL(TRIGGER, UNTRIGGER),
    ]
