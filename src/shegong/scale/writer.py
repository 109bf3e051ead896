"""Bulk writes of plain tuples: PostgreSQL's COPY through psycopg, batched executemany elsewhere (SQLite).

The generator builds rows as tuples of the columns it cares about; every other column gets its model default
once, so a row never passes through a model instance (no save(), no signals, no per-row encryption of the
field: encrypted columns are given their ciphertext directly).
"""

import datetime as dt
import json
import time
from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

BATCH = 5000


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.has_default():
        value = field.get_default()
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value, dt.UTC)
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Table:
    """A model's table with the columns the generator fills (attnames, e.g. "region_id")."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.columns = columns
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns and not (f.primary_key or f.generated)
        ]
        self.all_columns = columns + [f.column for f in rest]
        self.db_columns = [model._meta.get_field(c).column if c != "id" else "id" for c in columns]
        self.db_columns += [f.column for f in rest]
        self.defaults = tuple(_default(f) for f in rest)
        self.name = model._meta.db_table

    def next_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX(id) FROM "{self.name}"')
            return (cursor.fetchone()[0] or 0) + 1


class Sink:
    """Buffers rows per table and writes them in order; records rows and seconds per table."""

    def __init__(self, tables: list[Table], limit: int = 200_000):
        self.tables = tables
        self.buffers: dict[str, list[tuple]] = {t.name: [] for t in tables}
        self.limit = limit
        self.rows: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.postgres = connection.vendor == "postgresql"

    def add(self, table: Table, row: tuple) -> None:
        buffer = self.buffers[table.name]
        buffer.append(row)
        if len(buffer) >= self.limit:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, parents before children (foreign keys are deferred, but SQLite checks at once
        when they are not)."""
        with transaction.atomic():
            self._flush()

    def _flush(self) -> None:
        for table in self.tables:
            buffer = self.buffers[table.name]
            if not buffer:
                continue
            start = time.perf_counter()
            self._write(table, buffer)
            self.seconds[table.name] += time.perf_counter() - start
            self.rows[table.name] += len(buffer)
            buffer.clear()

    def _write(self, table: Table, rows: list[tuple]) -> None:
        columns = ", ".join(f'"{c}"' for c in table.db_columns)
        defaults = table.defaults
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
            else:
                marks = ", ".join(["%s"] * len(table.db_columns))
                sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
                tail = tuple(_sqlite_value(v) for v in defaults)
                for start in range(0, len(rows), BATCH):
                    chunk = rows[start : start + BATCH]
                    cursor.executemany(sql, [tuple(_sqlite_value(v) for v in r) + tail for r in chunk])


def reset_sequences(models_: list) -> None:
    """After rows were written with explicit ids, move the id sequences past them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
