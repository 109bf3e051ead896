"""Delete the uploaded files that finished jobs kept (e.g. an import preview never confirmed), and old output."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from shegong.jobs.models import Job, JobOutputPart


class Command(BaseCommand):
    help = "Clear uploaded files of jobs older than --hours (default 24) and outputs older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, hours, days, **options):
        now = timezone.now()
        inputs = Job.objects.filter(
            created_at__lt=now - dt.timedelta(hours=hours), input_data__isnull=False
        ).update(input_data=None)
        old = Job.objects.filter(created_at__lt=now - dt.timedelta(days=days))
        parted = JobOutputPart.objects.filter(job__in=old).values("job").distinct().count()
        JobOutputPart.objects.filter(job__in=old).delete()
        outputs = old.filter(output_data__isnull=False).update(output_data=None, output_name="") + parted
        old.exclude(output_name="").update(output_name="")
        self.stdout.write(f"cleared {inputs} uploaded files and {outputs} outputs")
