from django.db.models import QuerySet
from django.http import Http404

from shegong.accounts.roles import Cap
from shegong.jobs.models import Job


def job_list(*, user) -> QuerySet:
    """A user's own jobs. Jobs carry uploaded files with personal data, so nobody sees another's."""
    if not user.is_authenticated or not user.can(Cap.JOBS_USE):
        return Job.objects.none()
    return Job.objects.filter(created_by=user).defer("input_data", "output_data")


def job_get(*, user, job_id) -> Job:
    try:
        return job_list(user=user).get(pk=job_id)
    except (Job.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
