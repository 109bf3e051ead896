"""Job kinds. A domain registers the function that does the work of one kind of job::

    @job_handler("importer.run", audit=Event.IMPORT)
    def run_import(job, progress): ...

The handler reads ``job.params`` and the uploaded file (``job.open_input()``), calls ``progress(done, total)``
as it goes, and returns the result dict (or raises JobError with a message for the user).

Two declarations tell jobs/recovery.py what to do with a job whose worker died:
- ``retry_safe=True``: running the job again from the start is harmless (an export, a report, a recount);
  it is queued again once. Otherwise the job is failed with a message and the user starts it again.
- ``undo``: the function that takes back what the job wrote in committed batches (jobs/journal.py); without
  it the journal's own ``undo`` is used.

A kind registered with ``audit`` (an import or an export) gets exactly one row in the audit trail per job,
written here and nowhere else (save for a job whose worker died, whose failure jobs/recovery.py records): who,
from which address (the job carries it), success or failure, the counts of the result, and whatever the
handler put under ``result["audit"]`` (taken out of the stored result). A handler whose job is only a preview
returns ``"audit": False`` and writes no row.
"""

import functools
from collections.abc import Callable

from shegong.audit.services import audit_event

HANDLERS: dict[str, Callable] = {}
RETRY_SAFE: set[str] = set()
UNDO: dict[str, Callable] = {}
AUDITED: dict[str, str] = {}  # kind → its audit event, for the row recovery writes when a worker died
COUNTS = ("rows", "created", "updated", "changed", "skipped", "error_count")


class JobError(Exception):
    """A failure to show to the user as it is (already translated)."""


def job_handler(
    kind: str, audit: str | None = None, *, retry_safe: bool = False, undo: Callable | None = None
):
    def register(func):
        HANDLERS[kind] = _audited(func, audit) if audit else func
        if audit:
            AUDITED[kind] = audit
        if retry_safe:
            RETRY_SAFE.add(kind)
        if undo is not None:
            UNDO[kind] = undo
        return HANDLERS[kind]

    return register


def _audited(func, event: str):
    def record(job, outcome: str, detail: dict) -> None:
        audit_event(
            event=event, user=job.created_by, obj=job, outcome=outcome, detail={"kind": job.kind, **detail}
        )

    @functools.wraps(func)
    def run(job, progress):
        try:
            result = func(job, progress)
        except JobError as exc:
            record(job, "failure", {"message": str(exc)})
            raise
        except Exception:
            record(job, "failure", {})
            raise
        if not isinstance(result, dict):
            record(job, "success", {})
            return result
        extra = result.pop("audit", {})
        if extra is not False:
            counts = {key: result[key] for key in COUNTS if isinstance(result.get(key), int)}
            record(job, "success" if result.get("ok", True) else "failure", {**counts, **extra})
        return result

    return run
