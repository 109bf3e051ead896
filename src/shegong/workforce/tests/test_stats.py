"""Talent statistics, pinned on a small prefecture counted by hand (see the comments), and their cost in
queries, which does not grow with the number of children."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from shegong.network.models import Kind
from shegong.regions.models import Region
from shegong.workforce import services
from shegong.workforce.figures import target_progress, workforce_figures
from shegong.workforce.tests.factories import (
    certify,
    make_agency,
    make_credit_code,
    make_station,
    make_training,
    make_worker,
)

TODAY = dt.date(2025, 6, 30)  # a year ago: 2024-06-30


@pytest.fixture
def prefecture(db):
    """Stations: S1 (522301001), S2 (522301002), S3 (522302001), and the county centre C1 (522301), which
    counts as a station for staffing. County 522301 requires two full-time workers per station.

    w1 S1 resident, joined 2022, assistant 2021            talent now and a year ago; full-time; certified then
    w2 S1 community worker, joined 2024-09                 talent now only; not full-time
    w3 S2 dispatched, joined 2023, assistant 2020, social worker 2025: talent both; full-time; level 2 now
    w4 S3 agency staff, joined 2021, senior 2019, left 2025-01-15: a talent a year ago only
    w5 no station, in 522302, other, joined 2020           talent both; not full-time
    w6 S2 resident, joined 2025-02, assistant 2025         talent now only; full-time; certified now only
    """
    s1 = make_station("522301001")
    s2 = make_station("522301002")
    s3 = make_station("522302001")
    make_station("522301", kind=Kind.COUNTY_CENTRE, name="兴义市社工总站")
    w1 = make_worker(s1, name="w1", joined_on=dt.date(2022, 3, 1))
    certify(w1, 1, 2021)
    w2 = make_worker(s1, name="w2", employment_type="community", joined_on=dt.date(2024, 9, 1))
    w3 = make_worker(s2, name="w3", employment_type="dispatched", joined_on=dt.date(2023, 1, 1))
    certify(w3, 1, 2020)
    certify(w3, 2, 2025)
    w4 = make_worker(s3, name="w4", employment_type="agency", joined_on=dt.date(2021, 5, 1))
    certify(w4, 3, 2019)
    services.worker_leave(actor=None, worker=w4, left_on=dt.date(2025, 1, 15))
    make_worker(None, name="w5", region="522302", employment_type="other", joined_on=dt.date(2020, 1, 1))
    w6 = make_worker(s2, name="w6", joined_on=dt.date(2025, 2, 1))
    certify(w6, 1, 2025)
    services.staffing_rule_set(actor=None, region=Region.objects.get(code="522301"), minimum=2)
    Region.objects.filter(code="5223").update(population=2_500_000)
    Region.objects.filter(code="522301").update(population=400_000)
    make_agency("522301", rating="4A", rating_year=2023)
    make_agency(
        "522302",
        name="兴仁市社工中心",
        credit_code=make_credit_code("52522302MJ000002"),
        registered_on=dt.date(2025, 3, 1),
    )
    by = "州民政局"
    make_training(
        "522301", "轮训", dt.date(2025, 3, 1), hours=8, outsiders=10, organiser=by, attendees=[w1, w2]
    )
    make_training("522301", "去年", dt.date(2024, 3, 1), hours=4, outsiders=3, organiser=by, attendees=[w1])
    return Region.objects.get(code="5223")


def test_the_prefecture_figures_match_the_hand_count(users, prefecture):
    total = workforce_figures(user=users["prefecture"], region=prefecture, today=TODAY).total
    assert total.talents == 5  # w1 w2 w3 w5 w6
    assert total.talents_year_ago == 4  # w1 w3 w4 w5
    assert total.talent_growth == 25.0
    assert total.per_10k == 0.02  # 5 / 2,500,000 × 10,000
    assert total.full_time == 3  # w1 w3 w6
    assert dict(total.by_level) == {1: 2, 2: 1}  # w1 w6 assistant, w3 social worker; w4 has left
    assert total.certified == 3 and total.certified_year_ago == 3 and total.certified_growth == 0.0
    assert (
        total.agencies == 2
        and dict(total.agencies_by_rating) == {"4A": 1, "": 1}
        and total.agencies_year_ago == 1
    )
    assert (total.stations, total.under_staffed) == (4, 3)  # S1 1<2, S3 0<1, C1 0<2; S2 has 2
    assert (total.sessions, total.person_times, total.training_hours) == (1, 12, 16)


def test_each_county_gets_its_share(users, prefecture):
    children = {
        c.code: c
        for c in workforce_figures(user=users["prefecture"], region=prefecture, today=TODAY).children
    }
    xingyi, xingren = children["522301"], children["522302"]
    assert (xingyi.talents, xingyi.full_time, xingyi.certified, xingyi.per_10k) == (4, 3, 3, 0.1)
    assert (xingyi.stations, xingyi.under_staffed) == (3, 2)
    assert (xingren.talents, xingren.talents_year_ago, xingren.full_time, xingren.certified) == (1, 2, 0, 0)
    assert xingren.talent_growth == -50.0
    assert (xingren.stations, xingren.under_staffed, xingren.agencies) == (1, 1, 1)
    assert children["522324"].talents == 0 and children["522324"].per_10k is None


def test_a_county_sees_only_its_own_figures(users, prefecture):
    county = Region.objects.get(code="522301")
    figures = workforce_figures(user=users["county"], region=county, today=TODAY)
    assert figures.total.talents == 4
    assert {c.code: c.talents for c in figures.children if c.talents} == {"522301001": 2, "522301002": 2}


def test_the_queries_do_not_grow_with_the_children(users, prefecture):
    counts = []
    for user, code in (("province", "52"), ("prefecture", "5223"), ("county", "522301")):
        with CaptureQueriesContext(connection) as queries:
            workforce_figures(user=users[user], region=Region.objects.get(code=code), today=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2] <= 9, counts


def test_the_stats_page_and_the_api_show_the_figures(client, users, prefecture):
    from shegong.testing import verified_login

    verified_login(client, users["leader"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workforce:stats", args=["5223"]))
    assert response.status_code == 200
    assert len(queries) <= 25, len(queries)
    page = response.content.decode()
    assert 'data-testid="full-time">3<' in page
    _instance, token = AuthToken.objects.create(users["leader"])
    body = client.get(
        reverse("api:stats_workforce") + "?region=5223", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["region"]["full_time_station_workers"] == 3
    assert body["region"]["certified_by_level"] == {"assistant": 2, "intermediate": 1, "senior": 0}
    assert {c["code"] for c in body["children"]} >= {"522301", "522302"}
    outside = client.get(
        reverse("api:stats_workforce") + "?region=5201", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert outside.status_code == 404


def test_a_target_projects_the_last_years_pace(users, prefecture):
    target = services.talent_target_create(
        actor=None, region=prefecture, indicator="talents", value=10, deadline=dt.date(2027, 12, 31)
    )
    figures = workforce_figures(user=users["prefecture"], region=prefecture, today=TODAY).total
    progress = target_progress(target, figures, today=TODAY)
    # Five to go at one a year: five years.
    assert (progress.current, progress.gap, progress.met) == (5, 5, False)
    assert progress.projected == TODAY + dt.timedelta(days=5 * 365)
    assert progress.on_time is False
