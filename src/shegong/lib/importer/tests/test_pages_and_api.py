"""The import page and API: upload → preview → map once → confirm → result; an import is its owner's alone;
bad files get a clear Chinese message and write nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken

from shegong.casework.models import ServiceRecord
from shegong.jobs.models import Job
from shegong.lib.importer.models import HeldRow, ImportMapping
from shegong.lib.importer.tests.corpus import today_minus, xlsx, zip_bomb

LEDGER = "casework.services"


def _ledger(world, item_text=None):
    first = world["people"][0]
    return xlsx(
        [
            ["服务日期", "身份证号码", "服务内容类别", "负责社工", "时长", "走访人员备注"],
            [
                today_minus(2),
                first.id_number,
                item_text or world["item"].name,
                "张社工",
                "45分钟",
                "情绪稳定",
            ],
        ],
        title_rows=[["11月服务台账"]],
    )


def test_the_page_flow_maps_an_unknown_column_and_value_once_then_writes(
    world, client, login, django_capture_on_commit_callbacks
):
    login(world["county"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/",
            {
                "ledger": LEDGER,
                "mode": "all_or_nothing",
                "period": "",
                "file": SimpleUploadedFile("台账.xlsx", _ledger(world, "陪伴聊天")),
            },
        )
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    page = client.get(response["Location"]).content.decode()
    assert "走访人员备注" in page and "陪伴聊天" in page and 'data-testid="mapping"' in page
    assert job.result["ok"] is False and ServiceRecord.objects.count() == 0
    # Map the unknown column to the note and the unknown value to an item of the menu, once.
    columns = [c["header"] for c in job.result["unknown_columns"]]
    values = [v["value"] for v in job.result["unknown_values"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/imports/{job.pk}/map/",
            {
                f"column-{columns.index('走访人员备注')}": "note",
                f"value-{values.index('陪伴聊天')}": str(world["item"].pk),
            },
        )
    assert response.status_code == 302
    checked = Job.objects.latest("created_at")
    assert checked.result["ok"], checked.result
    assert 'data-testid="confirm"' in client.get(f"/imports/{checked.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{checked.pk}/confirm/")
    record = ServiceRecord.objects.get()
    assert record.note == "情绪稳定" and record.worker == world["worker"] and record.item == world["item"]
    # Next month's file goes straight through: the mappings are the jurisdiction's.
    assert ImportMapping.objects.filter(scope_code="522301", ledger=LEDGER).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/imports/",
            {
                "ledger": LEDGER,
                "mode": "all_or_nothing",
                "file": SimpleUploadedFile("台账.xlsx", _ledger(world, "陪伴聊天")),
            },
        )
    assert Job.objects.latest("created_at").result["ok"] is True


def test_a_file_refused_whole_is_written_in_part_without_a_second_upload(
    world, users, client, login, django_capture_on_commit_callbacks
):
    """Checked as "write nothing until every row is right", a file with one wrong row offers to write its
    valid rows and hold the other: checked again in that mode from the kept file, then confirmed."""
    first, second = world["people"]
    rows = [
        [today_minus(3), first.id_number, world["item"].name, "张社工", "45分钟"],
        [today_minus(2), second.id_number, world["item"].name, "张社工", "1小时"],
        [today_minus(1), first.id_number, world["item"].name, "没有这个人", "30分钟"],
    ]
    data = xlsx([["服务日期", "身份证号码", "服务项目", "服务社工", "服务时长"], *rows])
    login(world["county"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/imports/",
            {"ledger": LEDGER, "mode": "all_or_nothing", "file": SimpleUploadedFile("台账.xlsx", data)},
        )
    refused = Job.objects.latest("created_at")
    assert refused.result["ok"] is False and refused.result["valid"] == 2
    page = client.get(f"/imports/{refused.pk}/").content.decode()
    assert 'data-testid="valid-rows"' in page and "先写入正确的2行，其余留待更正" in page
    # Another county's administrator cannot reach it, nor start a check of its file.
    login(users["county2"])
    assert client.post(f"/imports/{refused.pk}/valid-rows/").status_code == 404
    assert Job.objects.count() == 1
    login(world["county"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/{refused.pk}/valid-rows/")
    assert response.status_code == 302
    checked = Job.objects.latest("created_at")
    assert checked.pk != refused.pk and checked.params["mode"] == "valid_rows"
    assert checked.result["ok"] is True and checked.result["valid"] == 2
    assert ServiceRecord.objects.count() == 0  # a check writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{checked.pk}/confirm/")
    written = Job.objects.latest("created_at")
    assert written.result["written"] == 2 and written.result["held"] == 1
    assert sorted(r.person_id for r in ServiceRecord.objects.all()) == sorted([first.pk, second.pk])
    held = HeldRow.objects.get(ledger=LEDGER)
    assert held.row == 4 and any(e["column"] == "服务社工" for e in held.errors)
    # The refused check's file was handed on: it cannot be checked again a second time.
    response = client.post(f"/imports/{refused.pk}/valid-rows/")
    assert response.status_code == 400 and "请重新上传" in response.content.decode()


def test_the_template_has_dropdowns_and_no_row_to_import(world, client, login):
    from openpyxl import load_workbook

    login(world["county"])
    response = client.get(f"/imports/ledger/{LEDGER}/template/")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "服务日期"
    assert all(cell.value is None for row in sheet.iter_rows(min_row=2) for cell in row)
    assert sheet.data_validations.dataValidation  # service item, mode lists
    assert any("说明" in s.title for s in workbook.worksheets)


def _api(user):
    from django.test import Client

    _instance, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_checks_confirms_and_keeps_imports_to_their_owner(
    world, users, django_capture_on_commit_callbacks
):
    api = _api(world["county"])
    ledgers = api.get("/api/v1/imports/ledgers/").json()
    service = next(lg for lg in ledgers if lg["key"] == LEDGER)
    assert "身份证号码" in next(c for c in service["columns"] if c["key"] == "id_number")["synonyms"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/imports/",
            {
                "ledger": LEDGER,
                "file": SimpleUploadedFile("l.xlsx", _ledger(world, "陪伴聊天")),
                "mode": "all_or_nothing",
                "mapping": json.dumps(
                    {
                        "columns": {"走访人员备注": "note"},
                        "values": {"item": {"陪伴聊天": str(world["item"].pk)}},
                    }
                ),
            },
        )
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    state = api.get(f"/api/v1/imports/{pk}/").json()
    assert "state" in state, state
    assert state["state"] == "checked" and state["valid"] == 1 and state["unknown_columns"] == []
    # Another county's administrator cannot see it, nor confirm it.
    other = _api(users["county2"])
    assert other.get(f"/api/v1/imports/{pk}/").status_code == 404
    assert other.post(f"/api/v1/imports/{pk}/confirm/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        written = api.post(f"/api/v1/imports/{pk}/confirm/")
    assert written.status_code == 202
    detail = api.get(f"/api/v1/imports/{written.json()['id']}/").json()
    assert detail.get("state") == "written", detail
    assert ServiceRecord.objects.filter(worker=world["worker"]).count() == 1
    # The other county's mappings are its own: its same file is not recognised.
    assert not ImportMapping.objects.filter(scope_code="522302").exists()
    bad = api.post("/api/v1/imports/", {"ledger": "nothing", "file": SimpleUploadedFile("l.xlsx", b"x")})
    assert bad.status_code == 400 and "台账" in bad.json()["message"] + json.dumps(
        bad.json(), ensure_ascii=False
    )


def _formulas(world) -> bytes:
    first = world["people"][0]
    return xlsx(
        [
            ["服务日期", "身份证号", "服务项目", "社工", "服务时长"],
            ["=TODAY()", first.id_number, '=HYPERLINK("http://x","点")', "张社工", "=1+2"],
        ]
    )


BAD = {
    "empty": lambda w: b"",
    "renamed text": lambda w: "这不是表格，只是一段文字。\n".encode() * 3,
    "truncated": lambda w: _ledger(w)[:700],
    "ole garbage": lambda w: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 4000,
    "zip bomb": lambda w: zip_bomb(),
    "header only": lambda w: xlsx([["服务日期", "身份证号", "服务项目", "社工", "服务时长"]]),
    "formulas": _formulas,
    "nul bytes": lambda w: "服务日期,社工\x00\n2024-01-01,张社工\n".encode(),
    "10000-char cells": lambda w: xlsx(
        [
            ["服务日期", "姓名", "村（社区）", "服务项目", "社工", "服务时长"],
            [today_minus(1), "王" * 10000, "向阳社区", "x" * 10000, "张社工", 30],
        ]
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files_get_a_clear_chinese_message_and_write_nothing(name, world, run, settings):
    settings.SHEET_MAX_UNCOMPRESSED_MB = 64
    job = run(world["county"], LEDGER, BAD[name](world), commit=True)
    text = job.message or job.result.get("message", "")
    assert any("\u4e00" <= c <= "\u9fff" for c in text), (name, job.status, text)
    assert job.status == "failed" or job.result.get("ok") is False, (name, job.result)
    assert ServiceRecord.objects.count() == 0
