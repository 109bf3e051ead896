import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from shegong.jobs.models import Job, JobStatus, job_files
from shegong.jobs.services import job_start


@pytest.mark.django_db
def test_a_finished_import_forgets_its_uploaded_file(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=users["county"],
            kind="importer.run",
            title="t",
            params={"ledger": "regions.population", "commit": True},
            input_name="t.csv",
            input_file=ContentFile("区划代码,常住人口\n522301001,45000\n".encode(), "t.csv"),
            remote_addr="10.1.2.3",
        )
    job.refresh_from_db()
    assert job.finished and not job.input_file and not job_files().exists(f"uploads/{job.pk}.upload")
    assert job.params["_remote_addr"] == "10.1.2.3"


@pytest.mark.django_db
def test_prune_clears_old_uploads_and_outputs(users):
    old = Job.objects.create(
        kind="x",
        title="old",
        created_by=users["county"],
        input_file=ContentFile(b"secret", "old.xlsx"),
        output_name="o.xlsx",
        output_data=b"o",
        status=JobStatus.SUCCEEDED,
    )
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    old_path = old.input_file.path
    fresh = Job.objects.create(
        kind="x", title="new", created_by=users["county"], input_file=ContentFile(b"keep", "new.xlsx")
    )
    call_command("prune_jobs")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.input_file and old.output_data is None and not os.path.exists(old_path)
    with fresh.open_input() as kept:
        assert kept.read() == b"keep"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite allows one writer: progress inside a transaction shows when it commits",
)
@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_handlers_transaction_is_seen_before_it_commits():
    """The page polls the job row from another connection while an all-or-nothing import runs in one
    transaction: the bar must move before the import commits (PostgreSQL; SQLite has one writer)."""
    from django.db import DEFAULT_DB_ALIAS, connections, transaction

    from shegong.accounts.models import User
    from shegong.jobs.tasks import ProgressWriter

    # No regions needed (a transactional test may run after another one's flush emptied them).
    owner = User.objects.create(username="progress-owner", role="sysadmin")
    job = Job.objects.create(kind="importer.run", title="t", created_by=owner)
    progress = ProgressWriter(job.pk)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():
            progress(0, 300)
            progress(300, 300)  # the last call is never throttled
            with observer.cursor() as cursor:
                cursor.execute("SELECT done, total FROM jobs_job WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (300, 300)
            transaction.set_rollback(True)
    finally:
        progress.close()
        observer.close()


def test_a_large_output_is_stored_and_downloaded_in_parts(users, client, monkeypatch):
    from io import BytesIO

    from django.urls import reverse

    from shegong.jobs.models import JobOutputPart
    from shegong.jobs.services import job_output_store
    from shegong.testing import verified_login

    monkeypatch.setattr(JobOutputPart, "PART_SIZE", 1000)
    content = bytes(range(256)) * 10  # 2,560 bytes: three parts
    job = Job.objects.create(
        kind="x", title="t", created_by=users["county"], output_data=b"old", status=JobStatus.SUCCEEDED
    )
    assert job_output_store(job, name="人才统计-522301.xlsx", source=BytesIO(content)) == len(content)
    job.refresh_from_db()
    assert job.output_data is None and job.output_name == "人才统计-522301.xlsx"
    assert [len(p.data) for p in JobOutputPart.objects.filter(job=job).order_by("number")] == [
        1000,
        1000,
        560,
    ]
    # Stored again (a retried job): the parts are replaced, not added to.
    job_output_store(job, name="again.xlsx", source=BytesIO(content[:10]))
    assert JobOutputPart.objects.filter(job=job).count() == 1

    verified_login(client, users["county"])
    response = client.get(reverse("jobs:download", kwargs={"job_id": job.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content[:10]
    # Another user's job stays out of reach, parts or not.
    verified_login(client, users["county2"])
    assert client.get(reverse("jobs:download", kwargs={"job_id": job.pk})).status_code == 404

    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    call_command("prune_jobs")
    job.refresh_from_db()
    assert not JobOutputPart.objects.filter(job=job).exists() and job.output_name == ""
