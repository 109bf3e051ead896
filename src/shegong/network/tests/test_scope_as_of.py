"""The coverage scope (townships in scope, excluded and why) and the premises split of built township stations,
as of a past day: counted from the dated scope changes (regions.ScopeChange) and the status history, and
pinned against a recount of those rows.

兴义市 522301 has 32 townships. History:

    522301005  excluded before the history was kept (no date: holds from the start)
    522301006  excluded 2022-01-01 (撤并), included again 2023-06-01 (恢复)
    522301007  excluded 2023-01-01 (撤并), its station built 2021-06-01
    522301001  station built 2021-06-01, independent premises
    522301002  station built 2022-05-01, shared premises
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from knox.models import AuthToken

from shegong.network import selectors
from shegong.network.coverage import network_figures
from shegong.network.models import FacilityStatus, Premises
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Level, Region, ScopeChange
from shegong.regions.services import region_set_scope
from shegong.regions.tests.factories import scope_by_hand

pytestmark = pytest.mark.django_db

S = FacilityStatus


def _scope(code, in_scope, reason, on, actor):
    return region_set_scope(
        actor=actor, region=Region.objects.get(code=code), in_scope=in_scope, reason=reason, effective_on=on
    )


@pytest.fixture
def history(users):
    admin = users["county"]
    # Set before the history was kept, as the migration backfills it: one change with no date.
    Region.objects.filter(code="522301005").update(in_scope=False, scope_reason="开发区")
    ScopeChange.objects.create(region_id="522301005", in_scope=False, reason="开发区", effective_on=None)
    _scope("522301006", False, "撤并", dt.date(2022, 1, 1), admin)
    _scope("522301006", True, "恢复", dt.date(2023, 6, 1), admin)
    _scope("522301007", False, "撤并", dt.date(2023, 1, 1), admin)
    make_facility("522301001", status=S.BUILT, status_date=dt.date(2021, 6, 1), premises=Premises.INDEPENDENT)
    make_facility("522301002", status=S.BUILT, status_date=dt.date(2022, 5, 1), premises=Premises.SHARED)
    make_facility("522301007", status=S.BUILT, status_date=dt.date(2021, 6, 1))


def recount_scope(prefix: str, day: dt.date) -> dict[str, bool]:
    """Each township's scope on ``day`` under ``prefix``, by hand from the change rows."""
    return scope_by_hand(Region.objects.filter(code__startswith=prefix, level=Level.TOWNSHIP), day)


DAYS = [dt.date(2021, 12, 31), dt.date(2022, 6, 30), dt.date(2023, 3, 31), dt.date(2023, 12, 31), None]


@pytest.mark.parametrize("day", DAYS)
def test_scope_and_coverage_as_of_each_day_equal_the_recount(history, users, day):
    county = Region.objects.get(code="522301")
    when = day or timezone.localdate()
    scope = recount_scope("522301", when)
    summary = selectors.scope_summary(user=users["county"], region=county, as_of=day)
    assert summary["in_scope"] == sum(scope.values())
    assert summary["excluded"] == sum(1 for v in scope.values() if not v)
    assert summary["townships"] == 32
    total = network_figures(user=users["county"], region=county, as_of=day).total
    assert total.townships == sum(scope.values())
    # A station counts towards coverage only while its township is in scope.
    built = {
        "522301001": dt.date(2021, 6, 1),
        "522301002": dt.date(2022, 5, 1),
        "522301007": dt.date(2021, 6, 1),
    }
    assert total.covered == sum(1 for code, on in built.items() if on <= when and scope[code])


def test_hand_checked_scope_on_three_days(history, users):
    county = Region.objects.get(code="522301")

    def summary(day):
        s = selectors.scope_summary(user=users["county"], region=county, as_of=day)
        return s["in_scope"], s["excluded"], {r["scope_reason"]: r["n"] for r in s["reasons"]}

    assert summary(dt.date(2021, 12, 31)) == (31, 1, {"开发区": 1})
    assert summary(dt.date(2022, 6, 30)) == (30, 2, {"开发区": 1, "撤并": 1})
    assert summary(dt.date(2023, 12, 31)) == (30, 2, {"开发区": 1, "撤并": 1})
    # 2021: 001 and 007 built, both in scope; end 2023: 007 excluded, 001 and 002 covered of 30.
    end_2021 = network_figures(user=users["county"], region=county, as_of=dt.date(2021, 12, 31)).total
    assert (end_2021.covered, end_2021.townships) == (2, 31)
    end_2023 = network_figures(user=users["county"], region=county, as_of=dt.date(2023, 12, 31)).total
    assert (end_2023.covered, end_2023.townships) == (2, 30)
    # Today's stored scope is the history's scope today.
    assert Region.objects.get(code="522301006").in_scope is True
    assert Region.objects.get(code="522301007").in_scope is False


def test_premises_split_as_of_counts_the_stations_built_by_then(history, users):
    county = Region.objects.get(code="522301")

    def split(day):
        rows = selectors.premises_split(user=users["county"], region=county, as_of=day)
        return {row["value"]: row["n"] for row in rows}

    assert split(dt.date(2021, 12, 31)) == {"independent": 1, "shared": 0, "": 1}
    assert split(dt.date(2022, 12, 31)) == {"independent": 1, "shared": 1, "": 1}
    assert split(dt.date(2020, 12, 31)) == {"independent": 0, "shared": 0, "": 0}


def test_a_scope_change_back_dated_behind_a_later_one_does_not_overturn_it(users):
    admin = users["county"]
    _scope("522301008", False, "撤并", dt.date(2023, 1, 1), admin)
    _scope("522301008", True, "补录", dt.date(2022, 1, 1), admin)
    assert Region.objects.get(code="522301008").in_scope is False
    with pytest.raises(ValidationError) as exc:
        _scope("522301008", True, "恢复", timezone.localdate() + dt.timedelta(days=1), admin)
    assert "effective_on" in exc.value.message_dict
    assert ScopeChange.objects.filter(region_id="522301008").count() == 2


def test_a_sibling_county_may_not_record_a_scope_change(users):
    from shegong.lib.guard import Refused

    with pytest.raises(Refused):
        _scope("522301008", False, "撤并", dt.date(2023, 1, 1), users["county2"])
    assert not ScopeChange.objects.filter(region_id="522301008").exists()


def test_coverage_api_names_scope_and_premises_as_of_the_day(history, users, client):
    _instance, token = AuthToken.objects.create(users["county"])
    body = client.get(
        "/api/v1/stats/coverage/?region=522301&as_of=2022-06-30", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["as_of"] == "2022-06-30"
    assert body["scope"]["in_scope"] == 30 and body["scope"]["excluded"] == 2
    assert {r["reason"]: r["n"] for r in body["scope"]["reasons"]} == {"开发区": 1, "撤并": 1}
    assert {r["value"]: r["n"] for r in body["premises"]} == {"independent": 1, "shared": 1, "": 1}
    assert body["region"]["townships_in_scope"] == 30
    assert body["year_before"]["region"]["townships_in_scope"] == 31
    # Facilities by kind and status, as of the day.
    assert body["region"]["counts"]["township_station"]["built"] == 3
    # The sibling county sees none of it.
    _instance, token2 = AuthToken.objects.create(users["county2"])
    refused = client.get(
        "/api/v1/stats/coverage/?region=522301&as_of=2022-06-30", HTTP_AUTHORIZATION=f"Bearer {token2}"
    )
    assert refused.status_code == 404


def test_the_dashboard_shows_the_scope_as_of_the_day(history, users, client):
    from django.urls import reverse

    from shegong.testing import verified_login

    verified_login(client, users["county"])
    page = client.get(reverse("network:dashboard", args=["522301"]) + "?as_of=2021-12-31")
    assert page.context["scope"]["excluded"] == 1
    assert page.context["premises"][0]["n"] == 1
    html = page.content.decode()
    assert 'data-testid="scope"' in html
