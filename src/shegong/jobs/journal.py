"""All-or-nothing in short transactions: the journal of what a job wrote, and taking it back.

On SQLite one writer holds the whole database: an import that writes 100,000 rows in one transaction makes
every other user's write wait until it fails ("database is locked"). Imports there check every row first
without writing, then write a batch per short transaction and journal each batch here (the ids of the rows
inserted, the stored values of the rows updated, in the same transaction as the batch). If a later batch
fails, or the worker dies (jobs/recovery.py), ``undo`` takes back what the job wrote, newest first, in one
transaction; a finished job's journal is deleted. PostgreSQL imports keep their one transaction (readers and
other writers are not blocked there) and write no journal.

Before-images are the columns as the database stores them, read and written back with plain SQL, so that
encrypted fields stay encrypted in the journal and no model code (signals, audit rows) runs on the way back.
"""

import base64
import datetime as dt
import decimal

from django.apps import apps
from django.db import connection, transaction

from shegong.jobs.models import Job, JobWrite

CHUNK = 500  # ids per statement, below SQLite's limit of bound parameters


def short_transactions() -> bool:
    """Whether imports write in journaled short transactions (SQLite) rather than one transaction."""
    return connection.vendor == "sqlite"


def _chunks(ids: list) -> list[list]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def _to_json(value):
    if isinstance(value, bytes | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dt.date | dt.time | decimal.Decimal):
        # As SQLite stores them (text; Django writes str(value)), which is how they are written back.
        return str(value)
    return value


def _from_json(value):
    return base64.b64decode(value["b64"]) if isinstance(value, dict) else value


class Journal:
    """The journal of one job's writes; call it inside the transaction of the batch it describes."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def inserted(self, model, ids) -> None:
        ids = [i for i in ids if i is not None]
        if ids:
            JobWrite.objects.create(job=self.job, table=model._meta.label_lower, created=ids)

    def before_update(self, model, ids) -> None:
        """Keep the stored values of the rows ``ids`` before the batch changes them."""
        ids = sorted(set(ids))
        if not ids:
            return
        meta, qn = model._meta, connection.ops.quote_name
        columns = _columns(model)
        before = {}
        with connection.cursor() as cursor:
            for chunk in _chunks(ids):
                cursor.execute(
                    f"SELECT {qn(meta.pk.column)}, {', '.join(qn(c) for c in columns)} FROM {qn(meta.db_table)} "
                    f"WHERE {qn(meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
                for row in cursor.fetchall():
                    before[str(row[0])] = [_to_json(v) for v in row[1:]]
        JobWrite.objects.create(
            job=self.job, table=meta.label_lower, before={"columns": columns, "rows": before}
        )


def written_ids(job: Job, model) -> set:
    """The ids of ``model``'s rows the job inserted or updated (for what follows from them: counts)."""
    ids: set = set()
    for write in JobWrite.objects.filter(job=job, table=model._meta.label_lower):
        ids.update(write.created)
        ids.update(int(key) for key in (write.before or {}).get("rows", {}))
    return ids


def undo(job: Job) -> int:
    """Take back everything the job's journal holds, newest batch first, and delete the journal. Returns the
    number of rows deleted or restored."""
    qn = connection.ops.quote_name
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for write in JobWrite.objects.filter(job=job).order_by("-pk"):
            meta = apps.get_model(write.table)._meta
            table, pk = qn(meta.db_table), qn(meta.pk.column)
            for chunk in _chunks(list(write.created)):
                cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(chunk))})", chunk)
                count += len(chunk)
            if write.before:
                columns = write.before["columns"]
                assignments = ", ".join(f"{qn(c)} = %s" for c in columns)
                rows = [
                    [*(_from_json(v) for v in values), int(key)]
                    for key, values in write.before["rows"].items()
                ]
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)
                count += len(rows)
        JobWrite.objects.filter(job=job).delete()
    return count


def forget(job: Job) -> None:
    """The job kept its promise: its writes stay, its journal goes."""
    JobWrite.objects.filter(job=job).delete()
