"""The raw-SQL floor (network/floor.py) returns exactly the numbers network_figures computes.

The benchmark compares the dashboard with this statement, so the comparison is only fair if the statement
computes everything the dashboard does. The fixture makes every number non-zero somewhere: stations built
long ago and in the last 12 months, a township with a station and a unit station (covered once), a station
in a township out of scope, rooms, a closed station, a county centre on the county's own code, demonstration
honours old and recent, and compliant, partly compliant and superseded assessments.
"""

import datetime as dt

import pytest
from django.db import connection

from shegong.network import services
from shegong.network.coverage import network_figures
from shegong.network.floor import COLUMNS, FACILITY_COLUMNS, NAMES, dashboard_sql
from shegong.network.models import Facility, FacilityStatus, Kind
from shegong.network.tests.factories import assess, make_facility
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 1)
RECENT = dt.date(2023, 9, 1)
OLD = dt.date(2021, 5, 1)


@pytest.fixture
def network():
    for code, status, on in [
        ("522301001", FacilityStatus.OPERATING, OLD),
        ("522301002", FacilityStatus.BUILT, RECENT),
        ("522301003", FacilityStatus.SUSPENDED, OLD),
        ("522301004", FacilityStatus.BUILDING, RECENT),
        ("522301006", FacilityStatus.OPERATING, RECENT),
        ("522302001", FacilityStatus.OPERATING, RECENT),
        ("522302002", FacilityStatus.PLANNED, RECENT),
        ("522301", FacilityStatus.OPERATING, OLD),
        ("522301001001", FacilityStatus.OPERATING, RECENT),
        ("522301001002", FacilityStatus.BUILT, OLD),
        ("522301002001", FacilityStatus.BUILDING, RECENT),
        ("522302001001", FacilityStatus.SUSPENDED, RECENT),
    ]:
        make_facility(code, status=status, status_date=on)
    unit = make_facility("522301001", kind=Kind.UNIT_STATION, name="开发区社工站", status_date=RECENT)
    closed = make_facility("522301005", status=FacilityStatus.OPERATING, status_date=OLD)
    services.facility_change_status(actor=None, facility=closed, to_status=FacilityStatus.CLOSED, on=RECENT)
    Region.objects.filter(code__in=["522301006", "522301001002"]).update(
        in_scope=False, scope_reason="已撤并"
    )

    station = Facility.objects.get(region_id="522301001", kind=Kind.TOWNSHIP_STATION)
    for facility, year, awarded_on in [
        (station, 2021, None),
        (station, 2023, dt.date(2023, 12, 1)),  # the same station twice: counted once
        (unit, 2024, None),  # no date: recent by its year
        (make_facility("522302003", status_date=OLD), 2022, dt.date(2022, 12, 1)),
    ]:
        services.honour_create(
            actor=None,
            facility=facility,
            kind="demonstration",
            year=year,
            issuer="州民政局",
            awarded_on=awarded_on,
        )
    services.honour_create(actor=None, facility=unit, kind="top_ten", year=2023, issuer="州民政局")
    assess(station, met=3)
    assess(station, met=None, on=dt.date(2023, 9, 1))  # supersedes the first: fully compliant
    assess(unit, met=2)
    assess(closed, met=None)  # closed: not counted


def _floor(code: str) -> dict[str, dict]:
    sql, params = dashboard_sql(code, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        child: {"name": name, **dict(zip(NAMES[1:], map(int, values), strict=True))}
        for child, name, *values in rows
    }


def _numbers(figures) -> dict:
    numbers = {name: getattr(figures, name) for name in COLUMNS}
    numbers.update({(kind, status): figures.count(kind, status) for kind, status in FACILITY_COLUMNS})
    return numbers


@pytest.mark.parametrize(
    ("user", "code"),
    [("province", "52"), ("prefecture", "5223"), ("county", "522301"), ("county", "522301001")],
)
def test_the_floor_statement_returns_every_number_of_network_figures(network, users, user, code):
    figures = network_figures(user=users[user], region=Region.objects.get(code=code), today=TODAY)
    floor = _floor(code)
    children = {code: row for code, row in floor.items() if row["is_child"]}
    assert sorted(children) == sorted(child.code for child in figures.children)
    for child in figures.children:
        row = children[child.code]
        assert (row["name"], bool(row["child_in_scope"])) == (child.name, child.in_scope)
        assert {name: row[name] for name in _numbers(child)} == _numbers(child), child.code
    total = {name: sum(row[name] for row in floor.values()) for name in _numbers(figures.total)}
    assert total == _numbers(figures.total)


def test_the_fixture_gives_every_number_of_the_floor_a_value(network, users):
    # Otherwise the comparison above could pass on zeros alike.
    total = _numbers(
        network_figures(user=users["prefecture"], region=Region.objects.get(code="5223"), today=TODAY).total
    )
    assert all(total[name] for name in COLUMNS), total
    assert (
        total
        == {
            **total,
            "townships": 139,
            # The management-unit station on 522301001 counts in its own row, not as a township station (issue 17).
            "stations_built": 6,
            "recent_stations": 3,
            "stations_operating": 4,
            "rooms_built": 3,
            "recent_rooms": 2,
            "covered": 5,
            "recent_covered": 2,  # 522301001's own station was built long ago; the unit station no longer covers it
            "villages_with_room": 2,
            "recent_villages": 2,
            "demonstration": 3,
            "recent_demonstration": 2,
            "assessed": 2,
            "compliant": 1,
            "items": 12,
            "items_met": 8,
        }
    )


def test_network_figures_is_one_statement_whatever_the_number_of_children(
    network, users, django_assert_num_queries
):
    for user, code in [("province", "52"), ("county", "522301001")]:
        region = Region.objects.get(code=code)
        with django_assert_num_queries(1):
            network_figures(user=users[user], region=region)


def test_without_a_region_the_figures_cover_everything_the_user_may_see(network, users):
    everything = network_figures(user=users["province"], region=None, today=TODAY)
    province = network_figures(user=users["province"], region=Region.objects.get(code="52"), today=TODAY)
    assert [child.code for child in everything.children] == ["52"]
    assert _numbers(everything.children[0]) == _numbers(everything.total) == _numbers(province.total)
