"""The points ledger and the charity funds' ledgers are append-only in the database itself, as the audit trail
is: UPDATE and DELETE of their rows raise an error. A mistake is corrected by a new line (an adjustment), so
the history of every balance stays readable.

PostgreSQL's TRUNCATE (used by test flushes) fires no row trigger; SQLite has no TRUNCATE, which is why the
transactional tests that flush tables run on PostgreSQL only.
"""

from django.db import migrations

TABLES = ["community_pointentry", "community_fundentry"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION shegong_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION shegong_ledger_append_only();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for action in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;"
                )
    else:
        raise RuntimeError(f"No append-only trigger for database {vendor}")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        else:
            for action in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS shegong_ledger_append_only();")


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
