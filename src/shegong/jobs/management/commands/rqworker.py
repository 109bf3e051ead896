"""`shegong rqworker`: django-rq's worker (the job worker with ``REDIS_URL``), at the lower priority of
``SHEGONG_JOB_NICENESS`` (jobs/priority.py). RQ forks a work horse for each job, which inherits the niceness.
This app is listed before django_rq in INSTALLED_APPS, so this is the command ``rqworker`` runs."""

from django_rq.management.commands import rqworker as library

from shegong.jobs.priority import lower_priority


class Command(library.Command):
    help = "RQ's job worker (with REDIS_URL), at the lower CPU priority of SHEGONG_JOB_NICENESS."

    def handle(self, *args, **options):
        lower_priority()
        return super().handle(*args, **options)
