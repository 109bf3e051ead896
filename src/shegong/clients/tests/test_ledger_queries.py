"""The visit ledger's cost (issue 18): the summaries of every level come from one pass over the people, and
the page counts its rows up to the cap, not all of them."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.clients import ledger
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, VILLAGE, make_person
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _person(name, code=VILLAGE, days=200):
    return make_person(code, name=name, risk_level="key", registered_on=TODAY - dt.timedelta(days=days))


def test_the_summaries_of_both_levels_come_from_one_pass_and_equal_each_level_alone(users):
    for n in range(3):
        _person(f"逾期{n}")
    _person("外县", code=OTHER_COUNTY_VILLAGE)
    _person("未到期", days=1)
    user = users["prefecture"]
    with CaptureQueriesContext(connection) as captured:
        both = dict(ledger.summaries(user=user, lengths=[6, 9]))
    # Today's: one pass over the townships' totals of the rollup, none over the villages' rows or the files.
    passes = [q for q in captured if "clients_visitduetotal" in q["sql"] and "SUM(" in q["sql"].upper()]
    assert len(passes) == 1, [q["sql"] for q in passes]
    assert not [q for q in captured if "clients_visitduecount" in q["sql"]]
    assert not [q for q in captured if '"clients_person"' in q["sql"]]
    # A past day's: one pass over the files.
    yesterday = TODAY - dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as captured:
        past = dict(ledger.summaries(user=user, lengths=[6, 9], today=yesterday))
    passes = [q for q in captured if "clients_person" in q["sql"] and "COUNT(" in q["sql"].upper()]
    assert len(passes) == 1, [q["sql"] for q in passes]
    assert {r.code: r.people for r in past[6]} == {"522301": 4, "522302": 1}
    for length in (6, 9):
        alone = ledger.summary(user=user, length=length)
        assert [(r.code, r.name, r.people, r.overdue, r.due_soon, r.station) for r in both[length]] == [
            (r.code, r.name, r.people, r.overdue, r.due_soon, r.station) for r in alone
        ]
    assert {r.code: (r.people, r.overdue) for r in both[6]} == {"522301": (4, 3), "522302": (1, 1)}
    assert sum(r.overdue for r in both[9]) == 4


def test_the_ledger_page_counts_up_to_the_cap_and_says_when_there_are_more(users, monkeypatch):
    monkeypatch.setattr("shegong.lib.paging.LIST_CAP", 2)
    for n in range(3):
        _person(f"逾期{n}")
    client = Client()
    verified_login(client, users["county"])
    html = client.get("/people/visits/due/?status=overdue").content.decode()
    assert "超过" in html or "More than" in html, html[html.index('data-testid="ledger-count"') :][:300]
    monkeypatch.setattr("shegong.lib.paging.LIST_CAP", 10)
    html = client.get("/people/visits/due/?status=overdue").content.decode()
    assert 'data-testid="ledger-count" data-count="3"' in html


def test_a_province_s_ledger_sums_its_counties_and_a_prefecture_or_county_its_townships_too():
    assert ledger.summary_length("52") == [6] and ledger.summary_length("") == [6]
    assert ledger.summary_length("5223") == [6, 9]
    assert ledger.summary_length("522301") == [9]
    assert ledger.summary_length("522301001") == []


@pytest.mark.parametrize("status", ["overdue", "due", "all"])
def test_the_ledger_s_total_is_its_summaries_and_equals_the_files_it_lists(users, status):
    for n in range(3):
        _person(f"逾期{n}")
    _person("两周内", days=25)  # key risk: due within the fortnight
    _person("未到期", days=1)
    _person("外县", code=OTHER_COUNTY_VILLAGE)
    listed = ledger.ledger(user=users["county"], status=status)
    expected = {"overdue": 3, "due": 1, "all": 5}[status]
    assert listed.count() == expected and "外县" not in {p.name for p in listed}
    client = Client()
    verified_login(client, users["county"])
    with CaptureQueriesContext(connection) as captured:
        html = client.get(f"/people/visits/due/?status={status}").content.decode()
    assert f'data-testid="ledger-count" data-count="{expected}"' in html
    # Counted from the summaries (the rollup), not by a COUNT over the files.
    assert not [q for q in captured if "COUNT(" in q["sql"].upper() and '"clients_person"' in q["sql"]]


def test_a_township_s_ledger_sorts_its_files_itself_in_the_same_order_as_the_due_index(users):
    for n, days in enumerate((200, 150, 120, 25, 1)):
        _person(f"对象{n}", days=days)
    county = list(ledger.ledger(user=users["county"], status="all").values_list("name", flat=True))
    township = ledger.ledger(user=users["county"], region=VILLAGE[:9], status="all")
    # Ordered by an expression the due index does not match (a few hundred files, read by their region)...
    assert '"visit_due_on" + 0' in str(township.query) or "'+' || 0" in str(township.query)
    assert '"visit_due_on" + 0' not in str(ledger.ledger(user=users["county"], status="all").query)
    # ...into the same order.
    assert list(township.values_list("name", flat=True)) == county == [f"对象{n}" for n in range(5)]
