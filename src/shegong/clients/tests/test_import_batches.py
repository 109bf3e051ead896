"""The people ledger (``clients.people``) on the one import engine, written a batch of rows at a time through
the people service's bulk write (services.people_import_many): these tests use ledgers longer than a batch to
pin what must hold across batches (all or nothing, one file per ID number, updates, the audit row, the short
journaled transactions of SQLite taken back when a later batch fails) and that the number of queries grows
with the batches, not with the rows."""

import datetime as dt
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook

from shegong.casework.tests.factories import assert_rollups_current
from shegong.clients import services
from shegong.clients.ledgers_people import PeopleLedger
from shegong.clients.models import Person
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, VILLAGE, id_number, make_person
from shegong.jobs.models import Job, JobWrite
from shegong.jobs.registry import HANDLERS
from shegong.lib.importer import engine
from shegong.lib.importer.engine import IMPORT_KIND
from shegong.lib.importer.ledger import ledger_get
from shegong.regions.models import Level, Region

pytestmark = pytest.mark.django_db

LEDGER = "clients.people"


def _headers() -> dict[str, str]:
    with override("zh-hans"):
        return {f.key: str(f.label) for f in ledger_get(LEDGER).fields}


def _ledger(rows: list[dict], write_only: bool = True) -> bytes:
    """The sheet as the engine's template has it."""
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


def _run(user, rows: list[dict], progress=None, write_only: bool = True, **params) -> tuple[dict, Job]:
    """The engine's job (with its audit row), checked and written at once as a confirmed import is."""
    job = Job.objects.create(
        kind=IMPORT_KIND,
        title="test",
        created_by=user,
        params={"ledger": LEDGER, "commit": True, **params},
        input_name="ledger.xlsx",
        input_file=ContentFile(_ledger(rows, write_only), "ledger.xlsx"),
    )
    with override("zh-hans"):
        result = HANDLERS[IMPORT_KIND](job, progress or (lambda done, total: None))
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
    assert (result["created"], result["updated"], result["written"]) == (2097, 3, 2100)
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
    monkeypatch.setattr(PeopleLedger, "batch_size", 100)
    villages = _villages()
    with CaptureQueriesContext(connection) as small:
        assert _run(users["county"], [_person_row(n, villages) for n in range(200)])[0]["ok"]
    with CaptureQueriesContext(connection) as large:
        assert _run(users["county"], [_person_row(n, villages) for n in range(1000, 1800)])[0]["ok"]
    # Eight batches instead of two. A batch asks for the category table, inserts the files (one statement on
    # PostgreSQL; SQLite takes a few rows a statement) and journals them on SQLite; the import recounts the
    # villages once.
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
    monkeypatch.setattr(PeopleLedger, "batch_size", 100)
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
    monkeypatch.setattr(engine, "ERRORS_SHOWN", 10)
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
    born = timezone.localdate() - dt.timedelta(days=365 * 8)
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


def test_every_error_of_a_row_is_reported_in_one_pass(users):
    """The consent of an under-14 is reported beside an unknown category and a bad village, not after them."""
    born = timezone.localdate() - dt.timedelta(days=365 * 8)
    rows = [
        {
            "name": "小红",
            "id_number": id_number(f"{born:%Y%m%d}"),
            "region": "没有这个村",
            "categories": "外星人",
        }
    ]
    result, _job = _run(users["county"], rows)
    h = _headers()
    assert {e["column"] for e in result["errors"]} == {
        h["region"],
        h["categories"],
        h["guardian_name"],
        h["guardian_consent"],
    }
    assert not Person.objects.exists()


def test_a_row_without_an_id_number_never_merges_silently_into_a_namesake(users):
    """The same name in the same village without an ID number (on file, or twice in the file) is held with a
    message until 同名处理 says whether it is the same person or another one."""
    on_file = make_person(code=VILLAGE, name="流浪人员乙", id_number="", address="桥下")
    rows = [{"name": "流浪人员乙", "region": VILLAGE, "address": "车站"}]
    result, _job = _run(users["county"], rows)
    assert result["ok"] is False
    [error] = result["errors"]
    assert error["column"] == _headers()["name"] and "同名处理" in error["message"]
    on_file.refresh_from_db()
    assert on_file.address == "桥下" and Person.objects.count() == 1

    rows[0]["namesake"] = "同一人"
    result, _job = _run(users["county"], rows)
    assert result["ok"] and (result["created"], result["updated"]) == (0, 1), result
    on_file.refresh_from_db()
    assert on_file.address == "车站" and Person.objects.count() == 1

    rows[0].update(namesake="另一人", address="新址")
    result, _job = _run(users["county"], rows)
    assert result["ok"] and (result["created"], result["updated"]) == (1, 0), [
        (e["column"], e["message"]) for e in result["errors"]
    ]
    assert Person.objects.filter(name="流浪人员乙").count() == 2

    twice = [
        {"name": "流浪人员丙", "region": VILLAGE, "categories": "流浪乞讨"},
        {"name": "流浪人员丙", "region": VILLAGE, "address": "桥下"},
    ]
    result, _job = _run(users["county"], twice)
    assert result["ok"] is False
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, _headers()["name"])]
    assert not Person.objects.filter(name="流浪人员丙").exists()


def test_a_row_without_an_id_number_imported_again_is_skipped(users):
    rows = [{"name": "流浪人员丁", "region": VILLAGE, "categories": "流浪乞讨"}]
    first, _job = _run(users["county"], rows)
    assert first["ok"] and first["created"] == 1
    again, _job = _run(users["county"], rows)
    assert again["ok"] and again["already"] == 1 and again["written"] == 0, again
    assert Person.objects.filter(name="流浪人员丁").count() == 1


def test_villages_by_name_with_their_township_and_categories_mapped_once(users):
    """黄草 is found by name (its township disambiguates), a number-typed ID is refused with its own message,
    and 困境儿童 is mapped to a category of the table."""
    from shegong.clients.models import Category

    village = Region.objects.get(code=VILLAGE)
    target = Category.objects.get(name="低保")
    rows = [
        _person_row(1, [VILLAGE], region=village.name + "村民委员会", township=village.parent.name),
        _person_row(2, [VILLAGE], categories="困境儿童"),
    ]
    result, _job = _run(users["county"], rows)
    assert result["ok"] is False
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, _headers()["categories"])]
    assert result["unknown_values"][0]["value"] == "困境儿童"
    result, _job = _run(
        users["county"], rows, mapping={"values": {"categories": {"困境儿童": str(target.pk)}}}
    )
    assert result["ok"], result
    assert set(Person.objects.values_list("region_id", flat=True)) == {VILLAGE}
    assert [
        c.name
        for c in Person.objects.get(id_number_hash__isnull=False, name=rows[1]["name"]).categories.all()
    ] == ["低保"]


def test_an_id_number_typed_as_a_number_is_never_stored(users):
    rows = [_person_row(1, [VILLAGE])]
    rows[0]["id_number"] = float(rows[0]["id_number"][:17] + "0")  # Excel's number: the last digits lost
    result, _job = _run(users["county"], rows)
    assert result["ok"] is False
    [error] = result["errors"]
    assert error["column"] == _headers()["id_number"] and "Excel" in error["message"]
    assert not Person.objects.exists()


def test_progress_is_reported_as_the_sheet_is_read_and_written(users):
    calls = []
    rows = [_person_row(n, _villages()) for n in range(1200)]
    _run(users["county"], rows, lambda d, t: calls.append((d, t)), write_only=False)
    assert len(calls) > 3
    assert calls[-1] == (2400, 2400)  # checking is the first half, writing the second
    assert [d / t for d, t in calls] == sorted(d / t for d, t in calls)


def test_a_failure_in_a_later_batch_takes_back_every_batch_written(users, monkeypatch):
    """SQLite writes a batch per short transaction, journaled; PostgreSQL one transaction. Either way a failure
    while writing the third batch leaves no file, no category and no count of the import."""
    from shegong.clients.models import PeopleCount

    monkeypatch.setattr(PeopleLedger, "batch_size", 100)
    villages = _villages()
    on_file = make_person(code=villages[0], id_number=_person_row(20, villages)["id_number"], address="旧址")
    counts = sorted(PeopleCount.objects.values_list("region_id", "risk_level", "category_id", "n"))
    calls = []
    real = services.people_import_many

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(services, "people_import_many", failing)
    rows = [_person_row(n, villages, categories="低保") for n in range(300)]
    with pytest.raises(RuntimeError):
        _run(users["county"], rows)
    assert list(Person.objects.all()) == [on_file]
    on_file.refresh_from_db()
    assert on_file.address == "旧址" and not on_file.categories.exists()
    assert sorted(PeopleCount.objects.values_list("region_id", "risk_level", "category_id", "n")) == counts
    assert not JobWrite.objects.exists()


def test_imported_files_carry_their_visit_status_as_files_made_on_the_page_do(users, monkeypatch):
    from shegong.clients import visiting

    monkeypatch.setattr(PeopleLedger, "batch_size", 50)
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

    monkeypatch.setattr(PeopleLedger, "batch_size", 40)
    villages = _villages()
    moved = make_person(code=villages[0], id_number=_person_row(5, villages)["id_number"], risk_level="key")
    rows = [_person_row(n, villages, categories="低保" if n % 3 else "") for n in range(120)]
    rows[5]["region"] = villages[3]  # the file on record moves village
    result, _job = _run(users["county"], rows)
    assert result["ok"] and result["updated"] == 1
    moved.refresh_from_db()
    assert moved.region_id == villages[3]
    assert_rollups_current()


def test_a_namesake_held_in_valid_rows_mode_is_answered_in_the_browser(users):
    """ "Write the valid rows and hold the rest": the namesake row is held with the column 同名处理 to answer (the
    file had none), and answering 另一人 opens the new file, credited to its import."""
    from shegong.lib.importer.engine import held_row_correct
    from shegong.lib.importer.models import HeldRow

    make_person(code=VILLAGE, name="流浪人员戊", id_number="")
    rows = [_person_row(1, [VILLAGE]), {"name": "流浪人员戊", "region": VILLAGE, "address": "车站"}]
    headers = _headers()
    data = Workbook()
    data.active.append([headers[k] for k in ("name", "id_number", "region", "address")])
    for row in rows:
        data.active.append([row.get(k, "") for k in ("name", "id_number", "region", "address")])
    buffer = BytesIO()
    data.save(buffer)
    job = Job.objects.create(
        kind=IMPORT_KIND,
        title="test",
        created_by=users["county"],
        params={"ledger": LEDGER, "commit": True, "mode": "valid_rows"},
        input_name="ledger.xlsx",
        input_file=ContentFile(buffer.getvalue(), "ledger.xlsx"),
    )
    with override("zh-hans"):
        result = HANDLERS[IMPORT_KIND](job, lambda done, total: None)
    assert result["ok"] and (result["created"], result["held"]) == (1, 1), result
    held = HeldRow.objects.get()
    assert "namesake" in held.columns and held.row == 3
    with override("zh-hans"):
        errors = held_row_correct(
            actor=users["county"],
            held=held,
            cells={"name": "流浪人员戊", "region": VILLAGE, "address": "车站", "namesake": "另一人"},
        )
    assert errors == []
    assert Person.objects.filter(name="流浪人员戊").count() == 2 and not HeldRow.objects.exists()
