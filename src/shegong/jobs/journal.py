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
import time

from django.apps import apps
from django.db import connection, transaction
from django.db.utils import OperationalError

from shegong.jobs.models import Job, JobWrite
from shegong.lib.busy import database_busy

CHUNK = 500  # ids per statement, below SQLite's limit of bound parameters

# How long one short transaction may hold SQLite's write lock. A batch of a fixed number of rows is quick on an
# idle machine and many seconds on a busy one (3,000 service records on two cores shared by twenty processes:
# 13 s a batch of 200, so every other writer outwaited its busy timeout). Batches shrink until one takes
# about this long and grow back when the machine is idle again.
TRANSACTION_SECONDS = 0.5


def short_transactions() -> bool:
    """Whether imports write in journaled short transactions (SQLite) rather than one transaction."""
    return connection.vendor == "sqlite"


def next_batch_size(size: int, took: float, largest: int) -> int:
    """The rows of the next short transaction, after one of ``size`` rows took ``took`` seconds."""
    if took > TRANSACTION_SECONDS:
        return max(1, int(size * TRANSACTION_SECONDS / took))
    if took < TRANSACTION_SECONDS / 2:
        return min(largest, size * 2)
    return size


def let_others_write(took: float) -> None:
    """A moment between two short transactions, so that a writer waiting for the lock gets it: SQLite wakes a
    waiting writer to try again every 100 ms at most, and the import would otherwise take the lock back
    within microseconds, every time. A tenth of the transaction's length, at most 50 ms."""
    time.sleep(min(0.05, took / 10))


def busy_retry(work, attempts: int = 5):
    """Run ``work`` (one short transaction) again when SQLite was too busy to begin it: a transaction takes the
    write lock at BEGIN (IMMEDIATE), so a busy database refuses it before anything ran and running it again is
    safe. Other errors, and the last refusal, go to the caller."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if not database_busy(exc) or attempt == attempts - 1 or connection.in_atomic_block:
                raise
            time.sleep(0.1 * (attempt + 1))
    return None


def _chunks(ids: list) -> list[list]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _columns(model) -> list[str]:
    # A generated column is the database's to write: restoring the others restores it.
    return [f.column for f in model._meta.concrete_fields if not (f.primary_key or f.generated)]


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
