"""A county administrator brings the county's 150 facilities in from the template: checked, previewed,
confirmed, written in one transaction; a file with 10 bad rows writes nothing and lists all 10 in Chinese."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shegong.jobs.models import Job
from shegong.network.models import Facility, FacilityStatus, Kind, StatusChange
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def county(users, login):
    return login(users["county"])


def _good_rows() -> list[list]:
    """150 facilities of 兴义市: its centre, a station in each of its 32 townships, 117 village rooms."""
    station, room, centre = (
        str(k.label) for k in (Kind.TOWNSHIP_STATION, Kind.VILLAGE_ROOM, Kind.COUNTY_CENTRE)
    )
    operating, planned = str(FacilityStatus.OPERATING.label), str(FacilityStatus.PLANNED.label)
    rows = [[centre, "522301", "兴义市社会工作服务指导中心", operating, "2022-05-01"]]
    for township in Region.objects.filter(parent_id="522301").order_by("code"):
        rows.append([station, township.code, f"{township.name}社工站", operating, "2023-06-30"])
    for village in Region.objects.filter(level=5, code__startswith="522301").order_by("code")[:117]:
        rows.append([room, village.code, f"{village.name}社工室", planned, ""])
    assert len(rows) == 150
    return rows


def _workbook(client, rows) -> bytes:
    """Fill the downloaded template, as a user would."""
    template = client.get(reverse("network:import_template"))
    workbook = load_workbook(BytesIO(template.content))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, capture, name="stations.xlsx") -> Job:
    with capture(execute=True):
        response = client.post(reverse("network:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    assert response["Location"] == reverse("network:import_preview", args=[job.pk])
    return job


def test_the_template_has_a_dropdown_for_every_list(county):
    response = county.get(reverse("network:import_template"))
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook.worksheets[0]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert len(lists) == 4  # level, status, premises, operating mode
    # Each dropdown points at its choices in the hidden sheet.
    choices = set()
    for formula in lists:
        cells = workbook["_lists"][formula.split("!")[1].replace("$", "")]
        choices |= {row[0].value for row in cells}
    assert str(FacilityStatus.OPERATING.label) in choices


def test_a_county_imports_150_facilities_after_a_preview_and_a_confirmation(
    county, users, django_capture_on_commit_callbacks
):
    job = _upload(county, _workbook(county, _good_rows()), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.result.get("ok"), (job.status, job.message, job.result)
    assert job.result["rows"] == 150
    assert not Facility.objects.exists()  # the preview writes nothing
    preview = county.get(reverse("network:import_preview", args=[job.pk]))
    assert 'data-testid="confirm"' in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = county.post(reverse("network:import_confirm", args=[job.pk]))
    written = Job.objects.latest("created_at")
    assert response["Location"] == reverse("network:import_preview", args=[written.pk])
    assert written.result["ok"] and written.result["created"] == 150
    assert Facility.objects.count() == 150
    assert Facility.objects.filter(kind=Kind.TOWNSHIP_STATION, status=FacilityStatus.OPERATING).count() == 32
    assert StatusChange.objects.count() == 150
    assert set(Facility.objects.values_list("created_by", flat=True)) == {users["county"].pk}


def test_ten_bad_rows_among_150_write_nothing_and_are_all_listed_in_chinese(
    county, django_capture_on_commit_callbacks
):
    rows = _good_rows()
    townships = [row[1] for row in rows[1:33]]
    make_facility(townships[-1], status=FacilityStatus.OPERATING)  # row 34 then repeats a registered station
    station, operating = str(Kind.TOWNSHIP_STATION.label), str(FacilityStatus.OPERATING.label)
    bad = {
        4: [station, "522301999", "不存在的乡镇社工站", operating, ""],  # unknown code
        5: [station, "522301001001", "层级错误社工站", operating, ""],  # code of the wrong level
        6: [station, "522302001", "外县社工站", operating, ""],  # outside the jurisdiction
        7: [station, townships[0], "重复社工站", operating, ""],  # repeats row 3
        8: [station, townships[5], "日期错误社工站", operating, "2023-13-45"],  # bad date
        9: [station, townships[6], "状态错误社工站", "很好", ""],  # value outside its list
        10: [station, "5223010O7", "代码错误社工站", operating, ""],  # a letter O typed for a zero
        11: [station, townships[8], "", operating, ""],  # name missing
        12: ["社工大楼", townships[9], "类型错误社工站", operating, ""],  # level outside its list
    }
    for excel_row, row in bad.items():
        rows[excel_row - 2] = row
    bad[34] = rows[32]
    job = _upload(county, _workbook(county, rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    errors = job.result["errors"]
    assert job.result["ok"] is False
    assert sorted(e["row"] for e in errors) == sorted(bad)
    assert all(CHINESE.search(e["text"]) for e in errors), errors
    assert "522301999" in next(e["text"] for e in errors if e["row"] == 4)
    assert "第3行" in next(e["text"] for e in errors if e["row"] == 7)
    assert Facility.objects.count() == 1
    page = county.get(reverse("network:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="confirm"' not in page
    assert county.post(reverse("network:import_confirm", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("stations.xlsx", b"PK\x03\x04 broken zip"),
        ("stations.xlsx", b"\x00" * 100),
    ],
)
def test_a_corrupted_file_gets_a_clear_message(county, name, data):
    # Refused at the upload (lib/uploads.py reads what the file is), before a job is started.
    response = county.post(reverse("network:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert CHINESE.search(message) and "Excel" in message
    assert not Job.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_at_the_form(county):
    response = county.post(reverse("network:import"), {"file": SimpleUploadedFile("stations.csv", b"a,b")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_a_sheet_without_the_template_headers_names_the_missing_ones(
    county, django_capture_on_commit_callbacks
):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["区划代码", "名称"])
    workbook.active.append(["522301001", "x"])
    buffer = BytesIO()
    workbook.save(buffer)
    job = _upload(county, buffer.getvalue(), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "failed" and "站点类型" in job.message


def test_confirming_twice_writes_once(county, django_capture_on_commit_callbacks):
    job = _upload(county, _workbook(county, _good_rows()[:3]), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first = county.post(reverse("network:import_confirm", args=[job.pk]))
        second = county.post(reverse("network:import_confirm", args=[job.pk]))
    assert first["Location"] == second["Location"]
    assert Facility.objects.count() == 3


def test_a_bad_contact_phone_is_refused_as_the_page_and_the_api_refuse_it(
    county, django_capture_on_commit_callbacks
):
    """The template's contact phone is checked by the declaration's check (network/inputs.py FACILITY
    ``In(phone=True)``): the row and the column are named, in Chinese; a good number is written as typed."""
    rows = [row + [""] * 12 for row in _good_rows()[1:3]]
    rows[0][14], rows[1][14] = "12345", "0859-3221234"
    job = _upload(county, _workbook(county, rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.result["ok"] is False
    [error] = job.result["errors"]
    assert error["row"] == 2 and error["column"] == "联系电话", error
    assert "电话号码无效" in error["message"] and "第2行" in error["text"], error

    rows[0][14] = "13812345678"
    job = _upload(county, _workbook(county, rows), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        county.post(reverse("network:import_confirm", args=[job.pk]))
    assert sorted(Facility.objects.values_list("contact_phone", flat=True)) == ["0859-3221234", "13812345678"]
