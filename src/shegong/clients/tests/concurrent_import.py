"""Run by test_import_concurrency.py in a process of its own (the web process, as it were) on a file SQLite
database: queues a people import for the worker process the test started, and once the import writes, has
writer threads of another county open files through the API. Prints what happened as JSON."""

import json
import os
import sys
import threading
import time


def main(rows: int, writers: int, writes_each: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from knox.models import AuthToken

    from shegong.accounts.roles import Role
    from shegong.clients.models import Person
    from shegong.clients.tests.factories import id_number
    from shegong.clients.tests.test_import_batches import _ledger, _person_row
    from shegong.jobs.models import Job, JobStatus, JobWrite
    from shegong.jobs.services import job_start
    from shegong.regions.models import Level, Region
    from shegong.testing import make_user

    def villages(county: str) -> list[str]:
        found = Region.objects.filter(code__startswith=county, level=Level.VILLAGE).order_by("code")
        return list(found.values_list("code", flat=True)[:25])

    theirs = villages("522302")[0]
    tokens = [
        AuthToken.objects.create(make_user(f"writer{i}", Role.ADMIN, "522302"))[1] for i in range(writers)
    ]
    importer = make_user("importer", Role.ADMIN, "522301")
    ledger = _ledger([_person_row(n, villages("522301")) for n in range(rows)])
    job = job_start(  # queued in the database; the worker process runs it
        actor=importer, kind="clients.person_import", title="台账", input_name="台账.xlsx", input_file=ledger
    )
    started = time.monotonic()
    while not JobWrite.objects.filter(job=job).exists():  # the writes begin once the import writes
        if time.monotonic() - started > 60:
            raise SystemExit("the import did not start writing")
        time.sleep(0.02)
    connection.close()

    results: list = []

    def write(token: str) -> None:
        client = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
        for _n in range(writes_each):
            body = {"name": "并发写入", "region": theirs, "id_number": id_number("19600101", "522302")}
            begun = time.monotonic()
            response = client.post("/api/v1/clients/", body, content_type="application/json")
            running = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists()
            results.append(
                {
                    "status": response.status_code,
                    "seconds": round(time.monotonic() - begun, 3),
                    "during_import": running,
                    "body": response.content.decode()[:200] if response.status_code != 201 else "",
                }
            )
            time.sleep(0.2)
        connection.close()

    threads = [threading.Thread(target=write, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    while Job.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        if time.monotonic() - started > 240:
            raise SystemExit("the import did not finish within 240 s")
        time.sleep(0.1)
    job.refresh_from_db()
    return {
        "import_seconds": round((job.finished_at - job.started_at).total_seconds(), 2),
        "import_status": job.status,
        "import_message": job.message,
        "people": Person.objects.filter(region__code__startswith="522301").count(),
        "writes": results,
    }


if __name__ == "__main__":
    rows, writers, writes_each = (int(v) for v in sys.argv[1:4])
    print(json.dumps(main(rows, writers, writes_each), ensure_ascii=False))
