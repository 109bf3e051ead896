"""Run by test_import_concurrency.py in a process of its own (the web process, as it were) on a file SQLite
database: queues an import for the worker process the test started (``people``: the people import;
``services``: the service-records ledger through the one import engine, lib/importer), and once the import
writes, has writer threads of another county open files through the API. Prints what happened as JSON."""

import json
import os
import sys
import threading
import time

from django.utils import timezone


def _service_ledger(rows: int) -> tuple[bytes, object]:
    """A service-records ledger of ``rows`` group services in 黄草街道 (522301001): its station, its social
    worker (张社工) and a shipped service item; every row a different service (day and duration), all counted
    into the same few monthly rollups, as a station's real ledger is. Returns (file, the counting queryset)."""
    import datetime as dt

    from django.test import override_settings

    from shegong.casework.models import Group, ServiceItem, ServiceRecord
    from shegong.lib.importer.tests.corpus import xlsx
    from shegong.network.tests.factories import make_facility
    from shegong.testing import make_user

    make_facility("522301001", name="黄草街道社会工作服务站")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        worker = make_user("zhang", "worker", "522301001")
    worker.full_name = "张社工"
    worker.save(update_fields=["full_name"])
    item = ServiceItem.objects.filter(region__isnull=True, active=True).order_by("pk").first()
    if item is None:  # the shipped menu is emptied by an earlier transactional test's flush
        item = ServiceItem.objects.create(group=Group.ELDERLY, name="生活照料")
    today = timezone.localdate()
    lines = [["服务日期", "小组名称", "服务项目", "社工", "服务时长", "人次"]]
    for n in range(rows):
        day = today - dt.timedelta(days=1 + n % 300)
        lines.append([day, f"长者小组{n % 7}", item.name, "张社工", f"{30 + n // 300}分钟", 1 + n % 9])
    return xlsx(lines), ServiceRecord.objects.filter(station__region__code__startswith="522301")


def main(rows: int, writers: int, writes_each: int, what: str = "people") -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from knox.models import AuthToken

    from shegong.accounts.roles import Role
    from shegong.clients.models import Person
    from shegong.clients.tests.factories import id_number
    from shegong.clients.tests.test_import_batches import _ledger, _person_row
    from shegong.jobs.models import Job, JobStatus, JobWrite
    from shegong.jobs.services import job_start
    from shegong.lib.importer.engine import IMPORT_KIND
    from shegong.regions.models import Level, Region
    from shegong.testing import make_user

    # The setup below is scaffolding, not what is measured: on busy cores it may wait longer than the cut busy
    # timeout for the worker's polling transaction, so its connection waits up to a minute. The writers' threads
    # open connections of their own, with the cut timeout.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 60000")

    def villages(county: str) -> list[str]:
        found = Region.objects.filter(code__startswith=county, level=Level.VILLAGE).order_by("code")
        return list(found.values_list("code", flat=True)[:25])

    theirs = villages("522302")[0]
    # The accounts only carry tokens here: hashed with the cheap hasher, so that on busy cores the setup does
    # not eat the time the import and the writes are given (the production hasher costs seconds each there).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        tokens = [
            AuthToken.objects.create(make_user(f"writer{i}", Role.ADMIN, "522302"))[1] for i in range(writers)
        ]
        importer = make_user("importer", Role.ADMIN, "522301")
    if what == "services":
        ledger, written = _service_ledger(rows)
        key, title = "casework.services", "服务台账"
    else:
        ledger = _ledger([_person_row(n, villages("522301")) for n in range(rows)])
        written = Person.objects.filter(region__code__startswith="522301")
        key, title = "clients.people", "台账"
    job = job_start(  # queued in the database; the worker process runs it
        actor=importer,
        kind=IMPORT_KIND,
        title=title,
        params={"ledger": key, "commit": True},
        input_name=f"{title}.xlsx",
        input_file=ledger,
    )
    started = time.monotonic()
    while not JobWrite.objects.filter(job=job).exists():  # the writes begin once the import writes
        finished = Job.objects.filter(pk=job.pk).exclude(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        if finished.exists():  # it ended before writing: say why, rather than wait
            done = finished.get()
            raise SystemExit(
                f"the import ended before writing: {done.status} {done.message} {done.result}"[:3000]
            )
        if time.monotonic() - started > 150:
            raise SystemExit("the import did not start writing within 150 s")
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
        "written": written.count(),
        "writes": results,
    }


if __name__ == "__main__":
    rows, writers, writes_each = (int(v) for v in sys.argv[1:4])
    print(json.dumps(main(rows, writers, writes_each, *sys.argv[4:5]), ensure_ascii=False))
