"""The workforce as of a past day, pinned against a recount of the dated records, and Honghe's growth (67
certified workers at the end of 2021, 378 at the end of 2022: +464.18%) read through the page, the API and the
bulletin. The Honghe-shaped records sit in 兴义市 (522301); five certified workers of the sibling county 兴仁市
(522302) must never count in 兴义市's figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from shegong.bulletins.figures import bulletin_figures
from shegong.regions.models import Region
from shegong.testing import verified_login
from shegong.workforce import services
from shegong.workforce.figures import workforce_figures
from shegong.workforce.models import Assignment, Certificate, Worker
from shegong.workforce.tests.factories import make_id, make_station, make_worker

pytestmark = pytest.mark.django_db

END_2021 = dt.date(2021, 12, 31)
END_2022 = dt.date(2022, 12, 31)


def _worker(n: int, region: str, station=None, **values):
    born = dt.date(1980, 1, 1) + dt.timedelta(days=n)
    return make_worker(
        station,
        name=f"演示{n}",
        id_number=make_id(place=region, born=born.strftime("%Y%m%d"), sequence=100 + n % 800),
        region=None if station else region,
        joined_on=values.pop("joined_on", dt.date(2020, 3, 1)),
        **values,
    )


def _certify(worker, level: int, year: int) -> None:
    services.certificate_save(
        actor=None, worker=worker, level=level, year=year, number=f"H{worker.pk:05d}{year}"
    )


@pytest.fixture
def honghe():
    station = make_station("522301001")
    for n in range(378):
        worker = _worker(n, "522301", station if n < 20 else None)
        _certify(worker, 1, 2021 if n < 67 else 2022)
    # The sibling county: five certified workers, all of 2021.
    for n in range(5):
        _certify(_worker(1000 + n, "522302"), 2, 2021)
    # One who left at the end of June 2022, certified 2021: counts at the end of 2021 only.
    leaver = _worker(2000, "522301", joined_on=dt.date(2020, 3, 1))
    _certify(leaver, 1, 2021)
    Worker.objects.filter(pk=leaver.pk).update(left_on=dt.date(2022, 6, 30))
    # One who joined in 2023 with a certificate of 2022: counts from the day they joined, not before.
    _certify(_worker(2001, "522301", joined_on=dt.date(2023, 4, 1)), 2, 2022)


def recount(prefix: str, day: dt.date) -> dict:
    """Talents and certified workers of ``prefix`` on ``day``, counted by hand from the rows."""
    talents = [
        w
        for w in Worker.objects.filter(region__code__startswith=prefix)
        if w.joined_on <= day and (w.left_on is None or w.left_on > day)
    ]
    certified = [w for w in talents if any(c.year <= day.year for c in Certificate.objects.filter(worker=w))]
    at_station = [
        w
        for w in talents
        if any(
            a.start_date <= day and (a.end_date is None or a.end_date > day)
            for a in Assignment.objects.filter(worker=w)
        )
    ]
    return {"talents": len(talents), "certified": len(certified), "at_station": len(at_station)}


def test_talents_and_certified_as_of_each_day_equal_the_recount(honghe, users):
    county = Region.objects.get(code="522301")
    for day in (dt.date(2020, 12, 31), END_2021, dt.date(2022, 7, 1), END_2022, dt.date(2023, 4, 1)):
        total = workforce_figures(user=users["county"], region=county, as_of=day).total
        expected = recount("522301", day)
        assert (total.talents, total.certified, total.full_time) == (
            expected["talents"],
            expected["certified"],
            expected["at_station"],
        ), day
    # 67 of 2021 and the leaver at the end of 2021; the leaver is gone by the end of 2022.
    total = workforce_figures(user=users["county"], region=county, as_of=END_2022).total
    assert (total.certified, total.certified_year_ago) == (378, 68)


@pytest.fixture
def honghe_exact(honghe):
    """Without the leaver and the 2023 joiner: exactly Honghe's 67 and 378."""
    Worker.objects.filter(name__in=["演示2000", "演示2001"]).delete()


def test_honghe_growth_through_the_page_the_api_and_the_bulletin(honghe_exact, users, client):
    verified_login(client, users["county"])
    response = client.get(reverse("workforce:stats", args=["522301"]) + "?as_of=2022-12-31&base_year=2021")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="certified">378<' in html
    assert "464.2%" in html
    assert "2021-12-31：67" in html
    assert response.context["base"]["certified"] == 67

    # The API names the day it is as of.
    _instance, token = AuthToken.objects.create(users["county"])
    body = client.get(
        reverse("api:stats_workforce") + "?region=522301&as_of=2022-12-31&base_year=2021",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert body["as_of"] == "2022-12-31"
    assert body["year_before"] == "2021-12-31"
    assert (body["region"]["certified"], body["region"]["certified_year_ago"]) == (378, 67)
    assert body["region"]["certified_growth"] == 464.18
    assert body["base"]["region"]["certified"] == 67
    assert body["base"]["growth"]["certified"] == 464.18

    # The bulletin of December 2022 uses that month's figures.
    figures = bulletin_figures(
        user=users["county"], region=Region.objects.get(code="522301"), month=dt.date(2022, 12, 1)
    )
    assert figures["until"] == "2022-12-31"
    assert figures["workforce"]["certified"] == 378
    assert figures["workforce"]["certified_growth"] == 464.18


def test_other_county_workers_are_absent(honghe_exact, users, client):
    county = workforce_figures(user=users["county"], region=Region.objects.get(code="522301"), as_of=END_2021)
    assert county.total.certified == 67
    sibling = workforce_figures(
        user=users["county2"], region=Region.objects.get(code="522302"), as_of=END_2021
    )
    assert sibling.total.certified == 5
    prefecture = workforce_figures(
        user=users["prefecture"], region=Region.objects.get(code="5223"), as_of=END_2021
    )
    assert prefecture.total.certified == 72
    assert {c.code: c.certified for c in prefecture.children if c.certified} == {"522301": 67, "522302": 5}
    # The sibling county's administrator asking for 兴义市 is refused, not shown a figure.
    _instance, token = AuthToken.objects.create(users["county2"])
    response = client.get(
        reverse("api:stats_workforce") + "?region=522301&as_of=2021-12-31",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404


def test_a_date_in_the_future_or_not_a_date_is_named(users, client):
    _instance, token = AuthToken.objects.create(users["county"])
    response = client.get(
        reverse("api:stats_workforce") + "?region=522301&as_of=2022-13-01",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]
    # A day that has not come is answered as of today, and the answer names that day.
    response = client.get(
        reverse("api:stats_workforce") + "?region=522301&as_of=2999-01-01",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200 and response.json()["as_of"] == timezone.localdate().isoformat()
