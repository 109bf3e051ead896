import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from shegong.jobs.models import Job, JobStatus
from shegong.jobs.services import job_start
from shegong.regions.imports import population_template


@pytest.mark.django_db
def test_a_finished_import_forgets_its_uploaded_file(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=users["county"],
            kind="regions.population_import",
            title="t",
            input_name="t.xlsx",
            input_data=population_template(user=users["county"]),
            remote_addr="10.1.2.3",
        )
    job.refresh_from_db()
    assert job.finished and job.input_data is None
    assert job.params["_remote_addr"] == "10.1.2.3"


@pytest.mark.django_db
def test_prune_clears_old_uploads_and_outputs(users):
    old = Job.objects.create(
        kind="x",
        title="old",
        created_by=users["county"],
        input_data=b"secret",
        output_name="o.xlsx",
        output_data=b"o",
        status=JobStatus.SUCCEEDED,
    )
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    fresh = Job.objects.create(kind="x", title="new", created_by=users["county"], input_data=b"keep")
    call_command("prune_jobs")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.input_data is None and old.output_data is None
    assert bytes(fresh.input_data) == b"keep"
