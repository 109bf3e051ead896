"""The job worker survives a busy SQLite database (jobs/management/commands/db_worker.py): the library's
worker died when ``BEGIN EXCLUSIVE`` waited longer than the busy timeout, and every later job stayed queued."""

import pytest
from django.core.management import get_commands
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as library

from shegong.jobs.management.commands import db_worker as steady
from shegong.jobs.management.commands.db_worker import SteadyWorker


def _worker() -> SteadyWorker:
    return SteadyWorker(
        queue_names=["default"],
        interval=0.01,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def test_db_worker_is_the_steady_one():
    assert get_commands()["db_worker"] == "shegong.jobs"


def test_a_locked_database_makes_the_worker_poll_again_not_die(monkeypatch):
    calls = []

    def run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")  # as BEGIN EXCLUSIVE raises it after the timeout

    closed = []
    monkeypatch.setattr(library.Worker, "run", run)
    monkeypatch.setattr(steady, "close_old_connections", lambda: closed.append(1))
    _worker().run()
    assert len(calls) == 3 and len(closed) == 2  # a fresh connection after each refusal


def test_other_database_errors_still_stop_it(monkeypatch):
    def run(self):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(library.Worker, "run", run)
    with pytest.raises(OperationalError, match="no such table"):
        _worker().run()


def test_short_transactions_shrink_on_a_busy_machine_and_grow_back():
    """An import's batches on SQLite are bounded in time (jobs/journal.py), not only in rows."""
    from shegong.jobs.journal import TRANSACTION_SECONDS, next_batch_size

    assert next_batch_size(200, TRANSACTION_SECONDS * 26, 200) == 7  # 13 s a batch: a twenty-sixth of it
    assert next_batch_size(1, 5.0, 200) == 1  # never below one row
    assert next_batch_size(7, TRANSACTION_SECONDS / 10, 200) == 14  # idle again: doubles
    assert next_batch_size(150, 0.01, 200) == 200  # up to the ledger's own batch size
    assert next_batch_size(50, TRANSACTION_SECONDS * 0.75, 200) == 50


def test_a_short_transaction_refused_by_a_busy_database_runs_again():
    from shegong.jobs.journal import busy_retry

    tries = []

    def work():
        tries.append(1)
        if len(tries) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert busy_retry(work) == "done" and len(tries) == 3
    with pytest.raises(OperationalError, match="locked"):
        busy_retry(lambda: (_ for _ in ()).throw(OperationalError("database is locked")), attempts=2)
    with pytest.raises(OperationalError, match="disk I/O"):
        busy_retry(lambda: (_ for _ in ()).throw(OperationalError("disk I/O error")))
