import logging
import threading
import time

from auditlog.context import set_actor
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from shegong.jobs import journal, recovery
from shegong.jobs.models import Job, JobStatus
from shegong.jobs.registry import HANDLERS, JobError
from shegong.lib.busy import database_busy

logger = logging.getLogger(__name__)


class ProgressWriter:
    """``progress(done, total)`` for handlers. An all-or-nothing import writes inside one transaction, where
    an UPDATE of the job row would stay invisible to the page polling it until the very end; on PostgreSQL
    the progress then goes through a second connection of its own, which commits at once. (SQLite has one
    writer at a time, so there the bar moves whenever the handler is outside a transaction.) Writes are
    throttled to a few a second."""

    interval = 0.5

    def __init__(self, job_pk):
        self.job_pk = job_pk
        self.side = None
        self.last = 0.0
        self.depth = len(connection.atomic_blocks)  # transactions open before the handler runs

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        lease = timezone.now() + recovery.lease_length()
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) > self.depth:
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = self.side.ops.quote_name(Job._meta.db_table)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET done = %s, total = %s, lease_until = %s WHERE id = %s",
                    [done, total, lease, self.job_pk],
                )
                if cursor.rowcount:
                    return
            # The job row itself is not committed yet (a test's transaction): write it alongside.
        try:
            Job.objects.filter(pk=self.job_pk).update(done=done, total=total, lease_until=lease)
        except OperationalError as exc:
            # On a busy SQLite database a progress report is not worth failing the job for: the next one
            # goes through (and the heartbeat keeps the lease meanwhile).
            if not database_busy(exc) or connection.in_atomic_block:
                raise
            self.last = 0.0

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


class Heartbeat:
    """Renews the running job's lease every quarter of its length from a thread of its own, so that a
    handler busy for long between progress reports (one slow query, a large PDF) keeps its job. The thread
    dies with the process, which is the point: then the lease lapses and jobs/recovery.py takes over."""

    def __init__(self, job_pk) -> None:
        self.job_pk = job_pk
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"job-heartbeat-{job_pk}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()

    def _run(self) -> None:
        every = recovery.lease_length().total_seconds() / 4
        try:
            while not self.stopped.wait(every):
                try:
                    Job.objects.filter(pk=self.job_pk, status=JobStatus.RUNNING).update(
                        lease_until=timezone.now() + recovery.lease_length()
                    )
                except Exception:  # SQLite busy beyond its timeout: the next beat tries again
                    logger.warning("job %s: lease not renewed", self.job_pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def _fail(job: Job, message: str) -> str:
    """The job failed: take back what it wrote in committed batches, record why, delete its upload."""
    try:
        recovery.take_back(job)
    except Exception:
        logger.exception("job %s: taking back its writes failed", job.pk)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now(), lease_until=None
    )
    job.forget_input()
    return JobStatus.FAILED


@task()
def run_job(job_id: str) -> str:
    """Run one Job row's handler in a worker, recording progress as it goes and holding the job's lease."""
    recovery.recover_lapsed_jobs()  # jobs whose worker died, found by whichever worker runs next
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status  # already run, or handled by recovery
    handler = HANDLERS[job.kind]
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        lease_until=timezone.now() + recovery.lease_length(),
        attempts=job.attempts + 1,
    )

    progress = ProgressWriter(job.pk)
    with override("zh-hans"), set_actor(job.created_by, remote_addr=job.params.get("_remote_addr")):
        try:
            try:
                with Heartbeat(job.pk):
                    result = handler(job, progress)
            finally:
                progress.close()
        except JobError as exc:
            return _fail(job, str(exc))
        except Exception:
            logger.exception("job %s failed", job_id)
            return _fail(job, _("The job stopped because of an internal error; nothing was written."))
    journal.forget(job)
    update = {"status": JobStatus.SUCCEEDED, "finished_at": timezone.now(), "lease_until": None}
    if isinstance(result, dict):
        update["result"] = result
        update["message"] = result.get("message", "")
    Job.objects.filter(pk=job.pk).update(**update)
    # Uploaded files carry personal data (ID numbers in clear): keep them no longer than the job needs them.
    if not (isinstance(result, dict) and result.get("keep_input")):
        job.forget_input()
    return JobStatus.SUCCEEDED
