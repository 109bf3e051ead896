"""Make the audit table append-only in the database itself: UPDATE and DELETE raise an error.

PostgreSQL and SQLite both support triggers; each gets its own dialect. Nobody, not even a role with
database access through the application, can rewrite history.
"""

from django.db import migrations

TABLE = "auditlog_logentry"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION shegong_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER shegong_audit_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION shegong_audit_append_only();
"""
POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS shegong_audit_no_update ON {TABLE};
DROP FUNCTION IF EXISTS shegong_audit_append_only();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER shegong_audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;",
    f"CREATE TRIGGER shegong_audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS shegong_audit_no_update;",
    "DROP TRIGGER IF EXISTS shegong_audit_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"No append-only trigger for database {vendor}")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [POSTGRES_BACKWARD] if vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(forward, backward)]
