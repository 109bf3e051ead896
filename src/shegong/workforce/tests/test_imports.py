"""The workforce's ledgers through the one import engine (shegong.workforce.ledgers): workers, certificates,
agencies, trainings and attendance as counties keep them. Each kind of dirt is pinned: a title row, names of
stations instead of codes, full-width digits, an ID number stored as a number cell, the same person twice,
the template's sample row, 本科 for 大学本科; all or nothing with every bad row named; the same person again
is an update and never a second file; the same file twice adds nothing."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the engine's fixture)
from shegong.lib.importer.tests.corpus import csv_bytes, xlsx
from shegong.testing import verified_login
from shegong.workforce.models import Agency, Assignment, Certificate, TrainingSession, Worker
from shegong.workforce.tests.factories import (
    make_credit_code,
    make_id,
    make_station,
    make_training,
    make_worker,
)

A = make_id("522301", "19900101", 112)
B = make_id("522301", "19920202", 222)
WIDE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
HEADER = ["序号", "姓名", "身份证号码", "联系电话", "学历", "用工性质", "岗位", "所在社工站", "入职时间"]


@pytest.fixture
def stations(db):
    return make_station("522301001", name="黄草街道社会工作服务站"), make_station(
        "522301002", name="丰都街道社工站"
    )


def _errors(job) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in job.result["errors"]}


def test_a_county_roster_goes_in_as_it_is(users, stations, run):  # noqa: F811
    rows = [
        HEADER,
        [
            1,
            "李娜",
            A.translate(WIDE),
            "138 0000 1111",
            "本科",
            "驻站专职",
            "站长",
            "黄草街道社工站",
            "2023年3月",
        ],
        [2, "赵强", B, None, "大专", "社区工作者", None, "丰都街道", "2023.03.15"],
        ["合计", None, None, None, None, None, None, None, None],
    ]
    data = xlsx(rows, title_rows=[["兴义市社会工作者花名册"], ["填报单位：兴义市民政局"]])
    job = run(users["county"], "workforce.workers", data, commit=True)
    assert job.result.get("written") == 2, (job.result["message"], job.result["errors"])
    li = Worker.objects.get(name="李娜")
    assert li.id_number == A and li.phone == "13800001111"
    assert li.sex == "female" and li.birth_date == dt.date(1990, 1, 1)
    assert li.post == "head" and li.education == "bachelor"
    assignment = li.assignments.get()
    assert assignment.facility == stations[0] and assignment.start_date == dt.date(2023, 3, 1)
    zhao = Worker.objects.get(name="赵强")
    assert zhao.assignments.get().facility == stations[1] and zhao.joined_on == dt.date(2023, 3, 15)
    # The same file again adds nothing.
    again = run(users["county"], "workforce.workers", data, commit=True)
    assert again.result["already"] == 2 and Worker.objects.count() == 2 and Assignment.objects.count() == 2


def test_the_same_person_again_is_an_update_or_a_move_never_a_second_file(users, stations, run):  # noqa: F811
    make_worker(stations[0], name="李娜", id_number=A)
    rows = [HEADER[1:], ["李娜", A, "13800002222", "硕士研究生", "驻站专职", "", "丰都街道社工站"]]
    job = run(users["county"], "workforce.workers", csv_bytes(rows), name="roster.csv", commit=True)
    assert job.result.get("written") == 1, job.result
    worker = Worker.objects.get()
    assert worker.phone == "13800002222" and worker.education == "master"
    history = list(worker.assignments.order_by("start_date", "id").values_list("facility__name", "end_date"))
    assert history[0][0] == "黄草街道社会工作服务站" and history[0][1] is not None
    assert history[1] == ("丰都街道社工站", None)


def test_a_roster_with_errors_writes_nothing_and_lists_every_bad_row(users, stations, run):  # noqa: F811
    wrong_check = A[:-1] + ("0" if A[-1] != "0" else "1")
    rows = [
        HEADER[1:],
        ["李娜", A, "", "", "驻站专职", "", "黄草街道社工站"],  # good
        ["王五", wrong_check, "", "", "驻站专职"],  # check digit
        ["赵六", B, "", "", "全职", "", "不存在社工站"],  # employment type and station
        ["孙七", A, "", "", "驻站专职"],  # the same person as row 2
        ["", make_id(sequence=555), "12", "", "驻站专职"],  # no name, bad phone
        ["钱八", 522301199001011234, "", "", "驻站专职"],  # a number cell: digits lost
    ]
    job = run(users["county"], "workforce.workers", xlsx(rows), commit=True)
    assert job.result["ok"] is False and job.result.get("written", 0) == 0
    assert Worker.objects.count() == 0 and Assignment.objects.count() == 0
    assert _errors(job) == {
        (3, "身份证号码"),
        (4, "用工性质"),
        (4, "所在社工站"),
        (5, "身份证号码"),
        (6, "姓名"),
        (6, "联系电话"),
        (7, "身份证号码"),
    }, job.result["errors"]
    messages = {e["row"]: e["message"] for e in job.result["errors"] if e["column"] == "身份证号码"}
    assert "校验" in messages[3] and "2" in messages[5] and "Excel" in messages[7]
    # 全职 is offered for mapping once.
    assert {v["value"] for v in job.result["unknown_values"]} == {"全职"}


def test_the_template_sample_row_is_not_registered(users, stations, run):  # noqa: F811
    """A sample row marked as such (示例, 请删除) is skipped and said so; the engine's templates have none."""
    rows = [
        HEADER[1:],
        ["（示例，请删除）张三", make_id(sequence=901), "", "", "驻站专职", "", "黄草街道社工站"],
    ]
    rows.append(["李娜", A, "", "", "驻站专职", "", "黄草街道社工站"])
    job = run(users["county"], "workforce.workers", xlsx(rows), commit=True)
    assert job.result.get("written") == 1, job.result["errors"]
    assert list(Worker.objects.values_list("name", flat=True)) == ["李娜"]
    assert any("示例" in line for line in job.result["skipped"])


def test_a_station_outside_the_jurisdiction_and_a_person_kept_elsewhere(users, stations, run):  # noqa: F811
    make_station("522302001", name="兴仁社工站")
    make_worker(make_station("522302002"), id_number=B)
    rows = [HEADER[1:], ["李娜", A, "", "", "驻站专职", "", "兴仁社工站"], ["赵强", B, "", "", "驻站专职"]]
    job = run(users["county"], "workforce.workers", xlsx(rows), commit=True)
    assert _errors(job) == {(2, "所在社工站"), (3, "身份证号码")}, job.result["errors"]
    assert Worker.objects.get().region_id == "522302002"


def test_certificates_by_id_number_with_their_date_and_idempotent(users, stations, run):  # noqa: F811
    worker = make_worker(stations[0], id_number=A, name="李娜")
    rows = [
        ["身份证号码", "姓名", "证书等级", "发证日期", "证书编号"],
        [A, "李娜", "助理社会工作师", "2021年6月20日", "zl2021001"],
        [A, None, "中级", "2023.06", "ZJ2023001"],
    ]
    for _round in range(2):
        job = run(users["county"], "workforce.certificates", xlsx(rows), commit=True)
        assert job.result["ok"], job.result
    certificates = {c.level: c for c in Certificate.objects.filter(worker=worker)}
    assert len(certificates) == 2
    assert certificates[1].obtained_on == dt.date(2021, 6, 20) and certificates[1].year == 2021
    assert certificates[1].number == "ZL2021001"
    assert certificates[2].obtained_on == dt.date(2023, 6, 1) and certificates[2].year == 2023


def test_certificates_name_unknown_workers_bad_levels_and_wrong_names(users, stations, run):  # noqa: F811
    make_worker(stations[0], id_number=A, name="李娜")
    rows = [
        ["身份证号", "姓名", "证书等级", "取得年份", "证书编号"],
        [B, "", "社会工作师", 2023, "X1"],
        [A, "", "特级", 2023, "X2"],
        [A, "", "社会工作师", 2003, "X3"],
        [A, "王芳", "助理社会工作师", 2020, "X4"],
    ]
    job = run(users["county"], "workforce.certificates", xlsx(rows), commit=True)
    assert job.result["ok"] is False
    assert _errors(job) == {(2, "身份证号"), (3, "证书等级"), (4, "取得年份"), (5, "姓名")}, job.result
    assert Certificate.objects.count() == 0


def test_agencies_by_credit_code_registered_in_a_named_division(users, run):  # noqa: F811
    code = make_credit_code()
    rows = [
        ["机构名称", "统一社会信用代码", "登记管理机关", "所在地", "成立日期", "评估等级", "评估年度"],
        [
            "兴义市阳光社会工作服务中心",
            code.translate(WIDE),
            "兴义市民政局",
            "兴义市",
            "2019年5月",
            "AAAA",
            2023,
        ],
        ["兴义市同心社工中心", "123", "兴义市民政局", None, None, None, None],
        ["兴义市善行社工中心", make_credit_code("52522301MJ000002"), "兴义市民政局", None, None, "4A", None],
        ["兴义市阳光社工", code, "兴义市民政局", None, None, None, None],
    ]
    job = run(users["county"], "workforce.agencies", xlsx(rows), commit=True)
    assert _errors(job) == {(3, "统一社会信用代码"), (4, "评估年度"), (5, "统一社会信用代码")}, job.result[
        "errors"
    ]
    job = run(users["county"], "workforce.agencies", xlsx(rows[:2]), commit=True)
    assert job.result.get("written") == 1, job.result
    agency = Agency.objects.get()
    assert agency.credit_code == code and agency.region_id == "522301" and agency.rating == "4A"
    assert agency.registered_on == dt.date(2019, 5, 1)


def test_trainings_then_their_attendance_checked_against_the_name(users, stations, run):  # noqa: F811
    li = make_worker(stations[0], id_number=A, name="李娜")
    make_worker(stations[0], id_number=B, name="王芳")
    trainings = [
        ["培训名称", "培训类型", "主办单位", "培训日期", "学时", "培训形式"],
        ["2024年社工轮训", "轮训", "兴义市民政局", "2024/4/1", "６", "线下"],
    ]
    job = run(users["county"], "workforce.trainings", xlsx(trainings), commit=True)
    assert job.result.get("written") == 1, (job.result["message"], job.result["errors"])
    session = TrainingSession.objects.get()
    assert session.held_on == dt.date(2024, 4, 1) and session.hours == 6 and not session.online
    attendance = [
        ["培训名称", "培训日期", "姓名", "身份证号"],
        ["2024年社工轮训", "2024-04-01", "李娜", A],
        ["2024年社工轮训", "2024-04-01", "李娜", B],  # B is 王芳: the wrong person would be credited
        ["2024年社工轮训", "2024-04-02", "李娜", A],  # no such session
    ]
    job = run(users["county"], "workforce.attendance", xlsx(attendance), commit=True)
    assert job.result["ok"] is False and not session.attendances.exists()
    assert [(e["row"], e["column"], e["message"]) for e in job.result["errors"] if e["row"] == 3] == [
        (3, "姓名", "此身份证号对应的社工姓名为王芳")
    ]
    assert _errors(job) == {(3, "姓名"), (4, "培训名称")}
    job = run(users["county"], "workforce.attendance", xlsx(attendance[:2]), commit=True)
    assert job.result.get("written") == 1, job.result
    assert list(session.attendances.values_list("worker", flat=True)) == [li.pk]


def test_a_training_of_another_county_is_not_found(users, stations, run):  # noqa: F811
    make_worker(stations[0], id_number=A, name="李娜")
    make_training("522302", "轮训", dt.date(2024, 4, 1))
    rows = [["培训名称", "培训日期", "身份证号"], ["轮训", "2024-04-01", A]]
    job = run(users["county"], "workforce.attendance", xlsx(rows), commit=True)
    assert _errors(job) == {(2, "培训名称")}


def test_old_import_pages_lead_to_the_engine(client, users, stations):
    verified_login(client, users["county"])
    response = client.get(reverse("workforce:import") + "?kind=certificates")
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("importer:index") + "?ledger=workforce.certificates")
    session = make_training("522301", "轮训", dt.date(2024, 4, 1))
    response = client.post(reverse("workforce:attendance_import", args=[session.pk]))
    assert response["Location"].endswith("?ledger=workforce.attendance")
    response = client.get(reverse("workforce:template", args=["workers"]))
    assert response.status_code == 302
    template = client.get(response["Location"])
    headers = [
        c.value for c in next(load_workbook(BytesIO(template.content)).worksheets[0].iter_rows(max_row=1))
    ]
    assert headers[:3] == ["姓名", "身份证号", "电话"]
