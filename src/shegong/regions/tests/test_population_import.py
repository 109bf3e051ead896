from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shegong.jobs.models import Job, JobStatus
from shegong.regions.models import Region
from shegong.testing import verified_login


def _sheet(rows, headers=("区划代码", "名称", "常住人口", "统计年度")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, name="population.xlsx", capture=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):
        response = client.post(reverse("regions:population_import"), {"file": SimpleUploadedFile(name, data)})
    return response


@pytest.fixture
def county_client(client, users):
    verified_login(client, users["county"])
    return client


@pytest.mark.django_db
def test_template_lists_the_divisions_two_levels_below_the_jurisdiction(county_client):
    response = county_client.get(reverse("regions:population_template"))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = Region.objects.filter(code__startswith="522301", level__in=[4, 5]).count()
    assert len(codes) == expected
    assert sheet.cell(1, 1).value == "区划代码"


@pytest.mark.django_db
def test_a_good_sheet_writes_every_population(county_client, django_capture_on_commit_callbacks):
    townships = list(Region.objects.filter(parent_id="522301").order_by("code")[:3])
    rows = [(t.code, t.name, 10000 + i, 2024) for i, t in enumerate(townships)]
    response = _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["ok"] is True and job.result["changed"] == 3
    for i, t in enumerate(townships):
        t.refresh_from_db()
        assert (t.population, t.population_year) == (10000 + i, 2024)
    page = county_client.get(reverse("jobs:detail", args=[job.pk]))
    assert "100%" in page.content.decode()


@pytest.mark.django_db
def test_text_in_a_number_cell_writes_nothing_and_names_row_and_column(
    county_client, django_capture_on_commit_callbacks
):
    townships = list(Region.objects.filter(parent_id="522301").order_by("code")[:3])
    rows = [
        (townships[0].code, "", 5000, 2024),
        (townships[1].code, "", "五千", 2024),
        (townships[2].code, "", 7000, "去年"),
    ]
    _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is False
    errors = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert errors == {(3, "常住人口"), (4, "统计年度")}
    assert "五千" in job.result["errors"][0]["message"]
    assert not Region.objects.filter(code__in=[t.code for t in townships], population__isnull=False).exists()


@pytest.mark.django_db
def test_codes_outside_the_jurisdiction_unknown_or_repeated_are_errors(
    county_client, django_capture_on_commit_callbacks
):
    own = Region.objects.filter(parent_id="522301").first()
    rows = [
        (own.code, "", 1, None),
        ("522302001", "", 2, None),
        ("529999999", "", 3, None),
        (own.code, "", 4, None),
        ("12345", "", 5, None),
    ]
    _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    result = Job.objects.get().result
    assert [e["row"] for e in result["errors"]] == [3, 4, 5, 6]
    assert Region.objects.get(code=own.code).population is None


@pytest.mark.django_db
def test_a_file_that_is_not_excel_fails_with_a_message(county_client, django_capture_on_commit_callbacks):
    response = _upload(
        county_client, b"PK\x03\x04 this is not a workbook", capture=django_capture_on_commit_callbacks
    )
    # Refused at the upload, by its content (lib/uploads.py), before a job is started.
    assert response.status_code == 200 and not Job.objects.exists()
    assert "xlsx" in " ".join(response.context["form"].errors["file"])


@pytest.mark.django_db
def test_a_sheet_without_the_template_headers_is_refused(county_client, django_capture_on_commit_callbacks):
    _upload(
        county_client,
        _sheet([("522301001", 1)], headers=("code", "pop")),
        capture=django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "区划代码" in job.message


@pytest.mark.django_db
def test_the_upload_form_refuses_other_file_types(county_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = county_client.post(
        reverse("regions:population_import"), {"file": SimpleUploadedFile("a.csv", b"1,2")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_rows_left_without_a_population_are_skipped(county_client, django_capture_on_commit_callbacks):
    a, b = Region.objects.filter(parent_id="522301").order_by("code")[:2]
    _upload(
        county_client,
        _sheet([(a.code, a.name, 321, 2024), (b.code, b.name, None, None)]),
        capture=django_capture_on_commit_callbacks,
    )
    result = Job.objects.get().result
    assert result["ok"], result
    assert result["changed"] == 1 and result["skipped"] == 1
    assert Region.objects.get(code=b.code).population is None


@pytest.mark.django_db
def test_an_untouched_template_writes_nothing_and_says_why(county_client, django_capture_on_commit_callbacks):
    template = county_client.get(reverse("regions:population_template")).content
    _upload(county_client, template, capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.message


@pytest.mark.django_db
def test_an_implausible_statistics_year_is_refused_by_row(county_client, django_capture_on_commit_callbacks):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    townships = list(Region.objects.filter(parent_id="522301").order_by("code")[:4])
    rows = [
        (townships[0].code, "", 5000, 2099),
        (townships[1].code, "", 6000, 1999),
        (townships[2].code, "", 7000, next_year),  # figures published ahead of their year
        (townships[3].code, "", 8000, 2000),
    ]
    _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    result = Job.objects.get().result
    assert result["ok"] is False
    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [
        (2, "统计年度", f"不能大于{next_year}，当前为2099"),
        (3, "统计年度", "不能小于2000，当前为1999"),
    ]
    assert not Region.objects.filter(code__in=[t.code for t in townships], population__isnull=False).exists()


@pytest.mark.django_db
def test_the_population_form_and_service_refuse_an_implausible_year(county_client, users):
    from django.core.exceptions import ValidationError

    from shegong.regions.services import region_set_population

    response = county_client.post(
        reverse("regions:population", args=["522301"]), {"population": "850000", "year": "2099"}
    )
    assert response.status_code in (200, 302)
    assert Region.objects.get(code="522301").population is None
    with pytest.raises(ValidationError) as refused:
        region_set_population(
            actor=users["county"], region=Region.objects.get(code="522301"), population=1, year=2099
        )
    assert "population_year" in refused.value.message_dict
