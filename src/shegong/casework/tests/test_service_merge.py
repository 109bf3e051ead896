"""A county's service records, newest first, paged as the merge of its facilities' own newest-first scans on
PostgreSQL (lib/paging.py ``MergedPages``, casework/selectors.py ``_at_its_facilities``) and by the plain query on
SQLite: every page the same rows in the same order as the plain query's, under every filter of the list, on the
page and in the API; the sibling county's records never among them; the count the capped one it was.

Run on both databases: ``pytest`` (SQLite) and ``DATABASE_URL=postgres://… pytest`` (the merge itself)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shegong.casework.lists import SERVICE_RECORDS
from shegong.casework.models import ServiceItem, ServiceRecord
from shegong.casework.selectors import service_record_list
from shegong.casework.tests.factories import station
from shegong.clients.tests.factories import make_person
from shegong.lib import paging
from shegong.network.tests.factories import make_facility
from shegong.testing import bearer

pytestmark = pytest.mark.django_db
MERGING = connection.vendor == "postgresql"
DAY = dt.date(2025, 6, 30)
OWN = ("522301001", "522301002", "522301003")  # three township stations of county 522301
SIBLING = "522302001"


def _merged(queries) -> bool:
    return any("CROSS JOIN LATERAL" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def records(users):
    """73 records of county 522301 at three stations and a village room (a fourth facility without any), served
    on twelve days with many on the same day at several stations (the id decides, and ids do not follow the
    days), three items, three modes, a few to a person; 20 of the sibling county, all newer (on top if they
    leaked). Written in one go: this is about reading them."""
    stations = [station(code) for code in OWN]
    stations.append(make_facility("522301001001"))  # a village room of the first township
    make_facility("522301004")  # a station of the county without records
    sibling = station(SIBLING)
    items = list(ServiceItem.objects.filter(region__isnull=True).order_by("id")[:3])
    person = make_person(code="522301001001", name="常胜利")
    rng = random.Random(18)
    rows = []
    for n in range(73):
        rows.append(
            ServiceRecord(
                station=rng.choice(stations),
                served_on=DAY - dt.timedelta(days=rng.randrange(12) * 3),
                item=items[n % 3],
                mode=("station", "home", "outreach")[n % 3 if n % 7 else 1],
                person=person if n % 10 == 0 else None,
                group_name="" if n % 10 == 0 else f"本县小组{n}",
                participants=1 + n % 4,
                duration_minutes=30,
                worker=users["county"],
            )
        )
    for n in range(20):
        rows.append(
            ServiceRecord(
                station=sibling,
                served_on=DAY + dt.timedelta(days=n % 4),
                item=items[n % 3],
                mode="home",
                group_name=f"邻县小组{n}",
                participants=1,
                duration_minutes=30,
                worker=users["county2"],
            )
        )
    rng.shuffle(rows)
    ServiceRecord.objects.bulk_create(rows)
    return {"items": items, "person": person, "sibling": sibling}


def _filters(records) -> list[dict]:
    first, second, _third = (str(i.pk) for i in records["items"])
    return [
        {},
        {"item": first},
        {"since": (DAY - dt.timedelta(days=15)).isoformat(), "until": DAY.isoformat()},
        {"mode": "home"},
        {"region": "522301001"},  # a township of the county: its station and its village room
        {"item": second, "since": (DAY - dt.timedelta(days=21)).isoformat()},
        {"item": second, "mode": "home", "until": (DAY - dt.timedelta(days=6)).isoformat()},
    ]


def _expected(user, data) -> list[int]:
    """The plain query's rows: the whole list, unsliced (the merge answers slices only)."""
    rows = SERVICE_RECORDS.filter(data, user).qs
    with CaptureQueriesContext(connection) as queries:
        ids = [r.pk for r in rows]
    assert not _merged(queries)
    return ids


def test_every_page_of_every_filter_is_the_plain_querys_page(users, records):
    county = users["county"]
    everything = _expected(county, {})
    assert len(everything) == 73  # the county's records, and none of the sibling's
    newest_first = sorted(
        ServiceRecord.objects.filter(station__region__code__startswith="522301"),
        key=lambda r: (r.served_on, r.pk),
        reverse=True,
    )
    assert everything == [r.pk for r in newest_first]
    assert len({r.served_on for r in newest_first}) == 12  # days shared by many rows: the id decides
    sibling = set(ServiceRecord.objects.filter(station=records["sibling"]).values_list("pk", flat=True))
    for data in _filters(records):
        expected = _expected(county, data)
        assert expected, data
        rows = SERVICE_RECORDS.filter(data, county).qs.only(*SERVICE_RECORDS.table.page_fields)
        for per_page in (7, 20):
            for start in range(0, len(expected) + per_page, per_page):
                with CaptureQueriesContext(connection) as queries:
                    page = list(rows[start : start + per_page])
                assert [r.pk for r in page] == expected[start : start + per_page], (data, per_page, start)
                assert not sibling & {r.pk for r in page}
                assert all(r.station.region_id.startswith("522301") for r in page)
                # The merge on PostgreSQL (a page past the end included: nothing), the plain query on SQLite.
                assert _merged(queries) == MERGING, (data, start)


def test_the_page_and_the_api_show_the_plain_pages_and_the_capped_count(users, records, login, monkeypatch):
    county = users["county"]
    expected = _expected(county, {})
    client = login(county)
    url = reverse("casework:service_list")
    for number in (1, 2, 3, 4):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": number, "per_page": 20})
        table = response.context["table"]
        assert [row.record.pk for row in table.page.object_list] == expected[(number - 1) * 20 : number * 20]
        assert table.paginator.count == 73 and not table.paginator.capped
        assert _merged(queries) == MERGING
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1 and "LATERAL" not in counts[0]  # the count is the plain capped one
    since = (DAY - dt.timedelta(days=15)).isoformat()
    narrowed = _expected(county, {"since": since})
    response = client.get(url, {"since": since, "page": 2, "per_page": 20})
    assert [row.record.pk for row in response.context["table"].page.object_list] == narrowed[20:40]
    # Sorted by another column: the plain query, its order.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"sort": "item", "per_page": 20})
    assert not _merged(queries)
    by_item = list(
        SERVICE_RECORDS.filter({}, county).qs.order_by("item_id").values_list("item_id", flat=True)
    )
    assert [row.record.item_id for row in response.context["table"].page.object_list] == by_item[:20]
    # A count above the cap: the cap, and its last page the plain query's rows up to it.
    monkeypatch.setattr(paging, "LIST_CAP", 30)
    response = client.get(url, {"page": 2, "per_page": 20})
    table = response.context["table"]
    assert table.paginator.count == 30 and table.paginator.capped
    assert [row.record.pk for row in table.page.object_list] == expected[20:30]
    # The API's pages (page numbers and its cursor) hold the same rows.
    api = client.get("/api/v1/service-records/", {"page": 3, "page_size": 7}, **bearer(county)).json()
    assert [r["id"] for r in api["results"]] == expected[14:21]
    following = client.get(api["next"], **bearer(county)).json()
    assert [r["id"] for r in following["results"]] == expected[21:28]


def test_what_the_merge_does_not_answer_is_read_by_the_plain_query(users, records, monkeypatch):
    county = users["county"]
    expected = _expected(county, {})
    rows = service_record_list(user=county)
    assert isinstance(rows, paging.MergedPages)
    monkeypatch.setattr(paging, "MERGE_DEPTH", 20)  # a page deeper than the merge reads
    for start, merges in ((0, True), (13, True), (14, False), (60, False)):
        with CaptureQueriesContext(connection) as queries:
            assert [r.pk for r in rows[start : start + 7]] == expected[start : start + 7]
        assert _merged(queries) == (MERGING and merges), start
    with CaptureQueriesContext(connection) as queries:
        assert rows[0].pk == expected[0] and rows.first().pk == expected[0]
        assert list(rows.values_list("pk", flat=True)[:5]) == expected[:5]  # values: plain
        assert [r.pk for r in rows.order_by("served_on", "id")[:5]] == expected[::-1][:5]  # oldest first
        assert [r.pk for r in rows.reverse()[2:7]] == expected[::-1][2:7]  # the API's cursor going back
        by_item = list(rows.order_by("item_id", "-served_on").values_list("item_id", "served_on"))
        got = [(r.item_id, r.served_on) for r in rows.order_by("item_id", "-served_on")[:5]]
        assert got == by_item[:5]  # no id at the end: not a key, the plain query's own choice among equals
        assert list(rows.none()[:5]) == []
    assert sum("LATERAL" in q["sql"] for q in queries.captured_queries) == (4 if MERGING else 0)
    # A person's records are not merged: a person is served at few stations, their own index answers.
    person = service_record_list(user=county, person=records["person"])
    assert not isinstance(person, paging.MergedPages)
    mine = [
        r.pk for r in ServiceRecord.objects.filter(person=records["person"]).order_by("-served_on", "-id")
    ]
    assert [r.pk for r in person[:3]] == mine[:3]
    # A township worker's list (one station with records) and the sibling county's own list keep the plain query.
    assert not isinstance(service_record_list(user=users["worker"]), paging.MergedPages)
    theirs = [r.pk for r in service_record_list(user=users["county2"])[:50]]
    assert len(theirs) == 20 and not set(theirs) & set(expected)
