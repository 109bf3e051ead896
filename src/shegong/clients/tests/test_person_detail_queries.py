"""A person's page reads each of its lists (visits, cases, services received) in one query whatever their
length, each with only what the page prints of it (issue 18: the page is a fifth of what users open)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.casework import services as casework
from shegong.casework.tests.factories import TOWNSHIP, item, make_case, station
from shegong.clients.tests.factories import actor_for, make_person, make_visit
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db


def _service(person, days: int):
    return casework.service_record_create(
        actor=actor_for(TOWNSHIP),
        station=station(),
        item=item(),
        served_on=timezone.localdate() - dt.timedelta(days=days),
        duration_minutes=30,
        mode="home",
        person=person,
    )


def _queries(client, person) -> tuple[int, str]:
    client.get(f"/people/{person.pk}/")  # per-process caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_person_s_page_costs_the_same_queries_for_one_or_many_records(client, users):
    few, many = make_person(name="王少"), make_person(name="李多")
    for person, n in ((few, 1), (many, 4)):
        for days in range(n):
            make_visit(person, days + 1, findings=f"走访记录{days}")
            _service(person, days + 1)
        make_case(person=person)
    verified_login(client, users["county"])
    one, _page = _queries(client, few)
    four, page = _queries(client, many)
    assert one == four
    assert "走访记录3" in page and "精神慰藉" in page and "GA" in page  # the rows are on the page
