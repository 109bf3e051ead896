"""The community figures of a region, pinned on a hand-checked set of records, counted with a constant number
of queries however many records there are."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.community import figures, points, services
from shegong.community.tests.factories import (
    actor_for,
    catalogue_item,
    confirmed_signup,
    make_activity,
    make_donation,
    make_organisation,
    make_volunteer,
    station,
)
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _records(scale: int = 1):
    actor = actor_for()
    for n in range(scale):
        make_activity(kind="care_visit", participants=10, beneficiaries=12, title=f"探访{n}")
        make_activity(kind="festival", participants=40, beneficiaries=60, title=f"节日{n}")
    make_activity(code="522302001", participants=99, beneficiaries=99)  # another county
    group = services.group_create(
        actor=actor,
        station=station(),
        name="长者小组",
        kind="support",
        aim="减少孤独",
        started_on=TODAY - dt.timedelta(days=5),
        other_members=8,
    )
    services.group_session_add(actor=actor, group=group, held_on=TODAY, attendance=7, content="相识")
    volunteer = make_volunteer()
    confirmed_signup(volunteer, hours="2.5")
    points.redemption_create(
        actor=actor, volunteer=volunteer, item=catalogue_item(name=f"毛巾{scale}", cost=20)
    )
    for code, name, kind, status in (
        ("522301001001", f"邻里互助会{scale}", "living", "incubating"),
        ("522301002001", f"广场舞队{scale}", "culture", "cultivating"),
    ):
        make_organisation(code, name, kind=kind, status=status, on=TODAY, actor=actor)
    make_donation(received_on=TODAY)
    make_donation(donor="李四", form="kind", value="300", items="棉被", received_on=TODAY)
    meeting = services.deliberation_create(
        actor=actor,
        region=Region.objects.get(code="522301001001"),
        held_on=TODAY,
        topic="停车",
        issues=["车位", "路灯"],
    )
    services.issue_close(actor=actor, issue=meeting.issues.first(), status="solved", outcome="划线")


def test_the_figures_of_a_county_count_its_records_and_no_other(users):
    _records()
    data = figures.community_figures(
        user=users["county"], area="522301", since=TODAY.replace(month=1, day=1), until=TODAY
    )
    acts = data["activities"]
    # 2 activities + the one confirmed sign-up's activity, and 1 group session.
    assert (acts["activities"], acts["sessions"], acts["held"]) == (3, 1, 4)
    assert acts["beneficiaries"] == 12 + 60 + 30 + 7
    assert acts["person_times"] == 10 + 40 + 20 + 7
    assert {r["kind"]: r["n"] for r in acts["by_kind"]}["care_visit"] == 2
    assert [r["code"] for r in acts["by_region"]] == ["522301001"]
    vols = data["volunteers"]
    assert (vols["volunteers"], vols["confirmed_hours"], vols["points_earned"], vols["points_redeemed"]) == (
        1,
        Decimal("2.5"),
        25,
        20,
    )
    orgs = data["organisations"]
    assert orgs["total"] == 2
    assert {r["code"]: (r["incubating"], r["cultivating"]) for r in orgs["by_region"]} == {
        "522301001": (1, 0),
        "522301002": (0, 1),
    }
    money = data["charity"]
    assert (money["cash"], money["goods"], money["donations"]) == (Decimal("1000"), Decimal("300"), 2)
    assert data["deliberation"] == {"meetings": 1, "raised": 2, "solved": 1, "unsolved": 0, "open": 1}


def test_the_figures_take_the_same_number_of_queries_for_one_record_or_many(users):
    _records(scale=1)
    since = TODAY.replace(month=1, day=1)
    with CaptureQueriesContext(connection) as few:
        figures.community_figures(user=users["prefecture"], area="5223", since=since, until=TODAY)
    _records(scale=6)
    with CaptureQueriesContext(connection) as many:
        figures.community_figures(user=users["prefecture"], area="5223", since=since, until=TODAY)
    assert len(few) == len(many) <= 20


def test_the_sibling_county_sees_none_of_it(users):
    _records()
    data = figures.community_figures(
        user=users["county2"], area="522302", since=TODAY.replace(month=1, day=1), until=TODAY
    )
    assert data["activities"]["activities"] == 1 and data["volunteers"]["volunteers"] == 0
    assert data["charity"]["donations"] == 0 and data["deliberation"]["meetings"] == 0


def test_the_figures_page_names_a_date_it_cannot_take_and_ends_today(users, login):
    """A period ending in year 9999 was walked month by month and overflowed on the last (a server error)."""
    client = login(users["county"])
    response = client.get("/community/", {"until": "9999-12-31"})
    assert response.status_code == 200 and response.context["until"] == TODAY
    response = client.get("/community/", {"since": "0001-01-01"})
    assert response.status_code == 200
    assert "统计起始日期：日期0001-01-01过早。" in response.content.decode()
    assert response.context["since"] == TODAY.replace(month=1, day=1)
