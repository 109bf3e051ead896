"""Volunteers as of a past day: registered with their real dates (the import and the API take the registration
date), counted from registration to the day they stopped serving; GET /api/v1/stats/community/?as_of= names its
day; the sibling county's volunteers never count; a past month's bulletin counts that month's volunteers."""

import datetime as dt

import pytest
from django.urls import reverse
from knox.models import AuthToken

from shegong.bulletins.figures import bulletin_figures
from shegong.community import volunteers
from shegong.community.figures import volunteer_figures
from shegong.community.models import Volunteer
from shegong.community.tests.factories import actor_for, id_number, make_volunteer
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def _register(code: str, day: dt.date, name: str) -> Volunteer:
    parsed = volunteers.volunteer_parse({"name": name, "id_number": id_number(), "phone": ""})
    return volunteers.volunteer_create(
        actor=actor_for(code), values=parsed, region=Region.objects.get(code=code), registered_on=day
    )


def recount(prefix: str, day: dt.date) -> int:
    return sum(
        1
        for v in Volunteer.objects.filter(region__code__startswith=prefix)
        if v.registered_on <= day and (v.left_on is None or v.left_on > day)
    )


def test_volunteers_as_of_each_day_equal_the_recount_and_new_ones_count_in_their_year(users):
    for n, day in enumerate(
        [dt.date(2022, 4, 1), dt.date(2023, 5, 10), dt.date(2023, 5, 20), dt.date(2023, 11, 3)]
    ):
        _register("522301001001", day, f"志愿者{n}")
    leaver = _register("522301001001", dt.date(2022, 1, 5), "离开者")
    Volunteer.objects.filter(pk=leaver.pk).update(status="inactive", left_on=dt.date(2023, 3, 1))
    _register("522302001001", dt.date(2022, 6, 1), "邻县志愿者")
    for day in (dt.date(2021, 12, 31), dt.date(2022, 12, 31), dt.date(2023, 3, 1), dt.date(2023, 12, 31)):
        figures = volunteer_figures(
            user=users["county"], area="522301", since=day.replace(month=1, day=1), until=day, as_of=day
        )
        assert figures["volunteers"] == recount("522301", day), day
    in_2023 = volunteer_figures(
        user=users["county"], area="522301", since=dt.date(2023, 1, 1), until=dt.date(2023, 12, 31)
    )
    assert (in_2023["volunteers"], in_2023["new_volunteers"]) == (4, 3)

    _instance, token = AuthToken.objects.create(users["county"])
    body = client_get(token, "/api/v1/stats/community/?region=522301&as_of=2023-12-31")
    assert body["as_of"] == "2023-12-31"
    assert body["volunteers"]["volunteers"] == 4
    assert body["volunteers"]["new_volunteers"] == 3
    assert body["year_before_figures"]["volunteers"] == 2  # 2022-04 and the leaver
    assert body["growth"]["volunteers"] == 100.0

    # December 2023's bulletin, issued today, counts the volunteers serving at the end of that month.
    bulletin = bulletin_figures(
        user=users["county"], region=Region.objects.get(code="522301"), month=dt.date(2023, 12, 1)
    )
    assert bulletin["community"]["volunteers"] == 4
    # The sibling county's administrator sees only its own volunteer.
    sibling = volunteer_figures(
        user=users["county2"], area="522302", since=dt.date(2022, 1, 1), until=dt.date(2022, 12, 31)
    )
    assert sibling["volunteers"] == 1


_client = None


@pytest.fixture(autouse=True)
def _keep_client(client):
    global _client
    _client = client


def client_get(token, url):
    response = _client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_a_volunteer_who_stops_serving_gets_the_day_and_loses_it_on_return(users):
    volunteer = make_volunteer()
    values = volunteers.volunteer_parse({"name": volunteer.name}, require_id=False)
    volunteers.volunteer_update(actor=actor_for(), volunteer=volunteer, values=values, status="inactive")
    volunteer.refresh_from_db()
    assert volunteer.left_on is not None
    volunteers.volunteer_update(actor=actor_for(), volunteer=volunteer, values=values, status="active")
    volunteer.refresh_from_db()
    assert volunteer.left_on is None
    assert reverse("api:stats_community")
