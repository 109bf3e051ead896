import logging
import time

from auditlog.context import set_actor
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from shegong.jobs.models import Job, JobStatus
from shegong.jobs.registry import HANDLERS, JobError

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
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) > self.depth:
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = self.side.ops.quote_name(Job._meta.db_table)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET done = %s, total = %s WHERE id = %s", [done, total, self.job_pk]
                )
                if cursor.rowcount:
                    return
            # The job row itself is not committed yet (a test's transaction): write it alongside.
        Job.objects.filter(pk=self.job_pk).update(done=done, total=total)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


@task()
def run_job(job_id: str) -> str:
    """Run one Job row's handler in a worker, recording progress as it goes."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    handler = HANDLERS[job.kind]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())

    progress = ProgressWriter(job.pk)
    with override("zh-hans"), set_actor(job.created_by, remote_addr=job.params.get("_remote_addr")):
        try:
            try:
                result = handler(job, progress)
            finally:
                progress.close()
        except JobError as exc:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, message=str(exc), finished_at=timezone.now(), input_data=None
            )
            return JobStatus.FAILED
        except Exception:
            logger.exception("job %s failed", job_id)
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED,
                message=_("The job stopped because of an internal error; nothing was written."),
                finished_at=timezone.now(),
                input_data=None,
            )
            return JobStatus.FAILED
    job.refresh_from_db(fields=["result", "output_data", "output_name"])
    update = {"status": JobStatus.SUCCEEDED, "finished_at": timezone.now()}
    if isinstance(result, dict):
        update["result"] = result
        update["message"] = result.get("message", "")
    # Uploaded files carry personal data (ID numbers in clear): keep them no longer than the job needs them.
    if not (isinstance(result, dict) and result.get("keep_input")):
        update["input_data"] = None
    Job.objects.filter(pk=job.pk).update(**update)
    return JobStatus.SUCCEEDED
