"""Delete the uploaded files that finished jobs kept (e.g. an import preview never confirmed), and old output;
fail or requeue jobs whose worker died (jobs/recovery.py)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from shegong.jobs.models import Job, JobOutputPart, job_files
from shegong.jobs.recovery import recover_lapsed_jobs


def _orphan_uploads(older_than: dt.datetime) -> int:
    """Files in the jobs' storage that no job names (its row deleted, or the transaction that created it rolled
    back), older than an hour so that a job being created right now is left alone."""
    storage = job_files()
    try:
        _dirs, names = storage.listdir("uploads")
    except FileNotFoundError:
        return 0
    named = set(Job.objects.exclude(input_file="").values_list("input_file", flat=True))
    removed = 0
    for name in names:
        path = f"uploads/{name}"
        if path not in named and storage.get_modified_time(path) < older_than:
            storage.delete(path)
            removed += 1
    return removed


class Command(BaseCommand):
    help = "Clear uploaded files of jobs older than --hours (default 24) and outputs older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, hours, days, **options):
        now = timezone.now()
        lapsed = recover_lapsed_jobs(now)
        inputs = 0
        # Only finished jobs: a queued job still needs its file (a worker that is down will get to it).
        kept = Job.objects.filter(created_at__lt=now - dt.timedelta(hours=hours)).exclude(input_file="")
        for job in kept.only("pk", "status", "input_file"):
            if job.finished:
                job.forget_input()
                inputs += 1
        inputs += _orphan_uploads(now - dt.timedelta(hours=1))
        old = Job.objects.filter(created_at__lt=now - dt.timedelta(days=days))
        parted = JobOutputPart.objects.filter(job__in=old).values("job").distinct().count()
        JobOutputPart.objects.filter(job__in=old).delete()
        outputs = old.filter(output_data__isnull=False).update(output_data=None, output_name="") + parted
        old.exclude(output_name="").update(output_name="")
        self.stdout.write(
            f"cleared {inputs} uploaded files and {outputs} outputs; {lapsed} jobs whose worker died handled"
        )
