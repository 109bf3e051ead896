"""Resident population and coverage-scope exclusions through the one import engine (shegong.regions.ledgers):
names of townships and villages instead of codes, title rows, full-width digits, 2024年 as a year; every error
named by row and column in one pass; all or nothing; the old page leads to the engine's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shegong.jobs.models import Job
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the engine's fixture)
from shegong.lib.importer.tests.corpus import xlsx
from shegong.regions.models import Region
from shegong.testing import verified_login

HEADERS = ("区划代码", "名称", "常住人口", "统计年度")


def _sheet(rows, headers=HEADERS, title_rows=()) -> bytes:
    return xlsx([list(headers), *[list(r) for r in rows]], title_rows=title_rows)


def _upload(client, data: bytes, name="population.xlsx", capture=None, ledger="regions.population"):
    """Upload through the engine's page, as a clerk does: the check, then (if it found no error) the
    confirmation. Returns the last job."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):
        response = client.post(
            reverse("importer:index"),
            {"ledger": ledger, "file": SimpleUploadedFile(name, data), "mode": "all_or_nothing"},
        )
    assert response.status_code == 302, response.content.decode()[:300]
    check = Job.objects.order_by("-created_at").first()
    if not check.result.get("ok"):
        return check
    with capture(execute=True):
        client.post(reverse("importer:confirm", args=[check.pk]))
    return Job.objects.order_by("-created_at").first()


@pytest.fixture
def county_client(client, users):
    verified_login(client, users["county"])
    return client


def _errors(job) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in job.result["errors"]]


@pytest.mark.django_db
def test_the_old_pages_lead_to_the_engine(county_client):
    response = county_client.get(reverse("regions:population_import"))
    assert response["Location"] == reverse("importer:index") + "?ledger=regions.population"
    response = county_client.get(reverse("regions:population_template"))
    assert response["Location"] == reverse("importer:template", args=["regions.population"])


@pytest.mark.django_db
def test_a_statistics_table_by_names_goes_in_as_it_is(county_client, django_capture_on_commit_callbacks):
    townships = list(Region.objects.filter(parent_id="522301").order_by("code")[:3])
    village = Region.objects.filter(parent=townships[0]).order_by("code").first()
    rows = [
        ("序号", "乡镇（街道）", "常住人口（人）", "年度"),
        (1, townships[0].name + "办事处", "１２,３４５", "2024年"),
        (2, townships[1].name, 20000, 2024),
        (3, townships[2].code, 30000, "２０２４"),
        (4, village.name, 800, 2024),
        ("合计", None, 63145, None),
    ]
    job = _upload(
        county_client,
        xlsx(rows, title_rows=[["兴义市2024年常住人口统计表"]]),
        capture=django_capture_on_commit_callbacks,
    )
    assert job.result.get("written") == 4, (job.result["message"], job.result["errors"])
    for region, population in zip([*townships, village], [12345, 20000, 30000, 800], strict=True):
        region.refresh_from_db()
        assert (region.population, region.population_year) == (population, 2024)


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
    job = _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    assert job.result["ok"] is False
    assert _errors(job) == [(3, "常住人口"), (4, "统计年度")]
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
        ("不存在乡", "", 5, None),
    ]
    job = _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    assert _errors(job) == [(3, "区划代码"), (4, "区划代码"), (5, "区划代码"), (6, "区划代码")]
    assert Region.objects.get(code=own.code).population is None


@pytest.mark.django_db
def test_a_sheet_without_the_columns_says_which_are_missing(
    county_client, django_capture_on_commit_callbacks
):
    job = _upload(
        county_client,
        _sheet([("522301001", 1)], headers=("code", "pop")),
        capture=django_capture_on_commit_callbacks,
    )
    assert job.result["ok"] is False and "区划" in job.result["message"]


@pytest.mark.django_db
def test_an_implausible_statistics_year_is_refused_by_row(county_client, django_capture_on_commit_callbacks):
    next_year = timezone.localdate().year + 1
    townships = list(Region.objects.filter(parent_id="522301").order_by("code")[:4])
    rows = [
        (townships[0].code, "", 5000, 2099),
        (townships[1].code, "", 6000, 1999),
        (townships[2].code, "", 7000, next_year),  # figures published ahead of their year
        (townships[3].code, "", 8000, 2000),
    ]
    job = _upload(county_client, _sheet(rows), capture=django_capture_on_commit_callbacks)
    assert job.result["ok"] is False
    assert [(e["row"], e["column"], e["message"]) for e in job.result["errors"]] == [
        (2, "统计年度", f"请填写2000至{next_year}年之间的年度。"),
        (3, "统计年度", f"请填写2000至{next_year}年之间的年度。"),
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


@pytest.mark.django_db
def test_coverage_scope_exclusions_with_their_reasons(users, run):  # noqa: F811
    villages = list(Region.objects.filter(code__startswith="522301001", level=5).order_by("code")[:3])
    rows = [
        ["村（社区）", "是否纳入覆盖范围", "不纳入原因"],
        [villages[0].name, "否", "整村搬迁，已无常住人口"],
        [villages[1].code, None, "并入相邻社区"],
        [villages[2].name, "不纳入", None],  # no reason: refused
        ["522302001001", "否", "不是本县的"],
    ]
    job = run(users["county"], "regions.scope", xlsx(rows), commit=True)
    assert _errors(job) == [(4, "不纳入原因"), (5, "村（社区）")], job.result["errors"]
    assert Region.objects.filter(in_scope=False).count() == 0
    job = run(users["county"], "regions.scope", xlsx(rows[:3]), commit=True)
    assert job.result.get("written") == 2, job.result["errors"]
    first = Region.objects.get(code=villages[0].code)
    assert not first.in_scope and first.scope_reason == "整村搬迁，已无常住人口"
    assert first.scope_changed_by == users["county"]
    assert Region.objects.get(code=villages[1].code).in_scope is False
    assert Region.objects.get(code="522302001001").in_scope is True


@pytest.mark.django_db
def test_a_failed_population_import_on_sqlite_takes_back_the_batches_it_wrote(users, run, monkeypatch):  # noqa: F811
    """The engine writes in short journaled transactions on SQLite: a row that fails as it is written takes
    back the populations already changed by earlier batches (their values before the import are journaled)."""
    from django.core.exceptions import ValidationError

    from shegong.regions import ledgers

    townships = list(Region.objects.filter(parent_id="522301").order_by("code")[:3])
    monkeypatch.setattr(ledgers.PopulationLedger, "batch_size", 1)
    real = ledgers.region_set_population

    def fail_on_the_last(*, actor, region, population, year):
        if region.code == townships[2].code:
            raise ValidationError({"population": "失败"})
        return real(actor=actor, region=region, population=population, year=year)

    monkeypatch.setattr(ledgers, "region_set_population", fail_on_the_last)
    many = ledgers.regions_set_population_many

    def batch_fails_on_the_last(*, actor, entries):
        if any(region.code == townships[2].code for region, _population, _year in entries):
            raise ValidationError({"population": "失败"})
        return many(actor=actor, entries=entries)

    monkeypatch.setattr(ledgers, "regions_set_population_many", batch_fails_on_the_last)
    rows = [HEADERS, *[(t.code, "", 100 + i, 2024) for i, t in enumerate(townships)]]
    job = run(users["county"], "regions.population", xlsx(rows), commit=True)
    assert job.result.get("ok") is False
    assert not Region.objects.filter(code__in=[t.code for t in townships], population__isnull=False).exists()
