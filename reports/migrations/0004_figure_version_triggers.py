"""Triggers that count changes to the data behind the figures, per branch (see
reports.models.FigureVersion).

Statement-level, with transition tables: a bulk update of ten thousand assignments adds one
to each branch it touched, once. An assignment or progress report counts for the branch of
its unit (before and after the change); a change to a directive, a task or a unit counts
for the shared branch "*", which every slice includes. Updates that leave every column the
figures read as it was count for nothing.
"""

from django.db import migrations

BRANCH_LENGTH = 8  # BRANCH_DEPTH (2) × treebeard's step length (4)

SQL = f"""
CREATE FUNCTION reports_figures_bump(branches text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_figureversion AS v (branch, version)
    SELECT b, 1 FROM unnest(branches) AS b GROUP BY b ORDER BY b
    ON CONFLICT (branch) DO UPDATE SET version = v.version + 1;
$$;

CREATE FUNCTION reports_assignment_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_figures_bump(ARRAY(
            SELECT left(u.path, {BRANCH_LENGTH}) FROM new_rows n
            JOIN units_unit u ON u.id = n.unit_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_figures_bump(ARRAY(
            SELECT left(u.path, {BRANCH_LENGTH}) FROM old_rows o
            JOIN units_unit u ON u.id = o.unit_id));
    ELSE
        PERFORM reports_figures_bump(ARRAY(
            SELECT left(u.path, {BRANCH_LENGTH}) FROM old_rows o
            JOIN new_rows n ON n.id = o.id
            JOIN units_unit u ON u.id IN (o.unit_id, n.unit_id)
            WHERE (o.unit_id, o.task_id, o.due_on, o.original_due_on, o.completed_on,
                   o.cancelled, o.progress)
                  IS DISTINCT FROM
                  (n.unit_id, n.task_id, n.due_on, n.original_due_on, n.completed_on,
                   n.cancelled, n.progress)));
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION reports_report_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_figures_bump(ARRAY(
            SELECT left(u.path, {BRANCH_LENGTH}) FROM new_rows n
            JOIN directives_assignment a ON a.id = n.assignment_id
            JOIN units_unit u ON u.id = a.unit_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_figures_bump(ARRAY(
            SELECT left(u.path, {BRANCH_LENGTH}) FROM old_rows o
            JOIN directives_assignment a ON a.id = o.assignment_id
            JOIN units_unit u ON u.id = a.unit_id));
    ELSE
        PERFORM reports_figures_bump(ARRAY(
            SELECT left(u.path, {BRANCH_LENGTH}) FROM old_rows o
            JOIN new_rows n ON n.id = o.id
            JOIN directives_assignment a ON a.id IN (o.assignment_id, n.assignment_id)
            JOIN units_unit u ON u.id = a.unit_id
            WHERE (o.assignment_id, o.status, o.indicator_value, o.reported_on,
                   o.submitted_at)
                  IS DISTINCT FROM
                  (n.assignment_id, n.status, n.indicator_value, n.reported_on,
                   n.submitted_at)));
    END IF;
    RETURN NULL;
END;
$$;

-- Directives, tasks and units: any row changed counts for every branch.
CREATE FUNCTION reports_shared_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM old_rows) THEN
            PERFORM reports_figures_bump(ARRAY['*']);
        END IF;
    ELSIF EXISTS (SELECT 1 FROM new_rows) THEN
        PERFORM reports_figures_bump(ARRAY['*']);
    END IF;
    RETURN NULL;
END;
$$;
"""

TABLES = {
    "directives_assignment": "reports_assignment_changed",
    "directives_progressreport": "reports_report_changed",
    "directives_directive": "reports_shared_changed",
    "directives_task": "reports_shared_changed",
    "units_unit": "reports_shared_changed",
}


def triggers_sql() -> str:
    parts = []
    for table, function in TABLES.items():
        for op, referencing in [
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ]:
            parts.append(
                f"CREATE TRIGGER figures_{op.lower()} AFTER {op} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
            )
    return "\n".join(parts)


def drop_sql() -> str:
    parts = [
        f"DROP TRIGGER IF EXISTS figures_{op} ON {table};"
        for table in TABLES
        for op in ("insert", "update", "delete")
    ]
    parts += [
        "DROP FUNCTION IF EXISTS reports_assignment_changed();",
        "DROP FUNCTION IF EXISTS reports_report_changed();",
        "DROP FUNCTION IF EXISTS reports_shared_changed();",
        "DROP FUNCTION IF EXISTS reports_figures_bump(text[]);",
    ]
    return "\n".join(parts)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_figure_cache"),
        ("directives", "0002_report_submitted_default"),
        ("units", "0002_drop_duplicate_path_index"),
    ]

    operations = [migrations.RunSQL(SQL + triggers_sql(), drop_sql())]
