"""Jobs whose worker died (jobs/recovery.py), the journal that takes back committed batches (jobs/journal.py),
and a busy database answered 503 (lib/busy.py). The real worker process is killed in test_worker_death.py."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from shegong.clients.models import Person
from shegong.clients.tests.factories import VILLAGE, make_person
from shegong.jobs import journal
from shegong.jobs.models import Job, JobStatus, JobWrite, job_files
from shegong.jobs.recovery import MAX_ATTEMPTS, recover_lapsed_jobs
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db


def _lapsed(user, kind: str, *, attempts: int = 1, **fields) -> Job:
    return Job.objects.create(
        kind=kind,
        title="t",
        created_by=user,
        status=JobStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=10),
        lease_until=timezone.now() - dt.timedelta(seconds=1),
        attempts=attempts,
        **fields,
    )


def test_a_job_whose_lease_holds_is_left_running(users):
    job = _lapsed(users["county"], "importer.run", params={"ledger": "clients.people"})
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert recover_lapsed_jobs() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_a_lapsed_import_is_failed_on_its_page_and_its_upload_deleted(users, client):
    job = _lapsed(
        users["county"],
        "importer.run",
        params={"ledger": "clients.people", "commit": True},
        input_file=ContentFile(b"ID numbers", "x.xlsx"),
    )
    name = job.input_file.name
    verified_login(client, users["county"])
    page = client.get(reverse("jobs:list"))
    assert "处理任务的进程已中断" in page.content.decode()  # looking at the list: the job says what happened
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.input_file and not job_files().exists(name)
    detail = client.get(reverse("jobs:detail", kwargs={"job_id": job.pk})).content.decode()
    assert "处理任务的进程已中断" in detail and "请重新上传" in detail
    # The job's one audit row, which the dead worker could not write, says it failed.
    [row] = [e.additional_data for e in LogEntry.objects.filter(object_pk=str(job.pk))]
    assert (row["event"], row["outcome"]) == ("import", "failure")


def test_a_lapsed_export_is_run_again_once(users, django_capture_on_commit_callbacks):
    make_person(code=VILLAGE)
    job = _lapsed(users["county"], "lists.export", params={"list": "clients.people", "filters": {}})
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_lapsed_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and job.output_name
    assert job.lease_until is None


def test_an_export_that_lost_its_worker_twice_is_failed(users, django_capture_on_commit_callbacks):
    job = _lapsed(users["county"], "lists.export", params={"list": "clients.people"}, attempts=MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recover_lapsed_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "中断" in job.message and callbacks == []


def test_the_journal_takes_back_inserted_and_updated_rows_as_they_were_stored(users):
    kept = make_person(code=VILLAGE, name="原名", phone="13800000000")
    stored_before = Person.objects.filter(pk=kept.pk).values_list("id_number_hash", "phone_hash").get()
    before = (kept.name, kept.address, kept.phone, kept.birth_date, kept.id_number)
    job = Job.objects.create(kind="importer.run", title="t", created_by=users["county"])
    log = journal.Journal(job)
    log.before_update(Person, [kept.pk])
    Person.objects.filter(pk=kept.pk).update(name="改名", address="新址", birth_date=dt.date(1990, 1, 1))
    kept.refresh_from_db()
    kept.phone = "13900000000"
    kept.save()
    added = make_person(code=VILLAGE, name="新档")
    log.inserted(Person, [added.pk])

    assert journal.undo(job) == 2
    assert not Person.objects.filter(pk=added.pk).exists()
    restored = Person.objects.get(pk=kept.pk)
    assert (
        restored.name,
        restored.address,
        restored.phone,
        restored.birth_date,
        restored.id_number,
    ) == before
    assert before[:3] == ("原名", "", "13800000000")
    assert (
        Person.objects.filter(pk=kept.pk).values_list("id_number_hash", "phone_hash").get() == stored_before
    )
    assert not JobWrite.objects.filter(job=job).exists()


def test_a_busy_database_answers_503_in_chinese_on_the_api_and_the_pages(users, client, monkeypatch):
    from shegong.clients import services
    from shegong.jobs import views

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "person_create", locked)
    _instance, token = AuthToken.objects.create(users["county"])
    response = client.post(
        "/api/v1/clients/",
        {"name": "王芳", "region": VILLAGE},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["message"].startswith("系统繁忙，请稍后重试")

    monkeypatch.setattr(views, "job_list", locked)
    verified_login(client, users["county"])
    page = client.get(reverse("jobs:list"))
    assert page.status_code == 503 and "系统繁忙，请稍后重试" in page.content.decode()
