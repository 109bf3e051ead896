"""Every community list keeps to the user's county and filters the same rows on its page, in the API and in
its export (shegong.testing.assert_list_scoped); the volunteer's confirmed hours are summed over every
sign-up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

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
from shegong.testing import assert_list_scoped, bearer, list_scope_test

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 1)


def _volunteer(code, mark, matches):
    make_volunteer(f"{code}001", name=mark if matches else f"{mark}（另名）")


def _activity(code, mark, matches):
    make_activity(code, kind="care_visit" if matches else "festival", title=mark)


def _team(code, mark, matches):
    where = station(code) if matches else station(f"{code[:6]}002")
    volunteers.team_create(actor=actor_for(code), station=where, name=mark, founded_on=DAY)


def _donation(code, mark, matches):
    gift = {} if matches else {"form": "kind", "items": "米"}
    make_donation(code, donor=mark, value="100", received_on=DAY, donor_kind="enterprise", **gift)


def _group(code, mark, matches):
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


def _organisation(code, mark, matches):
    make_organisation(f"{code}001", mark, kind="living" if matches else "charity", on=DAY)


def _payment(code, mark, matches):
    make_payment(make_project(code, "5000", name=f"{mark}项目", started=DAY), mark, "800", DAY)


def _meeting(code, mark, matches):
    services.deliberation_create(
        actor=actor_for(code),
        region=Region.objects.get(code=f"{code}001"),
        held_on=dt.date(2024 if matches else 2023, 5, 1),
        topic=mark,
        issues=["路灯"],
    )


# A list's page, its API list, the seed of its rows and the query that keeps the matching row (assert_list_scoped).
LISTS = {
    "community.volunteers": (
        "community:volunteer_list",
        "/api/v1/volunteers/",
        _volunteer,
        {"q": "甲本县行"},
    ),
    "community.activities": (
        "community:activity_list",
        "/api/v1/activities/",
        _activity,
        {"kind": "care_visit"},
    ),
    "community.teams": ("community:team_list", "/api/v1/volunteer-teams/", _team, {"region": "522301001"}),
    "community.donations": ("community:donation_list", "/api/v1/donations/", _donation, {"form": "cash"}),
    "community.groups": ("community:group_list", "/api/v1/groups/", _group, {"phase": "preparing"}),
    "community.organisations": (
        "community:organisation_list",
        "/api/v1/community-organisations/",
        _organisation,
        {"kind": "living"},
    ),
    "community.matching_payments": (None, "/api/v1/matching-payments/", _payment, {"funder": "甲本县行"}),
    "community.meetings": ("community:deliberation_list", None, _meeting, {"since": "2024-01-01"}),
}

test_each_list_keeps_to_the_county_and_filters_alike = list_scope_test(LISTS)


def test_hours(users, client):
    from shegong.community.tests.factories import confirmed_signup

    def seed(code, mark, matches):
        today = timezone.localdate()
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
        narrow={"since": (timezone.localdate() - dt.timedelta(days=10)).isoformat()},
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
