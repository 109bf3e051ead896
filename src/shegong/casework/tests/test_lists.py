"""The case list and the service-record list keep to the user's county and filter the same rows on the page,
in the API and in the export (shegong.testing.assert_list_scoped); the export writes labels and neutralised
text, for every row."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shegong.casework.tests.factories import make_case, make_service
from shegong.clients.tests.factories import make_person
from shegong.testing import list_scope_test

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _record(code, group, served_on=TODAY, mode="station"):

    return make_service(
        code, served_on=served_on, duration_minutes=45, mode=mode, group_name=group, participants=3
    )


def _case(code, mark, matches):
    person = make_person(code=code + "001", name=mark)
    make_case("assessment" if matches else "intake", person=person, code=code)


def _service(code, mark, matches):
    _record(code, mark, mode="home" if matches else "station")


test_each_list_keeps_to_the_county_and_filters_alike = list_scope_test(
    {
        "casework.cases": ("casework:case_list", "/api/v1/cases/", _case, {"stage": "assessment"}),
        "casework.services": (
            "casework:service_list",
            "/api/v1/service-records/",
            _service,
            {"mode": "home"},
        ),
    }
)


def test_the_export_writes_labels_and_neutralised_text_and_filters_by_date(users, login):
    _record("522301001", '=HYPERLINK("http://x")')
    _record("522301001", "老年小组", served_on=TODAY - dt.timedelta(days=40))
    client = login(users["county"])
    url = reverse("core:list_export", args=["casework.services"])
    since = (TODAY - dt.timedelta(days=10)).isoformat()
    sheet = load_workbook(BytesIO(client.get(url).content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("记录编号", "服务日期", "服务项目")
    assert sorted(r[3] for r in rows[1:]) == ['\'=HYPERLINK("http://x")', "老年小组"]
    assert {r[6] for r in rows[1:]} == {"来站"}  # the mode's label, not its code
    recent = load_workbook(BytesIO(client.get(url, {"since": since}).content)).worksheets[0]
    assert [r[3] for r in recent.iter_rows(min_row=2, values_only=True)] == ['\'=HYPERLINK("http://x")']
    assert client.get(url, {"since": "2025-13-01"}).status_code == 400


def test_an_individual_service_shows_its_person_linked_to_the_file_and_a_group_its_name(login, users):

    person = make_person(code="522301001001", name="常胜利")
    make_service("522301001", mode="home", person=person)
    _record("522301001", "邻里互助小组")
    html = login(users["county"]).get(reverse("casework:service_list")).content.decode()
    assert f'<a href="/people/{person.pk}/">常胜利</a>' in html
    assert "邻里互助小组" in html


def test_a_townships_service_list_reads_its_one_station_and_holds_the_same_rows_with_two(users):
    """selectors._at_its_station: a township worker's list names the one facility of the township that has
    records (station_id = X, its own index); with records at two facilities, or at none, the rows are those of
    the scope through the station's division, as before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shegong.casework.selectors import service_record_list
    from shegong.network.tests.factories import make_facility

    worker = users["worker"]  # township 522301001
    assert list(service_record_list(user=worker)) == []
    first = _record("522301001", "站内小组")
    _record("522301002", "邻镇小组")
    with CaptureQueriesContext(connection) as queries:
        assert [r.group_name for r in service_record_list(user=worker)] == ["站内小组"]
    listing = queries.captured_queries[-1]["sql"]
    assert f'"casework_servicerecord"."station_id" = {first.station_id}' in listing
    room = make_facility("522301001001")
    make_service(mode="home", group_name="村室小组", participants=2, at=room)
    assert sorted(r.group_name for r in service_record_list(user=worker)) == ["村室小组", "站内小组"]
    county = sorted(r.group_name for r in service_record_list(user=users["county"], region="522301001"))
    assert county == ["村室小组", "站内小组"]
