"""Every community list keeps to the user's county and filters the same rows on its page, in the API and in
its export (shegong.testing.assert_list_scoped); the volunteer's confirmed hours are summed over every
sign-up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from shegong.community import services, volunteers
from shegong.community.tests.factories import (
    actor_for,
    make_activity,
    make_donation,
    make_organisation,
    make_payment,
    make_project,
    make_rule,
    make_volunteer,
    station,
)
from shegong.regions.models import Region
from shegong.testing import assert_list_scoped, bearer

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)


def test_volunteers(users, client):
    def seed(code, mark, matches):
        make_volunteer(f"{code}001", name=mark if matches else f"{mark}（另名）")

    assert_list_scoped(
        client,
        users,
        "community.volunteers",
        page="community:volunteer_list",
        api="/api/v1/volunteers/",
        seed=seed,
        narrow={"q": "甲本县行"},
    )


def test_activities(users, client):
    def seed(code, mark, matches):
        make_activity(code, kind="care_visit" if matches else "festival", title=mark)

    assert_list_scoped(
        client,
        users,
        "community.activities",
        page="community:activity_list",
        api="/api/v1/activities/",
        seed=seed,
        narrow={"kind": "care_visit"},
    )


def test_teams(users, client):
    def seed(code, mark, matches):
        where = station(code) if matches else station(f"{code[:6]}002")
        volunteers.team_create(actor=actor_for(code), station=where, name=mark, founded_on=DAY)

    assert_list_scoped(
        client,
        users,
        "community.teams",
        page="community:team_list",
        api="/api/v1/volunteer-teams/",
        seed=seed,
        narrow={"region": "522301001"},
    )


def test_donations(users, client):
    def seed(code, mark, matches):
        gift = {} if matches else {"form": "kind", "items": "米"}
        make_donation(code, donor=mark, value="100", received_on=DAY, donor_kind="enterprise", **gift)

    assert_list_scoped(
        client,
        users,
        "community.donations",
        page="community:donation_list",
        api="/api/v1/donations/",
        seed=seed,
        narrow={"form": "cash"},
    )


def test_groups(users, client):
    def seed(code, mark, matches):
        group = services.group_create(
            actor=actor_for(code),
            station=station(code),
            name=mark,
            kind="growth",
            aim="增强自信",
            started_on=DAY,
            planned_sessions=6,
        )
        if not matches:
            group.phase = "ending"
            group.save(update_fields=["phase"])

    assert_list_scoped(
        client,
        users,
        "community.groups",
        page="community:group_list",
        api="/api/v1/groups/",
        seed=seed,
        narrow={"phase": "preparing"},
    )


def test_organisations(users, client):
    def seed(code, mark, matches):
        make_organisation(f"{code}001", mark, kind="living" if matches else "charity", on=DAY)

    assert_list_scoped(
        client,
        users,
        "community.organisations",
        page="community:organisation_list",
        api="/api/v1/community-organisations/",
        seed=seed,
        narrow={"kind": "living"},
    )


def test_hours(users, client):
    from shegong.community.tests.factories import confirmed_signup

    def seed(code, mark, matches):
        today = dt.date.today()
        activity = make_activity(
            code, title=mark, held_on=today if matches else today - dt.timedelta(days=20)
        )
        confirmed_signup(make_volunteer(f"{code}001"), activity)

    # The confirmed hours are an export of their own (from the activity list), without a page or an API list.
    assert_list_scoped(
        client,
        users,
        "community.hours",
        page=None,
        api=None,
        seed=seed,
        narrow={"since": (dt.date.today() - dt.timedelta(days=10)).isoformat()},
    )


def test_the_confirmed_hours_of_a_volunteer_count_every_sign_up_not_the_first_200(users, client):

    from shegong.community.models import Activity, SignUp, SignUpStatus
    from shegong.testing import verified_login

    volunteer = make_volunteer()
    first = make_activity()
    activities = Activity.objects.bulk_create(
        Activity(
            station=first.station,
            kind="care_visit",
            title=f"活动{i}",
            held_on=DAY,
            participants=1,
            beneficiaries=1,
        )
        for i in range(205)
    )
    SignUp.objects.bulk_create(
        SignUp(activity=a, volunteer=volunteer, status=SignUpStatus.CONFIRMED, confirmed_hours=Decimal("1.5"))
        for a in activities
    )
    verified_login(client, users["county"])
    response = client.get(f"/community/volunteers/{volunteer.pk}/")
    assert response.status_code == 200
    assert response.context["confirmed_hours"] == Decimal("307.5")  # 205 × 1.5, not 200 × 1.5


def test_matching_payments(users, client):
    def seed(code, mark, matches):
        make_payment(make_project(code, "5000", name=f"{mark}项目", started=DAY), mark, "800", DAY)

    assert_list_scoped(
        client,
        users,
        "community.matching_payments",
        page=None,
        api="/api/v1/matching-payments/",
        seed=seed,
        narrow={"funder": "甲本县行"},
    )


def test_mutual_aid_projects(users, client):
    rule = make_rule("52", "10", name="省级配捐")

    def seed(code, mark, matches):
        make_project(code, "5000", name=mark, started=DAY, status="running" if matches else "raising")

    assert_list_scoped(
        client,
        users,
        "community.mutual_aid_projects",
        page="community:project_list",
        api="/api/v1/mutual-aid-projects/",
        seed=seed,
        narrow={"status": "running", "programme": "幸福家园"},
    )
    response = client.get(reverse("community:project_list"), {"status": "running"})
    assert "省级配捐：500.00" in response.content.decode()  # 10% of the 5,000 raised
    assert response.context["totals"]["projects"] == 1
    assert response.context["totals"]["by_rule"][0]["matched"] == Decimal("500.00")
    [row] = client.get(
        "/api/v1/mutual-aid-projects/", {"status": "running"}, **bearer(users["county"])
    ).json()["results"]
    assert row["matched"] == [{"rule": rule.pk, "name": "省级配捐", "amount": "500.00"}]


def test_deliberation_meetings(users, client):
    def seed(code, mark, matches):
        services.deliberation_create(
            actor=actor_for(code),
            region=Region.objects.get(code=f"{code}001"),
            held_on=dt.date(2024 if matches else 2023, 5, 1),
            topic=mark,
            issues=["路灯"],
        )

    assert_list_scoped(
        client,
        users,
        "community.meetings",
        page="community:deliberation_list",
        api=None,
        seed=seed,
        narrow={"since": "2024-01-01"},
    )


def test_the_deliberation_list_counts_the_problems_of_the_meetings_it_lists(users, client):
    from django.urls import reverse

    from shegong.testing import verified_login

    actor = actor_for("522301001")
    for year, issues in ((2024, ["路灯", "停车"]), (2023, ["垃圾"])):
        services.deliberation_create(
            actor=actor,
            region=Region.objects.get(code="522301001001"),
            held_on=dt.date(year, 5, 1),
            topic=f"{year}年议事",
            issues=issues,
        )
    verified_login(client, users["county"])
    everything = client.get(reverse("community:deliberation_list")).context["totals"]
    assert everything == {"meetings": 2, "raised": 3, "solved": 0}
    this_year = client.get(reverse("community:deliberation_list"), {"since": "2024-01-01"})
    assert this_year.context["totals"] == {"meetings": 1, "raised": 2, "solved": 0}
    assert "2024年议事" in this_year.content.decode() and "2023年议事" not in this_year.content.decode()
