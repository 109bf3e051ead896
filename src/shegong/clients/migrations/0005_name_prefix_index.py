"""An index for name searches on PostgreSQL: ``name LIKE '王%'`` uses a b-tree only with the pattern operator
class unless the database's collation is "C". SQLite (the embedded default, county-sized) searches without
it; its LIKE is case-insensitive and would not use a plain index anyway."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS clients_person_name_prefix ON clients_person (name varchar_pattern_ops)"
DROP = "DROP INDEX IF EXISTS clients_person_name_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_people_count")]

    operations = [migrations.RunPython(create, drop)]
