"""`shegong db_worker`: django-tasks-db's worker, which survives a busy SQLite database.

The library's worker polls for a job inside ``BEGIN EXCLUSIVE``. On SQLite that statement waits at most the
busy timeout for the write lock and then raises "database is locked"; the library ignores that error when it
comes from the query, but not when it comes from ``BEGIN``, so one moment of contention (another process's
write transaction longer than the timeout) killed the worker, and every job queued after it stayed queued.
Here the worker logs the moment and polls again. (This app is listed before django_tasks_db in
INSTALLED_APPS so that this command is the one ``db_worker`` runs.)

It also runs at the lower priority of ``SHEGONG_JOB_NICENESS`` (jobs/priority.py), so that the imports and
exports it runs leave the pages on the same machine their CPU."""

import logging
import time

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as library
from django_tasks_db.utils import is_locked_database_exception

from shegong.jobs.priority import lower_priority

logger = logging.getLogger("shegong.jobs")


class SteadyWorker(library.Worker):
    def run(self) -> None:
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                logger.warning("job worker %s: the database is busy; polling again", self.worker_id)
                close_old_connections()
                time.sleep(max(self.interval, 0.1))


class Command(library.Command):
    help = library.Command.help

    def handle(self, *args, **options):
        library.Worker = SteadyWorker  # the library's handle builds its worker from this name
        lower_priority()
        return super().handle(*args, **options)
