from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction

from shegong.accounts.roles import Cap
from shegong.jobs.models import Job, JobOutputPart
from shegong.jobs.registry import HANDLERS
from shegong.jobs.tasks import run_job
from shegong.lib.guard import require


def job_start(
    *,
    actor,
    kind: str,
    title: str,
    params: dict | None = None,
    input_name: str = "",
    input_file: File | bytes | None = None,
    remote_addr: str | None = None,
) -> Job:
    """Create a Job row and queue its work after the transaction commits. ``input_file`` (an UploadedFile,
    another job's file, or bytes a page built) is copied a chunk at a time into the jobs' private storage,
    never read whole into memory. ``remote_addr`` (the address the job was started from) goes into the audit
    rows the job writes."""
    require(actor, Cap.JOBS_USE)
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job.objects.create(
        kind=kind,
        title=title,
        created_by=actor,
        scope_code=actor.jurisdiction_code,
        params={**(params or {}), "_remote_addr": remote_addr},
        input_name=input_name,
    )
    if input_file is not None:
        if isinstance(input_file, bytes | bytearray):
            input_file = ContentFile(bytes(input_file))
        job.input_file.save(input_name or "upload", input_file, save=False)
        # (Should the caller's transaction roll back, prune_jobs deletes the file no job names.)
        Job.objects.filter(pk=job.pk).update(input_file=job.input_file.name)

    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_output_store(job: Job, *, name: str, source) -> int:
    """Store the file object ``source`` (read from its current position) as the job's output, a part at a
    time; returns its size in bytes. Replaces any output the job had."""
    with transaction.atomic():
        JobOutputPart.objects.filter(job=job).delete()
        size = number = 0
        while piece := source.read(JobOutputPart.PART_SIZE):
            JobOutputPart.objects.create(job=job, number=number, data=piece)
            size += len(piece)
            number += 1
        job.output_name, job.output_data = name, None
        job.save(update_fields=["output_name", "output_data"])
    return size
