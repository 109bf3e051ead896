"""A job whose worker dies mid-import (issue 13, item 2): a real `shegong db_worker` process is started on
the test database, killed with SIGKILL while it writes a people ledger (the engine's ``clients.people``), and the job page is then looked at.
Nothing is half-written, the job is failed with a message saying what happened, and the upload is deleted.

Marked ``processes``: each test starts a worker process (about 10 s). On SQLite the in-memory test database
is copied to a file for the worker and back afterwards (sqlite3's backup API)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import shegong
from shegong.accounts.roles import Role
from shegong.clients.models import Person
from shegong.clients.tests.test_import_batches import _ledger, _person_row
from shegong.jobs.models import Job, JobStatus, JobWrite, job_files
from shegong.jobs.services import job_start
from shegong.regions.models import Level, Region
from shegong.testing import make_user, verified_login

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

ROWS = 8000  # long enough that the worker is killed between its first batch and its last (written in bulk)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DEADLINE = 25  # seconds for the worker to get into the write


@pytest.fixture
def _sqlite_restored(transactional_db, tmp_path):
    """SQLite: the in-memory database as it was before the test, put back before pytest-django's flush,
    which cannot delete the audit rows the test leaves (the audit table is append-only by trigger)."""
    if connection.vendor != "sqlite":
        yield
        return
    snapshot = sqlite3.connect(tmp_path / "before.sqlite3")
    connection.ensure_connection()
    connection.connection.backup(snapshot)
    yield
    snapshot.backup(connection.connection)
    snapshot.close()


def _jurisdiction() -> list[str]:
    """The regions the import needs (a transactional test cannot count on the session's divisions)."""
    parent = None
    for code, level in (("52", Level.PROVINCE), ("5223", Level.PREFECTURE), ("522301", Level.COUNTY)):
        parent, _ = Region.objects.get_or_create(
            code=code, defaults={"name": code, "level": level, "parent": parent}
        )
    township, _ = Region.objects.get_or_create(
        code="522301001", defaults={"name": "街道", "level": Level.TOWNSHIP, "parent": parent}
    )
    villages = []
    for n in range(1, 4):
        village, _ = Region.objects.get_or_create(
            code=f"522301001{n:03d}", defaults={"name": f"村{n}", "level": Level.VILLAGE, "parent": township}
        )
        villages.append(village.code)
    return villages


def _start_worker(database_url: str, data_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "SHEGONG_DEMO": "1",  # keys derived as in the tests (from the same demo SECRET_KEY)
        "DATABASE_URL": database_url,
        "JOB_FILES_DIR": settings.STORAGES["jobs"]["OPTIONS"]["location"],
        "JOB_LEASE_SECONDS": "2",
        "SHEGONG_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(Path(shegong.__file__).resolve().parent.parent),
    }
    env.pop("REDIS_URL", None)
    # The production settings, as a deployed worker has them (the test settings put jobs in-process).
    env.pop("SHEGONG_TESTING", None)
    env["DJANGO_SETTINGS_MODULE"] = "shegong.settings"
    command = [sys.executable, "-m", "shegong", "db_worker", "--interval", "0.1", "--no-startup-delay"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(condition, worker: subprocess.Popen) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        if worker.poll() is not None:
            pytest.fail("the worker ended by itself: " + worker.stderr.read().decode()[-2000:])
        if time.monotonic() > end:
            pytest.fail("the worker did not get into the import in time")
        time.sleep(0.05)


def _kill(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)


def _queue_import(owner) -> Job:
    villages = _jurisdiction()
    rows = [_person_row(n, villages) for n in range(ROWS)]
    with override_settings(TASKS=DB_TASKS):  # queued in the database table the worker reads
        return job_start(
            actor=owner,
            kind="importer.run",
            title="台账",
            params={"ledger": "clients.people", "commit": True},
            input_name="台账.xlsx",
            input_file=_ledger(rows),
        )


def _sqlite_run_and_kill(job: Job, tmp_path: Path) -> None:
    """Copy the in-memory test database to a file, let a worker write part of the import there, kill it, and
    copy the file back."""
    assert connection.is_in_memory_db()
    shared = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(shared)
    connection.connection.backup(target)
    # WAL now, while one connection has the file: switching needs it alone, and the processes start at once.
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    worker = _start_worker(f"sqlite:///{shared}", tmp_path)
    peek = sqlite3.connect(shared, timeout=10)
    try:
        # A batch is committed (its journal rows are there) and the progress written since (throttled to two a
        # second, so it may lag the first batch by half a second).
        _wait(
            lambda: (
                peek.execute("SELECT count(*) FROM jobs_jobwrite").fetchone()[0] > 0
                and peek.execute("SELECT done FROM jobs_job").fetchone()[0] > 0
            ),
            worker,
        )
        _kill(worker)
        # Batches were committed before the kill: the journal is what will take them back.
        assert peek.execute("SELECT count(*) FROM clients_person").fetchone()[0] > 0
        assert peek.execute("SELECT status FROM jobs_job").fetchone()[0] == JobStatus.RUNNING
    finally:
        peek.close()
        if worker.poll() is None:
            _kill(worker)
    source = sqlite3.connect(shared)
    source.backup(connection.connection)
    source.close()


def _postgresql_run_and_kill(job: Job, tmp_path: Path) -> None:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    worker = _start_worker(url, tmp_path)
    try:
        # Checked (the first half of the progress) and past the first batch: rows are written (uncommitted, the
        # import is one transaction) when it dies.
        _wait(lambda: Job.objects.values_list("done", flat=True).get(pk=job.pk) > ROWS + 500, worker)
        _kill(worker)
    finally:
        if worker.poll() is None:
            _kill(worker)


@override_settings(JOB_LEASE_SECONDS=2)
def test_a_killed_worker_leaves_nothing_half_written_and_the_job_says_what_happened(
    _sqlite_restored, client, tmp_path
):
    _jurisdiction()
    owner = make_user("killed-import-owner", Role.ADMIN, "522301")
    job = _queue_import(owner)
    upload = job.input_file.name
    assert job_files().exists(upload)

    if connection.vendor == "sqlite":
        _sqlite_run_and_kill(job, tmp_path)
    else:
        _postgresql_run_and_kill(job, tmp_path)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.done > 0  # as the dead worker left it
    while job.lease_until >= timezone.now():  # nobody renews it any more
        time.sleep(0.2)

    verified_login(client, owner)
    page = client.get(reverse("jobs:detail", kwargs={"job_id": job.pk}))
    assert page.status_code == 200
    assert "处理任务的进程已中断" in page.content.decode()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "请重新上传" in job.message
    assert not Person.objects.exists()  # nothing half-written
    assert not JobWrite.objects.exists()
    assert not job.input_file and not job_files().exists(upload)
