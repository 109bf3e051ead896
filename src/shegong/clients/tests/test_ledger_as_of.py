"""The visit ledger as of a past day (?as_of=): the files open that day, each with its visits up to that day,
due and overdue counted from it; pinned against a recount of the rows.

Key-risk people are visited every 30 days (the national rule). As of 2024-04-15:

    甲  registered 2024-01-01, visited 2024-03-01 and 2024-05-01   due 2024-03-31: 15 days overdue
    乙  registered 2024-04-10                                       due 2024-05-10: not yet due
    丙  registered 2024-05-01                                       not on file yet
    丁  registered 2024-01-01, file closed 2024-04-01               closed: absent
    戊  registered 2024-01-01, file closed 2024-06-01               due 2024-01-31: 75 days overdue
    己  the sibling county, registered 2024-01-01                   never seen by 兴义市
"""

import datetime as dt

import pytest
from django.urls import reverse

from shegong.clients import ledger, selectors, services
from shegong.clients.models import Person, Visit
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, actor_for, make_person

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 4, 15)


def _visit(person, on):
    return services.visit_create(
        actor=actor_for(person.region_id), person=person, visited_on=on, mode="home", findings="身体尚可"
    )


@pytest.fixture
def people(users):
    jia = make_person(name="甲", risk_level="key", registered_on=dt.date(2024, 1, 1))
    _visit(jia, dt.date(2024, 3, 1))
    _visit(jia, dt.date(2024, 5, 1))
    make_person(name="乙", risk_level="key", registered_on=dt.date(2024, 4, 10))
    make_person(name="丙", risk_level="key", registered_on=dt.date(2024, 5, 1))
    for name, closed_on in (("丁", dt.date(2024, 4, 1)), ("戊", dt.date(2024, 6, 1))):
        make_person(
            name=name, risk_level="key", registered_on=dt.date(2024, 1, 1), active=False, closed_on=closed_on
        )
    make_person(name="己", code=OTHER_COUNTY_VILLAGE, risk_level="key", registered_on=dt.date(2024, 1, 1))


def recount(prefix: str, day: dt.date) -> dict[str, int]:
    """Days overdue of each file open on ``day`` in ``prefix``, by hand from the person and visit rows."""
    result = {}
    for person in Person.objects.filter(region__code__startswith=prefix):
        if person.registered_on > day or (person.closed_on and person.closed_on <= day):
            continue
        if not person.active and person.closed_on is None:
            continue
        visits = [v.visited_on for v in Visit.objects.filter(person=person) if v.visited_on <= day]
        base = max(visits) if visits else person.registered_on
        due = base + dt.timedelta(days=person.visit_interval)
        result[person.name] = max((day - due).days, 0)
    return result


@pytest.mark.parametrize("day", [dt.date(2024, 1, 15), dt.date(2024, 3, 20), DAY, dt.date(2024, 5, 20)])
def test_the_ledger_as_of_a_day_equals_the_recount(people, users, day):
    rows = ledger.decorate(ledger.ledger(user=users["county"], status="all", as_of=day), day)
    assert {row.person.name: row.status.overdue_days for row in rows} == recount("522301", day)
    overdue = {p.name for p in selectors.visit_ledger(user=users["county"], status="overdue", as_of=day)}
    assert overdue == {name for name, days in recount("522301", day).items() if days}


def test_hand_checked_ledger_on_15_april_2024(people, users):
    rows = ledger.decorate(ledger.ledger(user=users["county"], status="all", as_of=DAY), DAY)
    by_name = {row.person.name: row.status for row in rows}
    assert set(by_name) == {"甲", "乙", "戊"}
    assert by_name["甲"].last_visit == dt.date(2024, 3, 1) and by_name["甲"].overdue_days == 15
    assert by_name["乙"].overdue_days == 0 and by_name["乙"].due_on == dt.date(2024, 5, 10)
    assert by_name["戊"].overdue_days == 75
    (summary,) = ledger.summary(user=users["county"], region="522301", length=9, today=DAY)
    assert (summary.people, summary.overdue) == (3, 2)


def test_the_ledger_page_takes_as_of_and_names_the_day(people, users, login):
    client = login(users["county"])
    page = client.get(reverse("clients:visit_ledger"), {"as_of": "2024-04-15", "status": "all"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "截至2024年4月15日" in html
    names = {row.person.name for row in page.context["rows"]}
    assert names == {"甲", "乙", "戊"}
    # Today's ledger: the stored status, 丁 and 戊 closed, 丙 on file.
    today = {
        row.person.name
        for row in client.get(reverse("clients:visit_ledger"), {"status": "all"}).context["rows"]
    }
    assert today == {"甲", "乙", "丙"}
    bad = client.get(reverse("clients:visit_ledger"), {"as_of": "2024-02-30"})
    assert bad.status_code == 200 and "不是日期" in bad.content.decode()
    # The sibling county's administrator never sees 兴义市's people, at any date.
    other = login(users["county2"]).get(
        reverse("clients:visit_ledger"), {"as_of": "2024-04-15", "status": "all"}
    )
    assert {row.person.name for row in other.context["rows"]} == {"己"}
