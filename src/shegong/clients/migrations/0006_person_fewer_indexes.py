"""Fewer indexes on the people table, so that a large import writes fewer (20 → 12 on PostgreSQL).

``db_index=True`` on a text column gives PostgreSQL two indexes, the plain one and a "_like" one with the
pattern operator class; the hashes and last digits are only ever matched whole, and pinyin and initials only
from their start (the "_like" index answers equality too). The region's own index is covered by the two
composite indexes that begin with it. On PostgreSQL the indexes kept are renamed, not rebuilt: seconds even on
a province database.

Written by hand for the database: the operations Django derives would drop the unique index of one file per ID
number with the plain index on its column, re-validate the region foreign key over every row, and rebuild
indexes that only need a new name.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TABLE = "clients_person"
# column → (the index it gets, whether searches match it from its start)
COLUMNS = {
    "pinyin": ("clients_person_pinyin", True),
    "initials": ("clients_person_initials", True),
    "id_number_hash": ("clients_person_id_hash", False),
    "id_number_last4": ("clients_person_id_last4", False),
    "phone_hash": ("clients_person_phone_hash", False),
    "phone_last4": ("clients_person_phone_last4", False),
}


def _index_sql(name: str, column: str, pattern: bool, postgres: bool) -> str:
    ops = " varchar_pattern_ops" if pattern and postgres else ""
    return f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" ("{column}"{ops})'


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    run = schema_editor.execute
    for column, (new, pattern) in COLUMNS.items():
        old = schema_editor._create_index_name(TABLE, [column])  # db_index=True's name, as Django made it
        if postgres:
            keep, drop = (old + "_like", old) if pattern else (old, old + "_like")
            run(f'DROP INDEX IF EXISTS "{drop}"')
            run(f'ALTER INDEX IF EXISTS "{keep}" RENAME TO "{new}"')
        else:  # SQLite cannot rename an index; its tables are county-sized
            run(f'DROP INDEX IF EXISTS "{old}"')
        run(_index_sql(new, column, pattern, postgres))
    region = schema_editor._create_index_name(TABLE, ["region_id"])
    run(f'DROP INDEX IF EXISTS "{region}"')
    if postgres:
        run(f'DROP INDEX IF EXISTS "{region}_like"')


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    run = schema_editor.execute
    for column, (new, _pattern) in COLUMNS.items():
        old = schema_editor._create_index_name(TABLE, [column])
        run(f'DROP INDEX IF EXISTS "{new}"')
        run(_index_sql(old, column, False, postgres))
        if postgres:
            run(_index_sql(old + "_like", column, True, postgres))
    region = schema_editor._create_index_name(TABLE, ["region_id"])
    run(_index_sql(region, "region_id", False, postgres))
    if postgres:
        run(_index_sql(region + "_like", "region_id", True, postgres))


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_name_prefix_index"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="id_number_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="id_number_last4",
                    field=models.CharField(blank=True, editable=False, max_length=4),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="initials",
                    field=models.CharField(blank=True, max_length=50, verbose_name="pinyin initials"),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="phone_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="phone_last4",
                    field=models.CharField(blank=True, editable=False, max_length=4),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="pinyin",
                    field=models.CharField(blank=True, max_length=200, verbose_name="pinyin"),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="village or community of residence",
                    ),
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=models.Index(
                        fields=["pinyin"], name="clients_person_pinyin", opclasses=["varchar_pattern_ops"]
                    ),
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=models.Index(
                        fields=["initials"], name="clients_person_initials", opclasses=["varchar_pattern_ops"]
                    ),
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=models.Index(fields=["id_number_hash"], name="clients_person_id_hash"),
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=models.Index(fields=["id_number_last4"], name="clients_person_id_last4"),
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=models.Index(fields=["phone_hash"], name="clients_person_phone_hash"),
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=models.Index(fields=["phone_last4"], name="clients_person_phone_last4"),
                ),
            ],
        )
    ]
