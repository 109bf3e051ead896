"""Job kinds. A domain registers the function that does the work of one kind of job::

    @job_handler("regions.population_import")
    def population_import(job, progress): ...

The handler reads ``job.params`` and the uploaded file (``job.open_input()``), calls ``progress(done, total)``
as it goes, and returns the result dict (or raises JobError with a message for the user).

Two declarations tell jobs/recovery.py what to do with a job whose worker died:
- ``retry_safe=True``: running the job again from the start is harmless (an export, a report, a recount);
  it is queued again once. Otherwise the job is failed with a message and the user starts it again.
- ``undo``: the function that takes back what the job wrote in committed batches (jobs/journal.py); without
  it the journal's own ``undo`` is used.
"""

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}
RETRY_SAFE: set[str] = set()
UNDO: dict[str, Callable] = {}


class JobError(Exception):
    """A failure to show to the user as it is (already translated)."""


def job_handler(kind: str, *, retry_safe: bool = False, undo: Callable | None = None):
    def register(func):
        HANDLERS[kind] = func
        if retry_safe:
            RETRY_SAFE.add(kind)
        if undo is not None:
            UNDO[kind] = undo
        return func

    return register
