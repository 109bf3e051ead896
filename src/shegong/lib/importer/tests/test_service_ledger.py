"""The service-record ledger through the engine, with the dirt real ledgers carry: title rows, a two-row merged
header, 序号, full-width digits, an ID number typed as a number, names instead of codes, 合计 and notes, a
sample row left in, a duplicate, a value nobody mapped yet. Every problem is reported in one pass, the file is
annotated, a value is mapped once, and the records are credited to the worker named in each row."""

import io

from openpyxl import load_workbook

from shegong.casework.models import ServiceMonth, ServiceRecord
from shegong.jobs.models import JobWrite
from shegong.lib.importer.models import HeldRow, ImportMapping
from shegong.lib.importer.tests.corpus import csv_bytes, today_minus, xlsx

LEDGER = "casework.services"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _messy(world, *, fixed=False):
    """A station's monthly ledger as a clerk keeps it. Rows 5-10 are data (Excel numbering)."""
    (first, second), item = world["people"], world["item"]
    day = today_minus(5)
    rows = [
        ["序号", "服务对象信息", None, None, "服务情况", None, None, None],
        [None, "姓名", "身份证号码", "村（社区）", "服务类型", "服务社工", "服务时长", "服务日期"],
        [1, "王秀英", first.id_number.translate(FULL), None, item.name, "张社工", "1.5小时", day],
        [2, "李德明", None, "向阳社区", item.name, "张社工", "90分钟", day.strftime("%Y.%m.%d")],
        # Excel turned this ID number into a number (5.22301E+17): never stored.
        [
            3,
            "王秀英",
            None if fixed else float(first.id_number[:17] + "0"),
            "街心社区" if fixed else None,
            item.name,
            "张社工",
            "30分钟",
            day.strftime("%Y年%m月%d日"),
        ],
        [4, "李德明", second.id_number, None, "上门探访" if not fixed else item.name, "张社工", "1小时", day],
        [5, "（示例，请删除）张三", "110101199003077777", None, item.name, "张社工", "1小时", day],
        [
            6,
            "李德明",
            None,
            "向阳社区",
            item.name,
            "张社工",
            "90分钟",
            day.strftime("%Y.%m.%d"),
        ],  # same as row 2
        ["合计", None, None, None, None, None, "6.5小时", None],
        ["注：服务时长按实际填写"],
        ["填表人：李会计"],
    ]
    return xlsx(
        rows,
        title_rows=[["黄草街道社会工作服务站服务台账"], ["填报单位：黄草街道社工站"]],
        merged=["A1:H1", "B3:D3", "E3:H3", "A3:A4"],
    )


def test_every_problem_of_a_messy_ledger_in_one_pass_with_the_file_annotated(world, run, client, login):
    job = run(world["county"], LEDGER, _messy(world), name="服务台账.xlsx")
    result = job.result
    assert result["ok"] is False and ServiceRecord.objects.count() == 0
    assert result["header_row"] == 3 and {c["field"] for c in result["columns"]} >= {
        "person_name",
        "id_number",
        "village",
        "item",
        "worker",
        "duration",
        "served_on",
    }
    skipped = " ".join(result["skipped"])
    assert "序号" in skipped and "合计" in skipped and "示例" in skipped and "说明" in skipped
    by_row = {}
    for e in result["errors"]:
        by_row.setdefault(e["row"], []).append(e)
    assert sorted(by_row) == [7, 8, 10]
    assert "数字" in by_row[7][0]["message"] and by_row[7][0]["column"] == "身份证号码"
    assert "上门探访" in by_row[8][0]["message"] and by_row[8][0]["column"] == "服务类型"
    assert "第6行" in by_row[10][0]["message"]
    assert result["unknown_values"][0]["value"] == "上门探访"
    # The clerk's own workbook comes back with the bad cells marked and a message on each bad row.
    login(world["county"])
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "黄草街道社会工作服务站服务台账"
    assert sheet["C7"].fill.fgColor.rgb.endswith("FFC7CE") and sheet["C7"].comment is not None
    assert "身份证号码" in sheet.cell(row=7, column=9).value and sheet.cell(row=9, column=9).value is None


def test_corrected_and_mapped_once_the_ledger_goes_in_credited_to_the_named_worker(world, run):
    county = world["county"]
    job = run(
        county,
        LEDGER,
        _messy(world, fixed=True),
        mapping={"values": {"item": {"上门探访": str(world["item"].pk)}}},
    )
    assert job.result["error_count"] == 1  # only the duplicate row is left
    # The user maps 上门探访 once (the page and the API save it for the jurisdiction).
    from shegong.lib.importer.engine import mapping_save
    from shegong.lib.importer.ledger import ledger_get

    mapping_save(
        actor=county, ledger=ledger_get(LEDGER), values={"item": {"上门探访": str(world["item"].pk)}}
    )
    rows = _messy(world, fixed=True)
    job = run(county, LEDGER, rows, mode="valid_rows")
    assert job.result["ok"] and job.result["valid"] == 4, job.result
    written = run(county, LEDGER, rows, mode="valid_rows", commit=True)
    assert written.result.get("written") == 4, (written.result["errors"], written.result["message"])
    records = ServiceRecord.objects.all()
    assert records.count() == 4
    assert {r.worker_id for r in records} == {world["worker"].pk}  # not the clerk
    assert {r.import_job for r in records} == {written.pk}
    assert sorted(r.import_row for r in records) == [5, 6, 7, 8]
    assert sorted(r.duration_minutes for r in records) == [30, 60, 90, 90]
    assert {r.station_id for r in records} == {world["station"].pk}
    assert sum(m.records for m in ServiceMonth.objects.all()) == 4
    assert HeldRow.objects.filter(ledger=LEDGER, scope_code="522301").count() == 1  # the duplicate
    assert not JobWrite.objects.filter(job=written).exists()  # journal forgotten once kept
    # The same file again adds nothing.
    again = run(county, LEDGER, rows, mode="valid_rows", commit=True)
    assert again.result["written"] == 0 and again.result["already"] == 4
    assert ServiceRecord.objects.count() == 4
    assert ImportMapping.objects.filter(scope_code="522301", ledger=LEDGER).exists()


def test_gbk_csv_with_days_without_year_takes_the_stated_month(world, run):
    first = world["people"][0]
    day = today_minus(10)
    rows = [
        ["日期", "公民身份号码", "服务项目", "社工", "时长（小时）"],
        [f"{day.month}月{day.day}日", first.id_number, world["item"].name, "张社工", 2],
    ]
    data = csv_bytes(rows, encoding="gbk")
    refused = run(world["county"], LEDGER, data, name="ledger.csv")
    assert refused.result["ok"] is False and "月份" in refused.result["errors"][0]["message"]
    job = run(
        world["county"], LEDGER, data, name="ledger.csv", period=f"{day.year}-{day.month:02d}", commit=True
    )
    assert job.result["written"] == 1, job.result
    record = ServiceRecord.objects.get()
    assert record.served_on == day and record.duration_minutes == 120 and record.person == first


def test_legacy_xls_group_ledger(world, run):
    from pathlib import Path

    data = (Path(__file__).parent / "files" / "group-ledger.xls").read_bytes()
    job = run(world["county"], LEDGER, data, name="group.xls", commit=True)
    assert job.result.get("written") == 2, (job.result["errors"], job.result["message"])
    assert sorted(ServiceRecord.objects.values_list("participants", flat=True)) == [8, 12]
    assert ServiceRecord.objects.filter(group_name="长者健康小组", duration_minutes=90).exists()


def test_a_person_of_another_county_is_not_found_and_nothing_is_written(world, run):
    rows = [
        ["服务日期", "身份证号", "服务项目", "社工", "服务时长"],
        [today_minus(1), world["other"].id_number, world["item"].name, "张社工", 30],
    ]
    job = run(world["county"], LEDGER, xlsx(rows), commit=True)
    assert job.result["ok"] is False and "辖区" in job.result["errors"][0]["message"]
    assert ServiceRecord.objects.count() == 0


def test_a_row_failing_as_it_is_written_takes_back_the_batches_already_written(world, run, monkeypatch):
    from django.core.exceptions import ValidationError

    from shegong.casework import services
    from shegong.lib.importer.ledger import ledger_get

    ledger = ledger_get(LEDGER)
    monkeypatch.setattr(ledger, "batch_size", 1)
    original = services._service_record_new

    # The service's own check refuses row 4 (as the batch write and the row-by-row write both call it).
    def refuse_row_4(**fields):
        if fields["source"][1] == 4:
            raise ValidationError({"item": "服务项目已停用"})
        return original(**fields)

    monkeypatch.setattr(services, "_service_record_new", refuse_row_4)
    first = world["people"][0]
    rows = [["服务日期", "身份证号", "服务项目", "社工", "服务时长"]] + [
        [today_minus(n), first.id_number, world["item"].name, "张社工", 30] for n in (1, 2, 3)
    ]
    job = run(world["county"], LEDGER, xlsx(rows), commit=True)
    assert job.result["ok"] is False and "第4行" in job.result["message"]
    assert ServiceRecord.objects.count() == 0
    assert sum(m.records for m in ServiceMonth.objects.all()) == 0
    assert not JobWrite.objects.filter(job=job).exists()
