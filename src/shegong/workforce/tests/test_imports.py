"""Excel imports of workers and certificates: all or nothing, every bad row named, the same person twice is an
update and never a second file."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shegong.jobs.models import Job
from shegong.lib.excel import build_workbook
from shegong.testing import verified_login
from shegong.workforce.imports import ATTENDANCE_COLUMNS, CERTIFICATE_COLUMNS, WORKER_COLUMNS, _columns
from shegong.workforce.models import Assignment, Certificate, Worker
from shegong.workforce.tests.factories import make_id, make_station, make_worker

COLUMNS = {"workers": WORKER_COLUMNS, "certificates": CERTIFICATE_COLUMNS, "attendance": ATTENDANCE_COLUMNS}


def sheet(kind: str, rows: list[list]) -> bytes:
    columns = _columns(COLUMNS[kind])
    return build_workbook("t", columns, [row + [None] * (len(columns) - len(row)) for row in rows])


def run_import(user, kind: str, data: bytes, capture) -> Job:
    from django.test import Client

    client = Client()
    verified_login(client, user)
    with capture(execute=True):
        response = client.post(
            reverse("workforce:import"),
            {"kind": kind, "file": _upload(data)},
        )
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.order_by("-created_at").first()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sheet.xlsx", data)


A = make_id("522301", "19900101", 112)
B = make_id("522301", "19920202", 222)


@pytest.fixture
def stations(db):
    return make_station("522301001", name="黄草街道社工站"), make_station("522301002", name="丰都街道社工站")


def test_a_good_sheet_registers_workers_at_their_stations(
    users, stations, django_capture_on_commit_callbacks
):
    rows = [
        [
            "李娜",
            A,
            "13800001111",
            "大学本科",
            "社会工作",
            "驻站专职",
            "站长",
            "黄草街道社工站",
            "",
            "2023-03-01",
        ],
        ["赵强", B, "", "", "", "社区工作者", "", "丰都街道社工站"],
    ]
    job = run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    assert job.result["ok"], job.result
    assert job.result["created"] == 2
    li = Worker.objects.get(name="李娜")
    assert li.sex == "female" and li.birth_date.isoformat() == "1990-01-01"
    assert li.post == "head" and li.education == "bachelor"
    assert li.assignments.get().facility == stations[0]
    assert li.assignments.get().start_date.isoformat() == "2023-03-01"


def test_importing_the_same_sheet_twice_updates_and_never_duplicates(
    users, stations, django_capture_on_commit_callbacks
):
    rows = [["李娜", A, "13800001111", "", "", "驻站专职", "", "黄草街道社工站"]]
    run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    rows = [["李娜", A, "13800002222", "硕士研究生", "", "驻站专职", "", "黄草街道社工站"]]
    job = run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    assert (
        job.result["ok"]
        and job.result["created"] == 0
        and job.result["updated"] == 1
        and job.result["moved"] == 0
    )
    assert Worker.objects.count() == 1
    worker = Worker.objects.get()
    assert worker.phone == "13800002222" and worker.education == "master"
    assert Assignment.objects.filter(worker=worker).count() == 1


def test_the_same_person_at_another_station_is_moved_not_duplicated(
    users, stations, django_capture_on_commit_callbacks
):
    make_worker(stations[0], name="李娜", id_number=A)
    rows = [["李娜", A, "", "", "", "驻站专职", "", "丰都街道社工站"]]
    job = run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    assert job.result["ok"] and job.result["moved"] == 1
    worker = Worker.objects.get()
    history = list(worker.assignments.order_by("start_date", "id").values_list("facility__name", "end_date"))
    assert history[0][0] == "黄草街道社工站" and history[0][1] is not None
    assert history[1] == ("丰都街道社工站", None)


def test_a_sheet_with_errors_writes_nothing_and_lists_every_bad_row(
    users, stations, django_capture_on_commit_callbacks
):
    wrong_check = A[:-1] + ("0" if A[-1] != "0" else "1")
    rows = [
        ["李娜", A, "", "", "", "驻站专职", "", "黄草街道社工站"],  # good
        ["王五", wrong_check, "", "", "", "驻站专职"],  # check digit
        ["赵六", B, "", "", "", "全职", "", "不存在社工站"],  # employment type and station
        ["孙七", A, "", "", "", "驻站专职"],  # the same person as row 2
        ["", make_id(sequence=555), "12", "", "", "驻站专职"],  # no name, bad phone
    ]
    job = run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    assert job.result["ok"] is False
    assert Worker.objects.count() == 0 and Assignment.objects.count() == 0
    found = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert found == {
        (3, "身份证号"),
        (4, "用工方式"),
        (4, "社工站"),
        (5, "身份证号"),
        (6, "姓名"),
        (6, "电话"),
    }, job.result["errors"]
    check_message = next(e["message"] for e in job.result["errors"] if e["row"] == 3)
    assert "校验" in check_message


def test_a_station_outside_the_jurisdiction_is_unknown(users, stations, django_capture_on_commit_callbacks):
    make_station("522302001", name="兴仁社工站")
    rows = [["李娜", A, "", "", "", "驻站专职", "", "兴仁社工站"]]
    job = run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    assert job.result["ok"] is False and job.result["errors"][0]["column"] == "社工站"


def test_a_person_kept_in_another_county_is_reported_not_taken_over(
    users, stations, django_capture_on_commit_callbacks
):
    make_worker(make_station("522302001"), id_number=A)
    rows = [["李娜", A, "", "", "", "驻站专职", "", "黄草街道社工站"]]
    job = run_import(users["county"], "workers", sheet("workers", rows), django_capture_on_commit_callbacks)
    assert job.result["ok"] is False
    assert Worker.objects.get().region_id == "522302001"


def test_certificates_import_matches_workers_by_id_number_and_is_idempotent(
    users, stations, django_capture_on_commit_callbacks
):
    worker = make_worker(stations[0], id_number=A)
    rows = [[A, worker.name, "助理社会工作师", 2021, "ZL2021001"], [A, "", "社会工作师", 2023, "ZJ2023001"]]
    for _round in range(2):
        job = run_import(
            users["county"], "certificates", sheet("certificates", rows), django_capture_on_commit_callbacks
        )
        assert job.result["ok"], job.result
    assert Certificate.objects.filter(worker=worker).count() == 2


def test_certificates_import_names_unknown_workers_and_bad_levels(
    users, stations, django_capture_on_commit_callbacks
):
    make_worker(stations[0], id_number=A)
    rows = [[B, "", "社会工作师", 2023, "X1"], [A, "", "中级", 2023, "X2"], [A, "", "社会工作师", 2003, "X3"]]
    job = run_import(
        users["county"], "certificates", sheet("certificates", rows), django_capture_on_commit_callbacks
    )
    assert job.result["ok"] is False
    assert {(e["row"], e["column"]) for e in job.result["errors"]} == {
        (2, "身份证号"),
        (3, "证书等级"),
        (4, "取得年份"),
    }
    assert Certificate.objects.count() == 0


def test_the_templates_have_the_headers_the_import_reads(client, users):
    verified_login(client, users["county"])
    response = client.get(reverse("workforce:template", args=["workers"]))
    headers = [
        c.value for c in next(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(max_row=1))
    ]
    assert headers[:3] == ["姓名", "身份证号", "电话"]


def test_attendance_import_adds_registered_workers_to_the_session(
    client, users, stations, django_capture_on_commit_callbacks
):
    import datetime as dt

    from shegong.regions.models import Region
    from shegong.workforce.services_training import training_create

    worker = make_worker(stations[0], id_number=A)
    session = training_create(
        actor=None,
        region=Region.objects.get(code="522301"),
        title="轮训",
        kind="rotation",
        organiser="市局",
        held_on=dt.date(2024, 4, 1),
        hours=6,
    )
    verified_login(client, users["county"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workforce:attendance_import", args=[session.pk]),
            {"file": _upload(sheet("attendance", [[A], [A]]))},
        )
    job = Job.objects.order_by("-created_at").first()
    assert job.result["ok"], job.result
    assert list(session.attendances.values_list("worker", flat=True)) == [worker.pk]


def test_attendance_import_refuses_a_name_that_is_not_the_id_numbers_worker(
    client, users, stations, django_capture_on_commit_callbacks
):
    """As the worker and certificate imports do: a mistyped ID number that is another worker's would credit
    the wrong person with the training."""
    import datetime as dt

    from shegong.regions.models import Region
    from shegong.workforce.services_training import training_create

    make_worker(stations[0], id_number=A, name="李娜")
    make_worker(stations[0], id_number=B, name="王芳")
    session = training_create(
        actor=None,
        region=Region.objects.get(code="522301"),
        title="轮训",
        kind="rotation",
        organiser="市局",
        held_on=dt.date(2024, 4, 1),
        hours=6,
    )
    verified_login(client, users["county"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workforce:attendance_import", args=[session.pk]),
            {"file": _upload(sheet("attendance", [[A, "李娜"], [B, "李娜"]]))},
        )
    job = Job.objects.order_by("-created_at").first()
    assert job.result["ok"] is False
    assert [(e["row"], e["column"], e["message"]) for e in job.result["errors"]] == [
        (3, "姓名", "此身份证号对应的社工姓名为王芳")
    ]
    assert not session.attendances.exists()
