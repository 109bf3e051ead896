"""The service-record export: streamed CSV of what the user may see, with the list's filters, audited."""

import csv
import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from shegong.casework import services
from shegong.casework.tests.factories import item, station

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _record(user, group, served_on=TODAY, code="522301001"):
    return services.service_record_create(
        actor=user,
        station=station(code),
        item=item(),
        served_on=served_on,
        duration_minutes=45,
        mode="station",
        group_name=group,
        participants=3,
    )


def _rows(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_streams_the_records_in_scope_with_chinese_headers(users, login):
    _record(users["county"], '=HYPERLINK("http://x")')
    _record(users["county"], "老年小组", served_on=TODAY - dt.timedelta(days=40))
    client = login(users["county"])
    response = client.get(reverse("casework:service_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:3] == ["记录编号", "服务日期", "区划代码"]
    groups = sorted(row[6] for row in rows[1:])
    assert groups == ['\'=HYPERLINK("http://x")', "老年小组"]
    assert {row[9] for row in rows[1:]} == {"来站"}  # the mode's label, not its code
    since = (TODAY - dt.timedelta(days=10)).isoformat()
    recent = _rows(client.get(reverse("casework:service_export") + f"?since={since}"))
    assert [row[6] for row in recent[1:]] == ['\'=HYPERLINK("http://x")']
    exports = LogEntry.objects.filter(additional_data__event="export", actor=users["county"])
    assert exports.count() == 2
    assert exports.filter(additional_data__since=since, additional_data__export="service_records").exists()


def test_another_county_exports_none_of_them_and_a_leader_may_not_export(users, login, client):
    _record(users["county"], "老年小组")
    assert len(_rows(login(users["county2"]).get(reverse("casework:service_export")))) == 1
    client.logout()
    assert login(users["leader"]).get(reverse("casework:service_export")).status_code == 403
