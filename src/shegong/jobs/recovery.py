"""Jobs whose worker died: found by their lapsed lease, taken back, and failed or queued again.

A worker renews the lease of the job it runs (``lease_until``) with every progress report and on a timer
(tasks.Heartbeat), so a lease only lapses when the worker process is gone: killed, out of memory, the
machine restarted. Nothing in the worker can report that, so others look: every worker before it starts a
job, the job pages when a user looks at them, and ``shegong prune_jobs`` (run daily, or more often from cron).
That works the same with the database worker and with RQ.

A lapsed job is claimed by one UPDATE that names the lease it saw, so two processes never both handle it and
a worker that renewed in the meantime keeps its job. What the job wrote in committed batches is taken back
(jobs/journal.py; an import in one transaction was rolled back by the database when the connection died).
A job declared ``retry_safe`` is queued again once; any other is failed with a message saying what happened,
and its uploaded file (personal data) is deleted.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shegong.audit.services import audit_event
from shegong.jobs import journal
from shegong.jobs.models import Job, JobStatus, JobWrite
from shegong.jobs.registry import AUDITED, RETRY_SAFE, UNDO

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # a retry-safe job runs at most twice


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def lapsed_jobs(now=None):
    """Running jobs whose lease ran out (or, started before leases existed, that started a lease ago)."""
    now = now or timezone.now()
    return Job.objects.filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, started_at__lt=now - lease_length()),
        status=JobStatus.RUNNING,
    )


def recover_lapsed_jobs(now=None) -> int:
    """Fail or requeue every running job whose worker died; returns how many were handled."""
    handled = 0
    for job in lapsed_jobs(now).only("pk", "kind", "lease_until", "attempts", "input_file"):
        handled += recover(job)
    return handled


def take_back(job: Job) -> int:
    """Undo what the job wrote in committed batches, if anything."""
    if not JobWrite.objects.filter(job=job).exists():
        return 0
    return UNDO.get(job.kind, journal.undo)(job)


def recover(job: Job) -> bool:
    with override("zh-hans"):
        if job.input_file:
            message = _(
                "The process running this job was interrupted (the server restarted or ran out of memory); "
                "nothing it wrote was kept. Please upload the file again."
            )
        else:
            message = _(
                "The process running this job was interrupted (the server restarted or ran out of memory); "
                "nothing it wrote was kept. Please start it again."
            )
    retry = job.kind in RETRY_SAFE and job.attempts < MAX_ATTEMPTS
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease_until=job.lease_until).update(
        status=JobStatus.QUEUED if retry else JobStatus.FAILED,
        message="" if retry else message,
        finished_at=None if retry else timezone.now(),
        lease_until=None,
    )
    if not claimed:
        return False  # another process handled it, or the worker renewed its lease after all
    logger.warning("job %s lost its worker; %s", job.pk, "queued again" if retry else "failed")
    try:
        take_back(job)
    except Exception:
        logger.exception("job %s: taking back its writes failed", job.pk)
    if retry:
        from shegong.jobs.tasks import run_job  # cycle: the task runs recovery before each job

        transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    else:
        job.forget_input()
        if job.kind in AUDITED:  # the worker died before the registry could write the job's audit row
            audit_event(
                event=AUDITED[job.kind],
                user=job.created_by,
                obj=job,
                outcome="failure",
                detail={"kind": job.kind, "message": message},
            )
    return True
