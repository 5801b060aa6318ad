"""Writes of the search app: only the repair of task search keys after a bulk load."""

from __future__ import annotations

from django.db import connection

from search.text import SQL_TEMPLATE


def task_search_texts_fill() -> None:
    """Write the search key of every task that has none: what the trigger of migration
    ``search.0001`` does, for rows written while triggers were off (COPY loads)."""
    folded = SQL_TEMPLATE % {"expressions": "t.title || ' ' || t.description"}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_tasksearchtext (task_id, directive_id, text) "
            f"SELECT t.id, t.directive_id, {folded} FROM directives_task t "
            "ON CONFLICT (task_id) DO NOTHING"
        )
