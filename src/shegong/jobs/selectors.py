from django.db.models import QuerySet

from shegong.accounts.roles import Cap
from shegong.jobs.models import Job, JobOutputPart
from shegong.lib.scoping import row_or_404


def job_list(*, user) -> QuerySet:
    """A user's own jobs. Jobs carry uploaded files with personal data, so nobody sees another's."""
    if not user.is_authenticated or not user.can(Cap.JOBS_USE):
        return Job.objects.none()
    return Job.objects.filter(created_by=user).defer("output_data")


def job_get(*, user, job_id) -> Job:
    return row_or_404(job_list(user=user), pk=job_id)


def job_output_pieces(job: Job):
    """A job's output as an iterator of byte strings, one part (or the whole small output) at a time. The
    caller has the job from job_get, which scopes it to the user."""
    numbers = list(JobOutputPart.objects.filter(job=job).order_by("number").values_list("number", flat=True))
    if not numbers:
        data = Job.objects.values_list("output_data", flat=True).get(pk=job.pk)
        yield bytes(data or b"")
        return
    for number in numbers:
        yield bytes(JobOutputPart.objects.values_list("data", flat=True).get(job=job, number=number))
