import logging

from auditlog.context import set_actor
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from shegong.jobs.models import Job, JobStatus
from shegong.jobs.registry import HANDLERS, JobError

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: str) -> str:
    """Run one Job row's handler in a worker, recording progress as it goes."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    handler = HANDLERS[job.kind]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    with override("zh-hans"), set_actor(job.created_by, remote_addr=job.params.get("_remote_addr")):
        try:
            result = handler(job, progress)
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
