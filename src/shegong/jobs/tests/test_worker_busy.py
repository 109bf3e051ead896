"""The job worker survives a busy SQLite database (jobs/management/commands/db_worker.py): the library's
worker died when ``BEGIN EXCLUSIVE`` waited longer than the busy timeout, and every later job stayed queued."""

import pytest
from django.core.management import get_commands
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as library

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

    monkeypatch.setattr(library.Worker, "run", run)
    _worker().run()
    assert len(calls) == 3


def test_other_database_errors_still_stop_it(monkeypatch):
    def run(self):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(library.Worker, "run", run)
    with pytest.raises(OperationalError, match="no such table"):
        _worker().run()
