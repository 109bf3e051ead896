import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shegong.clients import selectors, services, visiting
from shegong.clients.models import Visit
from shegong.clients.tests.factories import make_person, make_visit
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_visit_form_defaults_to_today_a_home_visit_and_leaves_the_next_date_to_the_rule(users, login):
    person = make_person(risk_level="key")
    page = login(users["worker"]).get(reverse("clients:visit_create", args=[person.pk])).content.decode()
    assert f'value="{TODAY:%Y-%m-%d}"' in page
    # Not pre-filled from today: the service counts it from the visit's own date (a back-dated visit passes).
    assert f'value="{TODAY + dt.timedelta(days=30):%Y-%m-%d}"' not in page
    assert "每30天" in page
    assert 'value="home" id="id_mode_0" autocomplete="off" checked' in page


def test_a_worker_records_a_visit_with_three_fields_and_the_next_one_is_due_by_the_rule(users, login):
    person = make_person(risk_level="watch")
    response = login(users["worker"]).post(
        reverse("clients:visit_create", args=[person.pk]),
        {"visited_on": TODAY.isoformat(), "mode": "phone", "findings": "身体尚可"},
    )
    assert response.status_code == 302
    visit = Visit.objects.get(person=person)
    assert visit.visitor == users["worker"] and visit.mode == "phone"
    assert visit.next_due == TODAY + dt.timedelta(days=90)


def test_the_next_visit_may_be_brought_forward_but_not_pushed_past_the_rule(users):
    person = make_person(risk_level="key")
    visit = make_visit(person, 0, next_due=TODAY + dt.timedelta(days=7))
    assert visit.next_due == TODAY + dt.timedelta(days=7)
    with pytest.raises(ValidationError) as info:
        make_visit(person, 0, next_due=TODAY + dt.timedelta(days=60))
    assert "next_due" in info.value.message_dict


def test_a_visit_in_the_future_is_refused_with_a_message_on_the_date(users, login):
    person = make_person()
    response = login(users["worker"]).post(
        reverse("clients:visit_create", args=[person.pk]),
        {"visited_on": (TODAY + dt.timedelta(days=3)).isoformat(), "mode": "home"},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_ledger_lists_overdue_and_due_people_from_visits_and_rules(users):
    key_overdue = make_person(name="甲", risk_level="key")
    make_visit(key_overdue, 40)
    key_due = make_person(name="乙", risk_level="key")
    make_visit(key_due, 25)
    key_fine = make_person(name="丙", risk_level="key")
    make_visit(key_fine, 2)
    watch_overdue = make_person(name="丁", risk_level="watch")
    make_visit(watch_overdue, 100)
    make_person(name="戊", risk_level="key", registered_on=TODAY - dt.timedelta(days=45))

    overdue = {p.name for p in selectors.visit_ledger(user=users["county"], status="overdue")}
    due = {p.name for p in selectors.visit_ledger(user=users["county"], status="due")}
    assert overdue == {"甲", "丁", "戊"}
    assert due == {"乙"}
    assert not selectors.visit_ledger(user=users["county2"], status="all").exists()


def test_a_category_rule_shorter_than_the_risk_level_rule_wins(users):
    person = make_person(risk_level="general", categories=["特困"])
    make_visit(person, 35)
    assert visiting.interval_for(person) == 30
    assert [p.name for p in selectors.visit_ledger(user=users["county"])] == [person.name]


def test_a_regions_own_rule_replaces_the_national_one_inside_it(users):
    services.visit_rule_set(
        actor=users["county"], region=Region.objects.get(code="522301"), risk_level="key", interval_days=14
    )
    inside = make_person(name="县内", risk_level="key")
    make_visit(inside, 20)
    outside = make_person(name="邻县", code="522302001001", risk_level="key")
    make_visit(outside, 20)
    assert visiting.interval_for(inside) == 14 and visiting.interval_for(outside) == 30
    overdue = {p.name for p in selectors.visit_ledger(user=users["prefecture"], status="overdue")}
    assert overdue == {"县内"}


def test_the_ledger_page_filters_by_station_and_shows_how_late(users, login):
    from shegong.network.tests.factories import make_facility

    station = make_facility("522301001")
    person = make_person(risk_level="key")
    make_visit(person, 45)
    page = (
        login(users["county"]).get(reverse("clients:visit_ledger"), {"station": station.pk}).content.decode()
    )
    assert person.name in page and 'data-testid="ledger"' in page


def test_the_ledger_needs_a_constant_number_of_queries(users, login, django_assert_max_num_queries):
    """The county's ledger carries township, station, worker and category columns and a summary per station:
    still a fixed number of queries, the same for 12 people as for 24."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(12):
        make_visit(make_person(name=f"人{index}", risk_level="key"), 40 + index)
    client = login(users["county"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("clients:visit_ledger"))
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("clients:visit_ledger"))
    for index in range(12):
        make_visit(make_person(name=f"又{index}", risk_level="key", categories=["特困"]), 40 + index)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("clients:visit_ledger"))
    assert len(many) == len(few)


def test_only_an_administrator_sets_visit_rules_for_their_region(users, login):
    response = login(users["county"]).post(
        reverse("clients:visit_rules"), {"key": "risk:watch", "interval_days": "60"}
    )
    assert response.status_code == 302
    assert users["county"].jurisdiction.code == "522301"
    from shegong.clients.models import VisitRule

    assert VisitRule.objects.get(region_id="522301", risk_level="watch").interval_days == 60
    worker = login(users["worker"]).post(
        reverse("clients:visit_rules"), {"key": "risk:watch", "interval_days": "5"}
    )
    assert worker.status_code == 403


def test_a_visit_keeps_its_persons_village_and_moves_with_the_file(users, db):
    """Visit.region scopes the visit lists: it is the person's village, and moving the file moves its visits,
    so the visit is seen by the same people as before the column existed."""
    person = make_person("522301001001")
    visit = make_visit(person, days_ago=1)
    assert visit.region_id == person.region_id == "522301001001"
    assert list(selectors.visit_list(user=users["county"])) == [visit]
    services.person_update(
        actor=users["prefecture"],
        person=person,
        name=person.name,
        region=Region.objects.get(code="522302001001"),
    )
    visit.refresh_from_db()
    assert visit.region_id == "522302001001"
    assert list(selectors.visit_list(user=users["county"])) == []
    assert list(selectors.visit_list(user=users["county2"])) == [visit]


def test_a_file_moved_by_the_people_ledger_takes_its_visits_along(users):
    person = make_person("522301001001", name="李移居")
    visit = make_visit(person, days_ago=3)
    services.people_import_many(
        actor=users["county"],
        entries=[
            {
                "person": person,
                "name": person.name,
                "region": Region.objects.get(code="522301001002"),
                "fields": {},
                "categories": [],
            }
        ],
    )
    visit.refresh_from_db()
    assert visit.region_id == "522301001002"
