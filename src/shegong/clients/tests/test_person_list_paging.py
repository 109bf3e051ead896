"""The people list counts at most LIST_CAP rows (lib/paging.py) and says so when there are more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shegong.clients.models import Person
from shegong.clients.tests.factories import make_person
from shegong.lib import paging

pytestmark = pytest.mark.django_db


def test_the_paginator_counts_up_to_the_cap_and_knows_there_are_more():
    for n in range(7):
        make_person(name=f"李{n}")
    qs = Person.objects.order_by("region_id", "pinyin", "id")
    capped = paging.CappedPaginator(qs, 2, cap=5)
    assert (capped.count, capped.capped, capped.num_pages) == (5, True, 3)
    assert [p.name for p in capped.page(3)] == [p.name for p in qs[4:5]]
    exact = paging.CappedPaginator(qs, 2, cap=7)
    assert (exact.count, exact.capped, exact.num_pages) == (7, False, 4)


def test_the_list_says_when_it_shows_only_the_first_rows(users, login, monkeypatch):
    for n in range(4):
        make_person(name=f"张{n}")
    client = login(users["county"])
    page = client.get(reverse("clients:person_list")).content.decode()
    assert 'data-testid="list-count">4<' in page and "超过" not in page  # the exact count below the cap
    monkeypatch.setattr(paging, "LIST_CAP", 3)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("clients:person_list"))
    shown = response.content.decode()
    assert response.context["table"].paginator.capped
    assert 'data-testid="list-count">3+<' in shown and "超过 3 条" in shown
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql.upper() for sql in counts)


def test_names_match_from_their_first_character_with_an_index_on_postgresql(users, login):
    make_person(name="王秀英")
    client = login(users["county"])
    assert "王秀英" in client.get(reverse("clients:person_list"), {"q": "王秀"}).content.decode()
    assert "王秀英" not in client.get(reverse("clients:person_list"), {"q": "秀英"}).content.decode()
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "clients_person")
    expected = connection.vendor == "postgresql"
    assert ("clients_person_name_prefix" in indexes) is expected


def test_a_search_counts_without_the_lists_order(users, login):
    make_person(name="王秀英")
    client = login(users["county"])
    for params, ordered in (({"q": "王"}, False), ({}, True)):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("clients:person_list"), params)
        count = next(q["sql"] for q in queries if "COUNT(" in q["sql"].upper())
        assert ("ORDER BY" in count.upper()) is ordered
