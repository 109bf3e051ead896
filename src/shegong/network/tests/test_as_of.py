"""The network figures as of a past day, pinned against a recount of the dated status history.

History (兴义市 522301 has 32 townships, 兴仁市 522302 18):

    522301001  planned 2021-01-10, building 2021-03-01, built 2021-06-01, operating 2021-09-01
    522301002  built 2022-05-01 (registered as built), suspended 2023-02-01
    522301003  planned 2022-01-01, building 2022-06-01, built 2023-03-01, closed 2024-01-10
    522301004  operating 2023-08-01 (registered operating)
    522301001001 village room, built 2022-02-01
    522302001  operating 2021-06-01 (the sibling county)
"""

import datetime as dt

import pytest
from django.utils import timezone

from shegong.network.coverage import network_figures
from shegong.network.models import BUILT_STATUSES, TOWNSHIP_KINDS, FacilityStatus, Kind, StatusChange
from shegong.network.services import facility_change_status
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Level, Region

pytestmark = pytest.mark.django_db

S = FacilityStatus


def _walk(code, moves, kind=None):
    (first_status, first_day), *rest = moves
    facility = make_facility(
        code, status=first_status, status_date=first_day, **({"kind": kind} if kind else {})
    )
    for status, day in rest:
        facility_change_status(actor=None, facility=facility, to_status=status, on=day)
    return facility


@pytest.fixture
def history():
    _walk(
        "522301001",
        [
            (S.PLANNED, dt.date(2021, 1, 10)),
            (S.BUILDING, dt.date(2021, 3, 1)),
            (S.BUILT, dt.date(2021, 6, 1)),
            (S.OPERATING, dt.date(2021, 9, 1)),
        ],
    )
    _walk(
        "522301002",
        [
            (S.BUILT, dt.date(2022, 5, 1)),
            (S.OPERATING, dt.date(2022, 7, 1)),
            (S.SUSPENDED, dt.date(2023, 2, 1)),
        ],
    )
    _walk(
        "522301003",
        [
            (S.PLANNED, dt.date(2022, 1, 1)),
            (S.BUILDING, dt.date(2022, 6, 1)),
            (S.BUILT, dt.date(2023, 3, 1)),
            (S.CLOSED, dt.date(2024, 1, 10)),
        ],
    )
    _walk("522301004", [(S.OPERATING, dt.date(2023, 8, 1))])
    _walk("522301001001", [(S.BUILT, dt.date(2022, 2, 1))])
    _walk("522302001", [(S.OPERATING, dt.date(2021, 6, 1))])


def recount(prefix: str, day: dt.date) -> dict:
    """The figures of ``prefix`` on ``day``, counted by hand from the status history rows."""
    status: dict[int, str] = {}
    for change in StatusChange.objects.select_related("facility").order_by("changed_on", "id"):
        if change.changed_on <= day and change.facility.region_id.startswith(prefix):
            status[change.facility_id] = (change.to_status, change.facility)
    stations = [(s, f) for s, f in status.values() if f.kind in TOWNSHIP_KINDS]
    rooms = [(s, f) for s, f in status.values() if f.kind == Kind.VILLAGE_ROOM]
    return {
        "covered": len({f.region_id for s, f in stations if s in BUILT_STATUSES}),
        "built": sum(1 for s, _f in stations if s in BUILT_STATUSES),
        "operating": sum(1 for s, _f in stations if s == S.OPERATING),
        "rooms": sum(1 for s, _f in rooms if s in BUILT_STATUSES),
        "townships": Region.objects.filter(
            code__startswith=prefix, level=Level.TOWNSHIP, in_scope=True
        ).count(),
    }


DAYS = [
    dt.date(2020, 12, 31),
    dt.date(2021, 5, 31),
    dt.date(2021, 6, 1),
    dt.date(2021, 12, 31),
    dt.date(2022, 6, 30),
    dt.date(2022, 12, 31),
    dt.date(2023, 3, 1),
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 10),
]


@pytest.mark.parametrize("day", DAYS)
def test_county_figures_as_of_each_day_equal_the_recount_of_the_history(history, users, day):
    total = network_figures(user=users["county"], region=Region.objects.get(code="522301"), as_of=day).total
    expected = recount("522301", day)
    assert (total.covered, total.stations_built, total.stations_operating, total.rooms_built) == (
        expected["covered"],
        expected["built"],
        expected["operating"],
        expected["rooms"],
    )
    assert total.townships == expected["townships"] == 32


def test_hand_checked_values_on_three_days(history, users):
    county = Region.objects.get(code="522301")
    end_2021 = network_figures(user=users["county"], region=county, as_of=dt.date(2021, 12, 31)).total
    assert (end_2021.covered, end_2021.stations_operating, end_2021.rooms_built) == (1, 1, 0)
    end_2023 = network_figures(user=users["county"], region=county, as_of=dt.date(2023, 12, 31)).total
    # 001 operating, 002 suspended (still built), 003 built, 004 operating.
    assert (end_2023.covered, end_2023.stations_built, end_2023.stations_operating) == (4, 4, 2)
    assert end_2023.township_coverage == 12.5
    now = network_figures(user=users["county"], region=county).total
    assert (now.covered, now.stations_built) == (3, 3)  # 003 closed in 2024


def test_prefecture_as_of_names_each_county_and_the_sibling_counts_in_its_own_row(history, users):
    figures = network_figures(
        user=users["prefecture"], region=Region.objects.get(code="5223"), as_of=dt.date(2021, 6, 30)
    )
    by_code = {child.code: child for child in figures.children}
    assert by_code["522301"].covered == 1
    assert by_code["522302"].covered == 1
    assert figures.total.covered == 2


def test_other_county_rows_are_absent_as_of_a_past_day(history, users):
    # The sibling county's administrator sees only 兴仁市 at any date: 兴义市's stations never count.
    figures = network_figures(
        user=users["county2"], region=Region.objects.get(code="5223"), as_of=dt.date(2023, 12, 31)
    )
    assert figures.total.covered == 1
    assert {c.code for c in figures.children if c.covered} == {"522302"}


def test_recent_gain_is_counted_back_from_the_as_of_day(history, users):
    total = network_figures(
        user=users["county"], region=Region.objects.get(code="522301"), as_of=dt.date(2023, 12, 31)
    ).total
    # Built in the 365 days before 2023-12-31: 003 (2023-03-01); 002 was built 2022-05-01.
    assert total.recent_stations == 2


def test_coverage_api_and_dashboard_answer_as_of_a_day_and_name_it(history, users, client):
    from django.urls import reverse
    from knox.models import AuthToken

    from shegong.testing import verified_login

    _instance, token = AuthToken.objects.create(users["county"])
    body = client.get(
        "/api/v1/stats/coverage/?region=522301&as_of=2023-12-31&base_year=2021",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert body["as_of"] == "2023-12-31"
    assert (body["region"]["townships_covered"], body["region"]["stations_operating"]) == (4, 2)
    assert body["year_before"]["as_of"] == "2022-12-31"
    assert body["year_before"]["region"]["townships_covered"] == 2  # 001 and 002
    assert body["growth"]["townships_covered"] == 100.0
    assert body["base"]["region"]["townships_covered"] == 1
    assert body["base"]["growth"]["townships_covered"] == 300.0
    assert {c["code"] for c in body["children"]} <= {f"522301{n:03d}" for n in range(1, 400)}
    future = client.get(
        "/api/v1/stats/coverage/?region=522301&as_of=2999-01-01", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    # A day that has not come is answered as of today, and the answer says so.
    assert future.status_code == 200 and future.json()["as_of"] == timezone.localdate().isoformat()
    # The sibling county's administrator is refused 兴义市 at any date.
    _instance, token2 = AuthToken.objects.create(users["county2"])
    refused = client.get(
        "/api/v1/stats/coverage/?region=522301&as_of=2023-12-31", HTTP_AUTHORIZATION=f"Bearer {token2}"
    )
    assert refused.status_code == 404

    verified_login(client, users["county"])
    page = client.get(reverse("network:dashboard", args=["522301"]) + "?as_of=2021-12-31")
    assert page.status_code == 200
    assert page.context["total"].covered == 1
    html = page.content.decode()
    assert "截至2021年12月31日" in html
    bad = client.get(reverse("network:dashboard", args=["522301"]) + "?as_of=2021-02-30")
    assert bad.status_code == 200
    assert "不是日期" in bad.content.decode()


def test_a_station_registered_with_its_building_date_counts_as_built_from_that_day(users):
    from django.core.exceptions import ValidationError

    from shegong.network import services

    region = Region.objects.get(code="522301007")
    services.facility_create(
        actor=users["county"],
        kind=Kind.TOWNSHIP_STATION,
        region=region,
        name="演示站",
        status=S.OPERATING,
        status_date=dt.date(2021, 6, 1),
        built_on=dt.date(2021, 3, 1),
        opened_on=dt.date(2021, 6, 1),
    )
    county = Region.objects.get(code="522301")

    def at(day):
        return network_figures(user=users["county"], region=county, as_of=day).total

    assert (at(dt.date(2021, 2, 28)).covered, at(dt.date(2021, 3, 1)).covered) == (0, 1)
    assert (at(dt.date(2021, 5, 31)).stations_operating, at(dt.date(2021, 6, 1)).stations_operating) == (0, 1)
    with pytest.raises(ValidationError) as refused:
        services.facility_create(
            actor=users["county"],
            kind=Kind.TOWNSHIP_STATION,
            region=Region.objects.get(code="522301008"),
            name="演示站二",
            status=S.OPERATING,
            status_date=dt.date(2021, 6, 1),
            built_on=dt.date(2021, 7, 1),
        )
    assert "built_on" in refused.value.message_dict


def test_community_and_unit_stations_count_in_their_own_rows_not_in_township_coverage(users):
    make_facility("522301001", status=S.OPERATING)
    make_facility("522301001001", kind=Kind.COMMUNITY_STATION, name="社区社工站", status=S.OPERATING)
    make_facility("522301002", kind=Kind.UNIT_STATION, name="开发区管委会社工站", status=S.OPERATING)
    make_facility("522301", kind=Kind.UNIT_STATION, name="农场社工站", status=S.BUILT)
    total = network_figures(user=users["county"], region=Region.objects.get(code="522301")).total
    assert (total.covered, total.stations_built, total.stations_operating) == (1, 1, 1)
    assert total.count(Kind.COMMUNITY_STATION) == 1
    assert total.count(Kind.UNIT_STATION) == 2
    assert total.rooms_built == 0  # a community station is no village room either


def test_the_dashboard_names_townships_in_and_out_of_scope_and_the_premises_split(users, client):
    from django.urls import reverse

    from shegong.network.models import Premises
    from shegong.testing import verified_login

    make_facility("522301001", status=S.OPERATING, premises=Premises.INDEPENDENT)
    make_facility("522301002", status=S.BUILT, premises=Premises.SHARED)
    make_facility("522301003", status=S.OPERATING, premises=Premises.SHARED)
    Region.objects.filter(code__in=["522301201", "522301202"]).update(in_scope=False, scope_reason="已撤并")
    verified_login(client, users["county"])
    page = client.get(reverse("network:dashboard", args=["522301"]))
    scope = page.context["scope"]
    assert (scope["townships"], scope["in_scope"], scope["excluded"]) == (32, 30, 2)
    assert scope["reasons"] == [{"scope_reason": "已撤并", "n": 2}]
    premises = {row["value"]: (row["n"], row["share"]) for row in page.context["premises"]}
    assert premises["independent"] == (1, 33.3) and premises["shared"] == (2, 66.7)
    html = page.content.decode()
    assert "纳入统计范围30个，不纳入2个" in html
    assert "已撤并：2" in html
