"""The visit ledger a county acts on: township, station, responsible worker and category columns; summaries per
station that equal the station's drill-down; sorting by days overdue; Excel export with masked ID numbers."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from shegong.clients import ledger
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, VILLAGE, make_person
from shegong.jobs.models import Job
from shegong.testing import verified_login
from shegong.workbench.tests.factories import TOWNSHIP, station

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _overdue(name, code=VILLAGE, days=200, **fields):
    return make_person(
        code, name=name, risk_level="key", registered_on=TODAY - dt.timedelta(days=days), **fields
    )


def _client(user):
    client = Client()
    verified_login(client, user)
    return client


def test_ledger_shows_township_station_worker_and_category_most_overdue_first(users):
    own = station(TOWNSHIP)
    _overdue("甲较近", days=100, responsible=users["worker"], categories=["特困"])
    _overdue("乙最久", days=300)
    html = _client(users["county"]).get("/people/visits/due/?status=overdue").content.decode()
    table = html[html.index('data-testid="ledger"') :]
    assert own.name in table and "特困" in table and users["worker"].full_name in table
    assert table.index("乙最久") < table.index("甲较近")
    by_name = _client(users["county"]).get("/people/visits/due/?status=overdue&sort=name").content.decode()
    assert 'data-testid="ledger"' in by_name


def test_station_summary_equals_the_station_drill_down_and_leaves_other_counties_out(users):
    own = station(TOWNSHIP)
    for n in range(3):
        _overdue(f"逾期{n}")
    _overdue("外县", code=OTHER_COUNTY_VILLAGE)
    rows = ledger.summary(user=users["county"], length=9)
    assert [(r.code, r.overdue, r.station) for r in rows] == [(TOWNSHIP, 3, own)]
    html = (
        _client(users["county"]).get(f"/people/visits/due/?station={own.pk}&status=overdue").content.decode()
    )
    assert re.search(r'data-testid="ledger-count" data-count="3"', html)
    county_rows = ledger.summary(user=users["prefecture"], length=6)
    assert {r.code: r.overdue for r in county_rows} == {"522301": 3, "522302": 1}


def test_ledger_due_date_in_sql_agrees_with_python(users):
    person = _overdue("对照", days=77)
    row = ledger.ledger(user=users["county"], status="all").get(pk=person.pk)
    from shegong.clients import visiting

    assert row.due_date == visiting.status_of(row, TODAY).due_on


def test_ledger_export_masks_id_numbers(users, django_capture_on_commit_callbacks):
    _overdue("导出人", responsible=users["worker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(users["county"]).post("/people/visits/due/export/", {"status": "overdue"})
    assert response.status_code == 302
    job = Job.objects.get(kind="clients.visit_ledger_export")
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    from shegong.jobs.selectors import job_output_pieces

    data = b"".join(job_output_pieces(job))
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "导出人"
    assert "*" in rows[1][1]  # masked
    assert rows[1][7] == users["worker"].full_name
