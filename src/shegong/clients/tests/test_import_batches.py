"""The people ledger is read and written a batch of rows at a time: these tests use ledgers longer than a
batch to pin what must hold across batches (all or nothing, one file per ID number, updates, audit) and
that the number of queries grows with the batches, not with the rows."""

import datetime as dt
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override
from openpyxl import Workbook

from shegong.clients import imports
from shegong.clients.imports import person_columns, person_import
from shegong.clients.models import Person
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, VILLAGE, id_number, make_person
from shegong.jobs.journal import short_transactions
from shegong.jobs.models import Job
from shegong.regions.models import Level, Region

pytestmark = pytest.mark.django_db


def _headers() -> dict[str, str]:
    with override("zh-hans"):
        return {c.key: c.header for c in person_columns()}


def _ledger(rows: list[dict], write_only: bool = True) -> bytes:
    """The sheet as the template has it. Write-only workbooks (fast to build) carry no dimension, so a reader
    cannot know their length in advance; Excel's own files do."""
    headers = _headers()
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    sheet.append(list(headers.values()))
    for row in rows:
        sheet.append([row.get(key, "") for key in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _villages() -> list[str]:
    return list(
        Region.objects.filter(code__startswith="522301", level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)[:25]
    )


def _person_row(n: int, villages: list[str], **values) -> dict:
    """Row ``n`` of a generated ledger: a distinct adult with a valid ID number (born in Beijing, so never
    the same as the factories' numbers)."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=n)
    return {
        "name": "测试" + "秀英桂兰玉凤建华明国"[n % 10],
        "id_number": id_number(f"{born:%Y%m%d}", "110101", serial=7),
        "region": villages[n % len(villages)],
        "address": f"{n % 80 + 1}号",
        **values,
    }


def _run(user, rows: list[dict], progress=None, write_only: bool = True) -> tuple[dict, Job]:
    job = Job.objects.create(
        kind="clients.person_import",
        title="test",
        created_by=user,
        input_file=ContentFile(_ledger(rows, write_only), "ledger.xlsx"),
    )
    with override("zh-hans"):
        result = person_import(job, progress or (lambda done, total: None))
    return result, job


def _import_events(job: Job) -> list[dict]:
    return [
        e.additional_data
        for e in LogEntry.objects.filter(object_pk=str(job.pk)).order_by("pk")
        if (e.additional_data or {}).get("event") == "import"
    ]


def test_a_bad_row_near_the_end_of_a_long_ledger_writes_nothing_and_is_reported(users):
    villages = _villages()
    rows = [_person_row(n, villages) for n in range(2500)]
    rows[2397]["risk_level"] = "重点"  # Excel row 2,399: a key risk level needs its reason
    result, job = _run(users["county"], rows)
    assert result["ok"] is False
    assert result["error_count"] == 1
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2399, _headers()["risk_reason"])]
    # The first two batches had been written before the third found the error: rolled back with the rest.
    # The refused import is on record, once, as a failure.
    assert not Person.objects.exists()
    [event] = _import_events(job)
    assert (event["outcome"], event["error_count"], event["rows"]) == ("failure", 1, 2500)


def test_an_id_number_twice_in_a_ledger_longer_than_a_batch_is_reported_on_its_second_row(users):
    villages = _villages()
    rows = [_person_row(n, villages) for n in range(1500)]
    rows[1300]["id_number"] = rows[3]["id_number"]
    result, _job = _run(users["county"], rows)
    assert result["ok"] is False
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(1302, _headers()["id_number"])]
    assert "5" in result["errors"][0]["message"]  # names the row it first appeared on
    assert not Person.objects.exists()


def test_files_on_record_are_updated_across_batches_and_a_second_import_changes_nothing(users):
    villages = _villages()
    rows = [_person_row(n, villages) for n in range(2100)]
    on_file = {}
    for n in (10, 1050, 2050):
        on_file[n] = make_person(
            code=villages[0], name="旧名", id_number=rows[n]["id_number"], categories=["特困"], address="旧址"
        )
        rows[n]["categories"] = "低保"
    result, _job = _run(users["county"], rows)
    assert result["ok"], result
    assert (result["created"], result["updated"]) == (2097, 3)
    assert Person.objects.count() == 2100
    for n, person in on_file.items():
        person.refresh_from_db()
        assert (person.name, person.address, person.region_id) == (
            rows[n]["name"],
            rows[n]["address"],
            rows[n]["region"],
        )
        assert {c.name for c in person.categories.all()} == {"特困", "低保"}  # added, none removed

    stamps = dict(Person.objects.values_list("pk", "updated_at"))
    again, job = _run(users["county"], rows)
    assert again["ok"] and (again["created"], again["updated"]) == (0, 2100)
    assert Person.objects.count() == 2100
    assert dict(Person.objects.values_list("pk", "updated_at")) == stamps  # nothing rewritten
    [event] = _import_events(job)
    assert (event["changed_fields"], event["categories_added"], event["updated"]) == ([], 0, 2100)


def test_the_number_of_queries_grows_with_the_batches_not_the_rows(users, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 100)
    villages = _villages()
    with CaptureQueriesContext(connection) as small:
        assert _run(users["county"], [_person_row(n, villages) for n in range(200)])[0]["ok"]
    with CaptureQueriesContext(connection) as large:
        assert _run(users["county"], [_person_row(n, villages) for n in range(1000, 1800)])[0]["ok"]
    # Eight batches instead of two. A batch asks for the files on record, new village codes, inserts (one
    # statement on PostgreSQL; SQLite takes 30 rows a statement), categories, and recounts
    # the villages it touched (lock, delete, two counts, insert: clients/tallies.py).
    per_batch = (len(large) - len(small)) / 6
    assert per_batch <= 18, [q["sql"][:80] for q in large.captured_queries]
    assert len(large) < 800 / 5


def _ids(ranges: str) -> list[int]:
    ids = []
    for part in filter(None, ranges.split(",")):
        first, _dash, last = part.partition("-")
        ids.extend(range(int(first), int(last or first) + 1))
    return ids


def test_an_import_of_several_batches_leaves_one_audit_event_naming_every_file_it_wrote(users, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 100)
    villages = _villages()
    existing = make_person(code=villages[0], id_number=_person_row(150, villages)["id_number"])
    result, job = _run(users["county"], [_person_row(n, villages) for n in range(250)])
    assert result["ok"] and (result["created"], result["updated"]) == (249, 1)
    assert "audit" not in result  # the ids go to the audit row, not into the job's stored result
    [event] = _import_events(job)
    assert sorted(_ids(event["files_opened"])) == sorted(
        Person.objects.exclude(pk=existing.pk).values_list("pk", flat=True)
    )
    assert _ids(event["files_updated"]) == [existing.pk]
    assert (event["outcome"], event["created"], event["updated"], event["rows"]) == ("success", 249, 1, 250)


def test_every_error_is_counted_but_the_list_is_capped(users, monkeypatch):
    monkeypatch.setattr(imports, "ERROR_LIMIT", 10)
    villages = _villages()
    rows = [_person_row(n, villages, region="522301") for n in range(30)]  # a county, not a village
    result, _job = _run(users["county"], rows)
    assert result["ok"] is False
    assert result["error_count"] == 30 and len(result["errors"]) == 10
    assert {e["column"] for e in result["errors"]} == {_headers()["region"]}


def test_a_file_on_record_in_another_jurisdiction_is_refused(users):
    number = id_number("19500303")
    make_person(code=OTHER_COUNTY_VILLAGE, id_number=number)
    rows = [_person_row(n, _villages()) for n in range(3)]
    rows[1]["id_number"] = number
    result, _job = _run(users["county"], rows)
    assert result["ok"] is False
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, _headers()["id_number"])]
    assert Person.objects.count() == 1


def test_a_child_needs_the_guardian_and_consent_as_on_the_page(users):
    born = dt.date.today() - dt.timedelta(days=365 * 8)
    rows = [{"name": "小明", "id_number": id_number(f"{born:%Y%m%d}"), "region": VILLAGE}]
    result, _job = _run(users["county"], rows)
    assert {e["column"] for e in result["errors"]} == {
        _headers()["guardian_name"],
        _headers()["guardian_consent"],
    }
    rows[0].update(
        guardian_name="王芳",
        guardian_relation="母亲",
        guardian_consent="是",
        guardian_consent_on="2025-01-02",
    )
    result, _job = _run(users["county"], rows)
    assert result["ok"], result
    child = Person.objects.get()
    assert child.guardian_consent and child.sex and child.birth_date == born


def test_people_without_an_id_number_met_twice_share_one_file(users):
    rows = [
        {"name": "流浪人员乙", "region": VILLAGE, "categories": "流浪乞讨"},
        {"name": "流浪人员乙", "region": VILLAGE, "address": "桥下"},
    ]
    result, _job = _run(users["county"], rows)
    assert result["ok"] and (result["created"], result["updated"]) == (1, 1), result
    person = Person.objects.get()
    assert person.address == "桥下" and [c.name for c in person.categories.all()] == ["流浪乞讨"]


def test_progress_is_reported_as_the_sheet_is_read(users):
    calls = []
    rows = [_person_row(n, _villages()) for n in range(1200)]
    _run(users["county"], rows, lambda d, t: calls.append((d, t)), write_only=False)
    assert len(calls) > 3
    passes = 2 if short_transactions() else 1  # SQLite reads the sheet twice: to check it, then to write it
    assert {t for _d, t in calls} == {1200 * passes}
    assert calls[-1] == (1200 * passes, 1200 * passes)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)


def test_imported_files_carry_their_visit_status_as_files_made_on_the_page_do(users, monkeypatch):
    from shegong.clients import visiting

    monkeypatch.setattr(imports, "BATCH_ROWS", 50)
    villages = _villages()
    rows = [_person_row(n, villages, risk_level="重点", risk_reason="独居") for n in range(120)]
    on_file = make_person(code=villages[0], id_number=rows[60]["id_number"])
    rows[60]["categories"] = "特困"
    assert _run(users["county"], rows)[0]["ok"]
    assert not visiting.stale_visit_status().exists()
    on_file.refresh_from_db()
    assert on_file.visit_interval is not None and on_file.risk_level == "key"


def test_an_import_leaves_every_rollup_current(users, monkeypatch):
    """Files created, moved to another village and re-categorised by an import: the per-village counts and
    the visit status are what a rebuild from the files gives."""
    from shegong.casework import rollups

    monkeypatch.setattr(imports, "BATCH_ROWS", 40)
    villages = _villages()
    moved = make_person(code=villages[0], id_number=_person_row(5, villages)["id_number"], risk_level="key")
    rows = [_person_row(n, villages, categories="低保" if n % 3 else "") for n in range(120)]
    rows[5]["region"] = villages[3]  # the file on record moves village
    result, _job = _run(users["county"], rows)
    assert result["ok"] and result["updated"] == 1
    moved.refresh_from_db()
    assert moved.region_id == villages[3]
    assert rollups.check_all() == {"service_months": 0, "people_counts": 0, "people": 0}
