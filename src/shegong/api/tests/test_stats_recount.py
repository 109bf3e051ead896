"""Every figure of the four statistics endpoints, as of a date, against a recount from the raw rows (issue 17,
"Done means": tests pin each as-of figure against a recount on dated data).

The data is the demo's dated history of 黔西南州 (2020 to today: stations with their status histories and scope,
workers with their joining, leaving and certificate dates, files registered and closed, cases opened and closed,
visits, services, volunteers, organisations, donations), read through the API as the prefecture's administrator
on three days. Each recount below reads the rows themselves in Python — no figure function, no rollup, no
stored status — so a figure that drifted from its dated facts (a rollup, a stored status read for a past day,
a scope change ignored) shows here, named by its endpoint and path.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken

from shegong.casework.models import OPEN_STAGES, Case, ServiceRecord
from shegong.clients.models import Person, Visit
from shegong.community.models import Organisation, SignUp, SignUpStatus, Volunteer
from shegong.community.models_charity import Donation
from shegong.lib.asof import year_before
from shegong.network.models import (
    BUILT_STATUSES,
    Facility,
    FacilityStatus,
    Honour,
    HonourKind,
    Kind,
    StatusChange,
)
from shegong.regions.models import Level, Region
from shegong.regions.tests.factories import scope_by_hand
from shegong.workforce.models import FULL_TIME_TYPES, Agency, Assignment, Certificate, CertLevel, Worker

pytestmark = pytest.mark.django_db

PREFIX = "5223"


@pytest.fixture
def demo(users):
    for command in ("demo_network", "demo_workforce", "demo_casework", "demo_community"):
        call_command(command, force=True, verbosity=0)


def _under(qs, field: str):
    return qs.filter(**{f"{field}__startswith": PREFIX})


# --- network -------------------------------------------------------------------------------------------------


def _scope_on(day: dt.date) -> dict[str, bool]:
    return scope_by_hand(
        _under(Region.objects.filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)), "code"), day
    )


def _status_on(day: dt.date) -> dict[int, str]:
    status = {}
    for change in _under(StatusChange.objects.order_by("changed_on", "id"), "facility__region__code"):
        if change.changed_on <= day:
            status[change.facility_id] = change.to_status
    return status


def recount_coverage(day: dt.date) -> dict:
    scope, status = _scope_on(day), _status_on(day)
    facilities = {f.pk: f for f in _under(Facility.objects.select_related("region"), "region__code")}
    levels = {code: len(code) for code in scope}
    stations = [
        facilities[pk]
        for pk, s in status.items()
        if facilities[pk].kind == Kind.TOWNSHIP_STATION and len(facilities[pk].region_id) == 9
    ]
    built = [f for f in stations if status[f.pk] in BUILT_STATUSES]
    rooms = [
        facilities[pk]
        for pk, s in status.items()
        if facilities[pk].kind == Kind.VILLAGE_ROOM and len(facilities[pk].region_id) == 12
    ]
    honoured = {
        h.facility_id
        for h in _under(Honour.objects.filter(kind=HonourKind.DEMONSTRATION), "facility__region__code")
        if (h.awarded_on and h.awarded_on <= day) or (h.awarded_on is None and h.year <= day.year)
    }
    kinds = Counter(facilities[pk].kind for pk in status)
    townships = [code for code, n in levels.items() if n == 9]
    figures = {
        "region.townships_in_scope": sum(1 for code in townships if scope[code]),
        "region.townships_covered": len({f.region_id for f in built if scope[f.region_id]}),
        "region.stations_built": len(built),
        "region.stations_operating": sum(1 for f in stations if status[f.pk] == FacilityStatus.OPERATING),
        "region.villages_in_scope": sum(1 for code, n in levels.items() if n == 12 and scope[code]),
        "region.villages_with_room": len(
            {f.region_id for f in rooms if status[f.pk] in BUILT_STATUSES and scope[f.region_id]}
        ),
        "region.demonstration_stations": len(honoured),
        "scope.in_scope": sum(1 for code in townships if scope[code]),
        "scope.excluded": sum(1 for code in townships if not scope[code]),
        **{f"counts.{kind}": n for kind, n in kinds.items()},
    }
    premises = Counter(f.premises for f in built)
    for value in ("independent", "shared", ""):
        figures[f"premises.{value or 'not_recorded'}"] = premises.get(value, 0)
    return figures


def answer_coverage(body: dict) -> dict:
    figures = {key: body["region"][key.split(".", 1)[1]] for key in recount_coverage_keys(body)}
    figures["scope.in_scope"] = body["scope"]["in_scope"]
    figures["scope.excluded"] = body["scope"]["excluded"]
    for kind, statuses in body["region"]["counts"].items():
        if sum(statuses.values()):
            figures[f"counts.{kind}"] = sum(statuses.values())
    for row in body["premises"]:
        figures[f"premises.{row['value'] or 'not_recorded'}"] = row["n"]
    return figures


def recount_coverage_keys(body) -> list[str]:
    return [
        f"region.{key}"
        for key in (
            "townships_in_scope",
            "townships_covered",
            "stations_built",
            "stations_operating",
            "villages_in_scope",
            "villages_with_room",
            "demonstration_stations",
        )
    ]


# --- workforce -----------------------------------------------------------------------------------------------


def _talents(day: dt.date) -> list[Worker]:
    return [
        w
        for w in _under(Worker.objects.all(), "region__code")
        if w.joined_on <= day and (w.left_on is None or w.left_on > day)
    ]


def recount_workforce(day: dt.date) -> dict:
    talents = _talents(day)
    top = {}
    for worker in talents:
        levels = [c.level for c in Certificate.objects.filter(worker=worker) if c.year <= day.year]
        if levels:
            top[worker.pk] = max(levels)
    ago = year_before(day)
    full_time = [
        w
        for w in talents
        if w.employment_type in FULL_TIME_TYPES
        and any(
            a.start_date <= day and (a.end_date is None or a.end_date > day)
            for a in Assignment.objects.filter(worker=w)
        )
    ]
    figures = {
        "talents": len(talents),
        "talents_year_ago": len(_talents(ago)),
        "certified": len(top),
        "certified_year_ago": sum(
            1 for w in _talents(ago) if Certificate.objects.filter(worker=w, year__lte=ago.year).exists()
        ),
        "full_time_station_workers": len(full_time),
        "agencies": sum(
            1
            for a in _under(Agency.objects.all(), "region__code")
            if a.registered_on is None or a.registered_on <= day
        ),
    }
    by_level = Counter(top.values())
    for level in CertLevel:
        figures[f"certified_by_level.{level.name.lower()}"] = by_level.get(level.value, 0)
    return figures


def answer_workforce(body: dict) -> dict:
    region = body["region"]
    figures = {key: region[key] for key in recount_workforce_keys()}
    for level, n in region["certified_by_level"].items():
        figures[f"certified_by_level.{level}"] = n
    return figures


def recount_workforce_keys() -> list[str]:
    return [
        "talents",
        "talents_year_ago",
        "certified",
        "certified_year_ago",
        "full_time_station_workers",
        "agencies",
    ]


# --- services (casework and people) --------------------------------------------------------------------------


def _open_files(day: dt.date) -> list[Person]:
    return [
        p
        for p in _under(Person.objects.all(), "region__code")
        if p.registered_on <= day and (p.closed_on is None or p.closed_on > day)
    ]


def recount_services(day: dt.date) -> dict:
    since = day.replace(month=1, day=1)
    records = [
        r for r in _under(ServiceRecord.objects.all(), "station__region__code") if since <= r.served_on <= day
    ]
    cases = list(_under(Case.objects.all(), "station__region__code"))
    files = _open_files(day)
    overdue = 0
    for person in files:
        if person.visit_interval is None:
            continue
        visits = sorted(
            (v for v in Visit.objects.filter(person=person) if v.visited_on <= day),
            key=lambda v: (v.visited_on, v.id),
        )
        base = visits[-1].visited_on if visits else person.registered_on
        due = base + dt.timedelta(days=person.visit_interval)
        if visits and visits[-1].next_due and visits[-1].next_due < due:
            due = visits[-1].next_due
        overdue += due < day
    by_category = Counter(c.code for p in files for c in p.categories.all())
    return {
        "person_times": sum(r.participants for r in records),
        "records": len(records),
        "open_cases": sum(
            1
            for c in cases
            if c.opened_on <= day
            and ((c.closed_on is None and c.stage in OPEN_STAGES) or (c.closed_on and c.closed_on > day))
        ),
        "cases_closed": sum(1 for c in cases if c.closed_on and since <= c.closed_on <= day),
        "people": len(files),
        "overdue_visits": overdue,
        **{f"people_by_category.{code}": n for code, n in by_category.items()},
    }


def answer_services(body: dict) -> dict:
    figures = {
        key: body[key]
        for key in ("person_times", "records", "open_cases", "cases_closed", "people", "overdue_visits")
    }
    for code, n in body["people_by_category"].items():
        figures[f"people_by_category.{code}"] = n
    return figures


# --- community -----------------------------------------------------------------------------------------------


def recount_community(day: dt.date) -> dict:
    since = day.replace(month=1, day=1)
    volunteers = list(_under(Volunteer.objects.all(), "region__code"))
    confirmed = [
        s
        for s in _under(SignUp.objects.select_related("activity"), "activity__station__region__code")
        if s.status == SignUpStatus.CONFIRMED and since <= s.activity.held_on <= day
    ]
    return {
        "volunteers.volunteers": sum(
            1 for v in volunteers if v.registered_on <= day and (v.left_on is None or v.left_on > day)
        ),
        "volunteers.new_volunteers": sum(1 for v in volunteers if since <= v.registered_on <= day),
        "volunteers.confirmed_hours": str(
            sum((s.confirmed_hours or Decimal(0) for s in confirmed), Decimal(0)).quantize(Decimal("0.01"))
        ),
        "volunteers.confirmed_signups": len(confirmed),
        "organisations.total": sum(
            1 for o in _under(Organisation.objects.all(), "region__code") if o.founded_on <= day
        ),
        "charity.donations": sum(
            1
            for d in _under(Donation.objects.all(), "station__region__code")
            if since <= d.received_on <= day
        ),
    }


def answer_community(body: dict) -> dict:
    return {
        "volunteers.volunteers": body["volunteers"]["volunteers"],
        "volunteers.new_volunteers": body["volunteers"]["new_volunteers"],
        "volunteers.confirmed_hours": body["volunteers"]["confirmed_hours"],
        "volunteers.confirmed_signups": body["volunteers"]["confirmed_signups"],
        "organisations.total": body["organisations"]["total"],
        "charity.donations": body["charity"]["donations"],
    }


ENDPOINTS = {
    "coverage": (recount_coverage, answer_coverage),
    "workforce": (recount_workforce, answer_workforce),
    "services": (recount_services, answer_services),
    "community": (recount_community, answer_community),
}

DAYS = [dt.date(2021, 12, 31), dt.date(2023, 12, 31), year_before(timezone.localdate())]


def test_every_stats_figure_as_of_each_day_equals_the_recount_of_the_rows(demo, users, client):
    """One demo load (it takes minutes), every endpoint on each of DAYS: the mismatches of all figures at once."""
    _instance, token = AuthToken.objects.create(users["prefecture"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    wrong = {}
    checked = 0
    for day in DAYS:
        for name, (recount, answer) in ENDPOINTS.items():
            response = client.get(
                f"/api/v1/stats/{name}/", {"region": PREFIX, "as_of": day.isoformat()}, **auth
            )
            assert response.status_code == 200, (name, response.content[:300])
            body = response.json()
            # Each answer names the day it is as of, and the period of its flow figures.
            assert (body["as_of"], body["since"], body["until"]) == (
                day.isoformat(),
                day.replace(month=1, day=1).isoformat(),
                day.isoformat(),
            ), name
            expected, got = recount(day), answer(body)
            for key in sorted(set(expected) | set(got)):
                checked += 1
                if _same(expected.get(key, 0), got.get(key, 0)):
                    continue
                wrong[f"{day} {name}:{key}"] = {"api": got.get(key), "recount": expected.get(key)}
    assert wrong == {}
    assert checked > 100
    # The data is not empty on the later days: the recount is of something.
    late = DAYS[-1]
    assert recount_coverage(late)["region.townships_covered"] > 0
    assert recount_workforce(late)["talents"] > 0
    assert recount_services(late)["people"] > 0
    assert recount_community(late)["volunteers.volunteers"] > 0


def _same(a, b) -> bool:
    """Equal, money given as text ("0" and "0.00") compared as amounts."""
    if isinstance(a, str) or isinstance(b, str):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b
