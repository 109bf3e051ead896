"""Excel in and out: the people ledger imported all or nothing through the import engine's pages, the export
masked and safe from formulas, and the roster check."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string

from shegong.clients.imports import roster_columns
from shegong.clients.models import Person
from shegong.clients.tests.factories import id_number, make_person, make_visit
from shegong.jobs.models import Job
from shegong.lib.importer.ledger import ledger_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_run_at_once")]

PEOPLE_KEYS = ["name", "id_number", "region", "categories", "risk_level", "risk_reason"]


def _headers_of(columns_function) -> dict[str, str]:
    with override("zh-hans"):
        return {c.key: c.header for c in columns_function()}


def _sheet(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, capture=None) -> Job:
    """The people import page (the engine's page for the ledger): upload, check, then confirm; the last job.
    ``capture`` (django_capture_on_commit_callbacks) runs each job as its request commits."""
    from contextlib import nullcontext

    from django.core.files.uploadedfile import SimpleUploadedFile

    at_once = (lambda: capture(execute=True)) if capture else nullcontext
    page = client.get(reverse("clients:person_import"))
    assert page.status_code == 302 and page["Location"].endswith("?ledger=clients.people")
    with at_once():
        response = client.post(
            reverse("importer:index"),
            {
                "ledger": "clients.people",
                "mode": "all_or_nothing",
                "file": SimpleUploadedFile("ledger.xlsx", data),
            },
            format="multipart",
        )
    assert response.status_code == 302, response.content.decode()[:500]
    checked = Job.objects.latest("created_at")
    if checked.result.get("ok"):
        with at_once():
            client.post(reverse("importer:confirm", args=[checked.pk]))
    return Job.objects.latest("created_at")


def _headers(client) -> list[str]:
    response = client.get(reverse("clients:person_template"))
    assert response.status_code == 302
    workbook = load_workbook(BytesIO(client.get(response["Location"]).content))
    return [c.value for c in workbook.worksheets[0][1]]


def _people_headers() -> dict[str, str]:
    with override("zh-hans"):
        return {f.key: str(f.label) for f in ledger_get("clients.people").fields}


@pytest.fixture
def ledger(users, login):
    client = login(users["worker"])
    headers = _headers(client)

    by_key = _people_headers()
    assert set(by_key.values()) == set(headers)  # the template's header is the ledger's, and nothing else

    def rows_to_bytes(rows):
        full = []
        for row in rows:
            values = {by_key[k]: v for k, v in zip(PEOPLE_KEYS, row, strict=False)}
            full.append([values.get(h, "") for h in headers])
        return _sheet(headers, full)

    return client, rows_to_bytes


def test_importing_the_same_ledger_twice_creates_no_duplicates(ledger):
    client, sheet = ledger
    rows = [
        ["张大爷", id_number("19400101"), "522301001001", "低保、独居", "重点", "独居高龄"],
        ["李奶奶", id_number("19420202"), "522301001002", "特困", "关注", "失能"],
        ["流浪人员甲", "", "522301001001", "流浪乞讨", "一般", ""],
    ]
    data = sheet(rows)
    first = _upload(client, data)
    assert first.result["ok"] and first.result["commit"], first.result
    assert first.result["created"] == 3
    second = _upload(client, data)
    # The files with an ID number are met again (nothing changes); the row without one was imported before.
    assert second.result["ok"] and second.result["created"] == 0 and second.result["updated"] == 2
    assert second.result["already"] == 1
    assert Person.objects.count() == 3
    zhang = Person.objects.get(name="张大爷")
    assert {c.name for c in zhang.categories.all()} == {"低保", "独居"} and zhang.risk_level == "key"


def test_a_ledger_with_bad_rows_writes_nothing_and_names_every_bad_row(ledger):
    client, sheet = ledger
    rows = [
        ["好人", id_number("19400101"), "522301001001", "低保", "一般", ""],
        ["错号", "522301194001011235", "522301001001", "", "一般", ""],
        ["怪类", id_number("19400303"), "522301001001", "外星人", "一般", ""],
        ["外乡", id_number("19400404"), "522301002001", "", "一般", ""],
        ["缺理由", id_number("19400505"), "522301001001", "", "重点", ""],
    ]
    job = _upload(client, sheet(rows))
    assert job.result["ok"] is False and not job.result["commit"]
    assert not Person.objects.exists()
    h = _people_headers()
    bad_rows = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert bad_rows == {(3, h["id_number"]), (4, h["categories"]), (5, h["region"]), (6, h["risk_reason"])}
    page = client.get(reverse("importer:detail", args=[job.pk])).content.decode()
    assert "第5行" in page or "5" in page


def test_the_export_masks_what_the_exporter_may_not_see_and_neutralises_formulas(users, login):
    number = id_number()
    make_person(id_number=number, phone="13800001234", address='=HYPERLINK("http://x")')
    from shegong.jobs.registry import HANDLERS
    from shegong.jobs.selectors import job_output_pieces

    # A large export runs as the one export job of lists; its file is stored in parts.
    params = {"list": "clients.people", "filters": {}}
    leader_job = Job.objects.create(kind="lists.export", title="t", created_by=users["leader"], params=params)
    HANDLERS["lists.export"](leader_job, lambda d, t: None)
    assert leader_job.output_data is None and leader_job.output_parts.count() == 1
    sheet = load_workbook(BytesIO(b"".join(job_output_pieces(leader_job)))).worksheets[0]
    values = [c.value for c in sheet[2]]
    assert number not in values and "13800001234" not in values
    assert any(str(v).startswith("'=HYPERLINK") for v in values)
    download = login(users["county"]).get(reverse("core:list_export", args=["clients.people"]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    downloaded = load_workbook(BytesIO(download.content)).worksheets[0]
    # The county administrator may see ID numbers, but the ordinary export masks them (lib/personal_data.py).
    assert downloaded.max_row == 2 and number not in [c.value for c in downloaded[2]]


def test_the_roster_check_lists_who_has_no_file_no_recent_visit_or_lacks_the_category(users, login):
    on_file = make_person(name="有档", id_number=id_number("19400101"), categories=["低保"])
    make_visit(on_file, 10)
    stale = make_person(name="久未走访", id_number=id_number("19400202"))
    make_visit(stale, 200)
    missing = id_number("19400303")
    client = login(users["worker"])
    from shegong.clients.models import Category

    h = _headers_of(roster_columns)
    data = _sheet(
        [h["id_number"], h["name"]],
        [[on_file.id_number, "有档"], [stale.id_number, "久未走访"], [missing, "无档"]],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("clients:roster_check"),
        {
            "file": SimpleUploadedFile("dibao.xlsx", data),
            "days": "90",
            "category": Category.objects.get(name="低保").pk,
        },
    )
    job = Job.objects.get(kind="clients.roster_check")
    job.refresh_from_db()
    assert job.result["counts"] == {"missing": 1, "not_visited": 1, "no_category": 1, "ok": 1}
    assert {e["column"] for e in job.result["errors"]} == {"久未走访", "无档"}


def test_the_template_takes_several_categories_and_has_no_row_to_import(users, login):
    client = login(users["worker"])
    response = client.get(reverse("clients:person_template"))
    sheet = load_workbook(BytesIO(client.get(response["Location"]).content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    h = _people_headers()
    lists = {
        headers[column_index_from_string(re.match(r"[A-Z]+", str(v.sqref))[0]) - 1]
        for v in sheet.data_validations.dataValidation
    }
    assert h["risk_level"] in lists and h["categories"] not in lists  # 低保、独居 in one cell is not refused
    # No sample row that could be imported by mistake (row 2 is only formatted for typing).
    assert all(cell.value in (None, "") for row in sheet.iter_rows(min_row=2) for cell in row)
