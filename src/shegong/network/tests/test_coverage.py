"""Coverage pinned on hand-checked cases at every level.

The network below: county 兴义市 522301 has 32 townships, one of which (522301006) is excluded from the scope;
county 兴仁市 522302 has 18. Prefecture 5223 has 140 townships, province 52 has 1,510.

    522301001 operating    counts         522301004 building   does not count (not built yet)
    522301002 built        counts         522301005 closed     does not count
    522301003 suspended    counts         522301006 operating  does not count (township out of scope)
    522302001 operating    counts         522301    county centre, operating: no township covered
    522301001001 village room, operating
"""

import datetime as dt

import pytest

from shegong.network.coverage import network_figures
from shegong.network.models import FacilityStatus, Kind
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    for code, status in [
        ("522301001", FacilityStatus.OPERATING),
        ("522301002", FacilityStatus.BUILT),
        ("522301003", FacilityStatus.SUSPENDED),
        ("522301004", FacilityStatus.BUILDING),
        ("522301006", FacilityStatus.OPERATING),
        ("522302001", FacilityStatus.OPERATING),
        ("522301", FacilityStatus.OPERATING),
        ("522301001001", FacilityStatus.OPERATING),
    ]:
        make_facility(code, status=status)
    closed = make_facility("522301005", status=FacilityStatus.OPERATING)
    from shegong.network.services import facility_change_status

    facility_change_status(
        actor=None, facility=closed, to_status=FacilityStatus.CLOSED, on=dt.date(2024, 1, 1)
    )
    Region.objects.filter(code="522301006").update(in_scope=False, scope_reason="已撤并")


def _figures(user, code):
    return network_figures(user=user, region=Region.objects.get(code=code))


def test_coverage_of_a_county_counts_built_operating_and_suspended_in_scope_townships(network, users):
    total = _figures(users["county"], "522301").total
    assert (total.covered, total.townships) == (3, 31)
    assert total.township_coverage == 9.7


def test_operating_rate_is_operating_over_built_or_later_stations(network, users):
    total = _figures(users["county"], "522301").total
    # 001 operating, 002 built, 003 suspended, 006 operating (a station, though its township is out of scope).
    assert (total.stations_operating, total.stations_built) == (2, 4)
    assert total.operating_rate == 50.0


def test_coverage_of_the_prefecture_and_its_children_ranked(network, users):
    figures = _figures(users["prefecture"], "5223")
    assert (figures.total.covered, figures.total.townships) == (4, 139)
    assert figures.total.township_coverage == 2.9
    by_code = {child.code: child for child in figures.children}
    assert len(by_code) == 8
    assert (by_code["522302"].covered, by_code["522302"].townships) == (1, 18)
    assert (by_code["522301"].covered, by_code["522301"].townships) == (3, 31)
    assert [c.code for c in figures.children[:2]] == ["522301", "522302"]
    assert figures.children[2].township_coverage == 0.0


def test_coverage_of_the_province(network, users):
    total = _figures(users["province"], "52").total
    assert (total.covered, total.townships) == (4, 1509)
    assert total.township_coverage == 0.3


def test_coverage_of_a_township_is_all_or_nothing_and_none_when_out_of_scope(network, users):
    assert _figures(users["worker"], "522301001").total.township_coverage == 100.0
    assert _figures(users["county"], "522301004").total.township_coverage == 0.0
    assert _figures(users["county"], "522301006").total.township_coverage is None


def test_village_room_coverage_counts_villages_with_a_built_room(network, users):
    villages = Region.objects.filter(level=5, code__startswith="522301001").count()
    figures = _figures(users["worker"], "522301001")
    assert (figures.total.villages_with_room, figures.total.villages) == (1, villages)
    room = {c.code: c for c in figures.children}["522301001001"]
    assert room.village_coverage == 100.0


def test_counts_by_level_and_status_include_centres_bound_to_the_region_itself(network, users):
    total = _figures(users["county"], "522301").total
    assert total.count(Kind.COUNTY_CENTRE, FacilityStatus.OPERATING) == 1
    assert total.count(Kind.TOWNSHIP_STATION) == 6
    assert total.count(Kind.TOWNSHIP_STATION, FacilityStatus.CLOSED) == 1


def test_coverage_counts_only_in_scope_townships_and_only_the_user_s_jurisdiction(network, users):
    # The worker of 522301001 asking about the county sees only their township's share.
    total = network_figures(user=users["worker"], region=Region.objects.get(code="522301")).total
    assert (total.covered, total.townships) == (1, 1)


def test_roles_without_network_data_see_nothing(network, users):
    total = network_figures(user=users["sysadmin"], region=Region.objects.get(code="522301")).total
    assert (total.covered, total.townships, total.total()) == (0, 0, 0)


def test_the_dashboard_query_count_does_not_grow_with_children(
    network, users, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = login(users["province"])
    with CaptureQueriesContext(connection) as county:
        assert client.get(reverse("network:dashboard", args=["522301"])).status_code == 200
    # The province has 9 prefectures and 1,510 townships; the county 32 townships: the same queries.
    with django_assert_max_num_queries(len(county.captured_queries)):
        assert client.get(reverse("network:dashboard", args=["52"])).status_code == 200
