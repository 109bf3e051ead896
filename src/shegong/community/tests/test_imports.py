"""Volunteer and donation imports through the upload page and the job (issue 13: imports that let odd rows
through): a donation repeated in the file or already on record is refused by row; a volunteer name too long
is refused by row and field, never cut."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shegong.community import imports
from shegong.community.models import Donation, Volunteer
from shegong.community.tests.factories import id_number, station
from shegong.jobs.models import Job
from shegong.lib.excel import build_workbook

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


def _sheet(kind: str, rows: list[list]) -> bytes:
    columns = imports._columns(imports.COLUMNS[kind])
    return build_workbook("t", columns, [row + [None] * (len(columns) - len(row)) for row in rows])


def _import(client, kind: str, rows: list[list], capture) -> Job:
    with capture(execute=True):
        response = client.post(
            reverse("community:import"),
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.xlsx", _sheet(kind, rows))},
        )
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.order_by("-created_at").first()


def _errors(job: Job) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


@pytest.fixture
def worker(users, login):
    return login(users["worker"])


def _donation(facility, donor="爱心企业", value=500, items="") -> list:
    return [facility.name, facility.region_id, donor, "企业", "资金", value, items, DAY]


def test_a_donation_repeated_in_the_file_is_refused_on_each_repeat_and_nothing_is_written(
    worker, django_capture_on_commit_callbacks
):
    facility = station()
    row = _donation(facility)
    job = _import(
        worker,
        "donations",
        [row, row, _donation(facility, donor="张先生"), row],
        django_capture_on_commit_callbacks,
    )
    assert job.result["ok"] is False
    assert _errors(job) == [
        (3, "捐赠方", "与第2行是同一笔捐赠，同一笔捐赠只登记一次"),
        (5, "捐赠方", "与第2行是同一笔捐赠，同一笔捐赠只登记一次"),
    ]
    assert not Donation.objects.exists()


def test_two_gifts_alike_but_for_their_items_are_both_recorded_and_a_second_upload_is_refused(
    worker, django_capture_on_commit_callbacks
):
    facility = station()
    rows = [_donation(facility, items="大米十袋"), _donation(facility, items="食用油十桶")]
    first = _import(worker, "donations", rows, django_capture_on_commit_callbacks)
    assert first.result["ok"], first.result
    assert Donation.objects.count() == 2
    again = _import(worker, "donations", rows, django_capture_on_commit_callbacks)
    assert again.result["ok"] is False
    assert [(row, message) for row, _c, message in _errors(again)] == [
        (2, "这笔捐赠已经登记过，同一笔捐赠只登记一次"),
        (3, "这笔捐赠已经登记过，同一笔捐赠只登记一次"),
    ]
    assert Donation.objects.count() == 2


def test_a_volunteer_name_too_long_is_refused_by_row_and_field_not_cut(
    worker, django_capture_on_commit_callbacks
):
    rows = [
        ["李志愿", id_number(), "", "522301001001"],
        ["张" * 10_000, id_number(), "", "522301001001"],
    ]
    job = _import(worker, "volunteers", rows, django_capture_on_commit_callbacks)
    assert job.result["ok"] is False
    assert _errors(job) == [(3, "姓名", "最多50个字。")]
    assert not Volunteer.objects.exists()


def test_a_volunteer_name_of_fifty_characters_is_kept_whole(worker, django_capture_on_commit_callbacks):
    name = "欧阳" * 25
    job = _import(
        worker, "volunteers", [[name, id_number(), "", "522301001001"]], django_capture_on_commit_callbacks
    )
    assert job.result["ok"], job.result
    assert Volunteer.objects.get().name == name
