from django.db import transaction

from shegong.jobs.models import Job
from shegong.jobs.registry import HANDLERS


def job_start(
    *,
    actor,
    kind: str,
    title: str,
    params: dict | None = None,
    input_name: str = "",
    input_data: bytes | None = None,
    remote_addr: str | None = None,
) -> Job:
    """Create a Job row and queue its work after the transaction commits. ``remote_addr`` (the address the
    job was started from) goes into the audit rows the job writes."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job.objects.create(
        kind=kind,
        title=title,
        created_by=actor,
        scope_code=actor.jurisdiction_code,
        params={**(params or {}), "_remote_addr": remote_addr},
        input_name=input_name,
        input_data=input_data,
    )
    from shegong.jobs.tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job
