"""A bulletin issued today for a past month equals the one issued when that month had just ended, whatever was
recorded since (stations built later, a township's scope changed later, files opened and closed later, later
visits, services, workers and volunteers); issuing it again is a new edition and the first stays as issued."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from shegong.bulletins.models import Bulletin
from shegong.bulletins.services import bulletin_issue
from shegong.casework.tests.factories import make_service
from shegong.clients import services as clients
from shegong.clients.tests.factories import actor_for, make_person
from shegong.community import volunteers
from shegong.community.tests.factories import id_number as volunteer_id
from shegong.network.models import FacilityStatus
from shegong.network.services import facility_change_status
from shegong.network.tests.factories import make_facility
from shegong.regions.models import Region
from shegong.regions.services import region_set_scope
from shegong.workforce.tests.factories import certify, make_id, make_worker

pytestmark = pytest.mark.django_db

JUNE = dt.date(2023, 6, 1)
S = FacilityStatus


def _visit(person, on):
    clients.visit_create(
        actor=actor_for(person.region_id), person=person, visited_on=on, mode="home", findings="身体尚可"
    )


def _volunteer(code, day, name):
    parsed = volunteers.volunteer_parse({"name": name, "id_number": volunteer_id(), "phone": ""})
    volunteers.volunteer_create(
        actor=actor_for(code), values=parsed, region=Region.objects.get(code=code), registered_on=day
    )


def _service(station, day, n=1):
    make_service(served_on=day, mode="home", group_name="邻里互助小组", participants=n, at=station)


def _scope(code, in_scope, on, actor):
    region_set_scope(
        actor=actor, region=Region.objects.get(code=code), in_scope=in_scope, reason="撤并", effective_on=on
    )


def _comparable(figures: dict) -> dict:
    """The figures of the month itself (what the bulletin reports); how it compares with other months, which
    editions existed when it was issued, its edition and the day it was issued are the issue's own
    circumstances."""
    kept = {k: v for k, v in figures.items() if k not in ("comparison", "basis", "has_previous")}
    kept["document"] = {k: v for k, v in figures["document"].items() if k not in ("edition", "issued_on")}
    return kept


def test_a_past_months_bulletin_equals_the_one_issued_at_its_end_and_a_reissue_is_a_new_edition(users):
    issuer = users["county"]
    with freeze_time("2023-07-01 09:00:00"):
        first_station = make_facility("522301001", status=S.BUILT, status_date=dt.date(2022, 3, 1))
        facility_change_status(
            actor=None, facility=first_station, to_status=S.OPERATING, on=dt.date(2023, 5, 1)
        )
        second_station = make_facility("522301002", status=S.BUILDING, status_date=dt.date(2023, 2, 1))
        _scope("522301005", False, dt.date(2023, 1, 1), issuer)
        key = make_person(name="甲", risk_level="key", registered_on=dt.date(2023, 1, 10))
        _visit(key, dt.date(2023, 5, 20))
        later_closed = make_person(name="乙", risk_level="key", registered_on=dt.date(2023, 3, 1))
        certify(
            make_worker(first_station, id_number=make_id(sequence=501), joined_on=dt.date(2022, 3, 1)),
            2,
            2022,
        )
        _volunteer("522301001001", dt.date(2023, 4, 1), "志愿甲")
        _service(first_station, dt.date(2023, 6, 10), n=3)
        at_month_end = bulletin_issue(actor=issuer, region=Region.objects.get(code="522301"), month=JUNE)
    kept = (at_month_end.figures, at_month_end.html, bytes(at_month_end.pdf))
    assert at_month_end.figures["until"] == "2023-06-30" and not at_month_end.figures["partial"]
    assert at_month_end.figures["network"]["stations_built"] == 1
    assert at_month_end.figures["people"]["people"] == 2

    # Recorded since, with their own dates, all after June 2023.
    facility_change_status(actor=None, facility=second_station, to_status=S.BUILT, on=dt.date(2023, 8, 1))
    make_facility("522301003", status=S.OPERATING, status_date=dt.date(2024, 1, 5))
    _scope("522301005", True, dt.date(2024, 1, 1), issuer)
    _scope("522301006", False, dt.date(2023, 9, 1), issuer)
    make_person(name="丙", risk_level="key", registered_on=dt.date(2023, 8, 1))
    _visit(key, dt.date(2023, 7, 15))
    _visit(later_closed, dt.date(2023, 7, 20))
    clients.person_update(
        actor=actor_for(later_closed.region_id),
        person=later_closed,
        name=later_closed.name,
        region=later_closed.region,
        active=False,
        closed_on=dt.date(2023, 9, 30),
    )
    make_worker(first_station, id_number=make_id(sequence=502), joined_on=dt.date(2024, 2, 1))
    _volunteer("522301001001", dt.date(2024, 3, 1), "志愿乙")
    _service(first_station, dt.date(2023, 7, 5))

    again = bulletin_issue(actor=issuer, region=Region.objects.get(code="522301"), month=JUNE)
    assert again.edition == at_month_end.edition + 1 == 2
    assert again.issue_number == at_month_end.issue_number  # an edition of the same issue
    assert again.figures["document"]["issued_on"] == timezone.localdate().isoformat()
    assert at_month_end.figures["document"]["issued_on"] == "2023-07-01"
    assert _comparable(again.figures) == _comparable(at_month_end.figures)
    at_month_end.refresh_from_db()
    assert (at_month_end.figures, at_month_end.html, bytes(at_month_end.pdf)) == kept
    assert Bulletin.objects.filter(region_id="522301", month=JUNE).count() == 2
