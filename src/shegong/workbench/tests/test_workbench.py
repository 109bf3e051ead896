"""Each role's workbench shows its own scope only, its counts equal the lists they link to, and it costs a
fixed number of queries whatever the number of people."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, VILLAGE, make_person, make_visit
from shegong.testing import verified_login
from shegong.workbench.tests.factories import OTHER_TOWNSHIP, TOWNSHIP, station

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _overdue(name: str, code: str = VILLAGE, days: int = 200, **fields):
    """A key-risk person registered ``days`` ago and never visited: overdue by every default rule."""
    return make_person(
        code, name=name, risk_level="key", registered_on=TODAY - dt.timedelta(days=days), **fields
    )


def _client(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def _figures(html: str) -> dict[str, tuple[int, str]]:
    """label → (count, url) of the workbench's figure cards."""
    found = {}
    for url, count, label in re.findall(
        r'<a class="card figure-card[^"]*" href="([^"]+)"[^>]*>\s*<div class="card-body py-2"><div class="fs-3[^"]*" data-count="(\d+)">\d+</div><div class="small text-muted">([^<]+)</div>',
        html,
    ):
        found[label] = (int(count), url.replace("&amp;", "&"))
    return found


def _ledger_count(client, url) -> int:
    html = client.get(url).content.decode()
    match = re.search(r'data-testid="ledger-count" data-count="(\d+)"', html)
    assert match, html[:500]
    return int(match.group(1))


def test_worker_workbench_lists_own_overdue_people_riskiest_and_most_overdue_first(users):
    station(TOWNSHIP)
    older = _overdue("张最久", days=400)
    newer = _overdue("李较近", days=120)
    _overdue("王外县", code=OTHER_COUNTY_VILLAGE, days=500)
    visited = _overdue("赵已访", days=300)
    make_visit(visited, days_ago=1)
    html = _client(users["worker"]).get("/").content.decode()
    assert 'data-testid="due-visits"' in html
    names = re.findall(
        r'data-testid="due-person"[^>]*>.*?<a class="fw-bold" href="/people/\d+/">([^<]+)</a>', html, re.S
    )
    assert names == [older.name, newer.name]
    assert "王外县" not in html and "赵已访" not in html


def test_people_of_another_worker_are_not_on_my_workbench(users):
    from shegong.testing import make_user

    other = make_user("worker_b", "worker", TOWNSHIP)
    _overdue("归别人", responsible=other)
    mine = _overdue("归我", responsible=users["worker"])
    html = _client(users["worker"]).get("/").content.decode()
    assert mine.name in html and "归别人" not in html
    assert "归别人" in _client(other).get("/").content.decode()


def test_worker_figures_equal_the_lists_they_link_to(users):
    for n in range(3):
        _overdue(f"逾期{n}", days=100 + n)
    client = _client(users["worker"])
    figures = _figures(client.get("/").content.decode())
    for label in ("今日应访及逾期", "已逾期"):
        count, url = figures[label]
        assert count == 3
        assert _ledger_count(client, url) == count, label


def test_county_workbench_shows_its_overdue_stations_only_and_counts_match(users):
    own = station(TOWNSHIP)
    other = station(OTHER_TOWNSHIP)
    for n in range(2):
        _overdue(f"本县{n}")
    _overdue("外县人", code=OTHER_COUNTY_VILLAGE)
    client = _client(users["county"])
    html = client.get("/").content.decode()
    assert own.name in html and other.name not in html
    figures = _figures(html)
    count, url = figures["逾期未走访"]
    assert count == 2 == _ledger_count(client, url)
    # The station's drill-down lists the same people.
    assert _ledger_count(client, f"/people/visits/due/?station={own.pk}&status=overdue") == 2
    html2 = _client(users["county2"]).get("/").content.decode()
    assert other.name in html2 and own.name not in html2
    assert _figures(html2)["逾期未走访"][0] == 1


def test_leader_sees_figures_each_a_link(users):
    _overdue("领导看")
    html = _client(users["leader"]).get("/").content.decode()
    figures = _figures(html)
    assert figures["逾期未走访"][0] == 1
    assert all(url.startswith("/") for _count, url in figures.values())


def test_separated_administrators_keep_the_plain_home_page(users):
    html = _client(users["sysadmin"]).get("/").content.decode()
    assert 'data-testid="figures"' not in html


# Queries of one workbench request (session, user and menus included), pinned: a new card adds its own.
# Before the rules and the stations were read once: 22, 24 and 18.
# The session is no longer written on every request (accounts.middleware.SessionRenewalMiddleware): three fewer.
PINNED_QUERIES = {"worker": 14, "county": 18, "leader": 13}  # the slots: one query each with 5 items or fewer


@pytest.mark.parametrize("role", ["worker", "county", "leader"])
def test_workbench_costs_the_same_queries_for_few_and_many_people(users, role):
    station(TOWNSHIP)
    client = _client(users[role])
    _overdue("甲")
    client.get("/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    for n in range(12):
        _overdue(f"多{n}", categories=["特困"])
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    print(f"workbench queries for {role}: {len(few)} with 1 person, {len(many)} with 13")
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) == PINNED_QUERIES[role], [q["sql"][:120] for q in many.captured_queries]
    # The visit rules are read once a request, the stations at most once (the worker's cards print none),
    # however many cards use them.
    sql = [q["sql"] for q in many.captured_queries]
    assert sum('FROM "clients_visitrule"' in q for q in sql) == 1
    assert sum(q.startswith('SELECT "network_facility"."id"') for q in sql) == (role != "worker")


def test_the_worker_workbench_reads_the_visit_rules_once_with_many_due(users):
    """Past WORKBENCH_ROWS people due, the overdue figure is a count of its own: with the same rules."""
    station(TOWNSHIP)
    client = _client(users["worker"])
    for n in range(22):
        _overdue(f"多{n}")
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert sum('FROM "clients_visitrule"' in q["sql"] for q in queries.captured_queries) == 1
    assert _figures(html)["已逾期"][0] == 22


def test_the_file_names_its_responsible_worker_from_the_workers_of_the_jurisdiction(users):
    from shegong.clients.models import Person
    from shegong.testing import make_user

    person = _overdue("指定社工")
    other_county_worker = make_user("worker_far", "worker", OTHER_TOWNSHIP)
    client = _client(users["county"])
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert 'name="responsible"' in page and "worker_far" not in page
    data = {
        "name": person.name,
        "region": person.region_id,
        "risk_level": "key",
        "risk_reason": "独居高龄",
        "responsible": users["worker"].pk,
    }
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    assert Person.objects.get(pk=person.pk).responsible == users["worker"]
    data["responsible"] = other_county_worker.pk
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 200  # not a choice
    assert Person.objects.get(pk=person.pk).responsible == users["worker"]


def test_worker_workbench_lists_their_follow_up_tasks_and_not_anothers(users):
    from shegong.clients.services import followup_create

    station(TOWNSHIP)
    person = _overdue("孙跟进", days=10)
    followup_create(
        actor=users["worker"], person=person, task="联系村医上门复查", owner=users["worker"], due_on=TODAY
    )
    followup_create(
        actor=users["county"], person=person, task="县里自己的事项", owner=users["county"], due_on=TODAY
    )
    html = _client(users["worker"]).get("/").content.decode()
    slot = html.split('data-testid="slot-followups"', 1)[1].split("</section>", 1)[0]
    assert "联系村医上门复查" in slot
    assert "县里自己的事项" not in slot
    county_html = _client(users["county"]).get("/").content.decode()
    assert (
        "县里自己的事项" in county_html.split('data-testid="slot-followups"', 1)[1].split("</section>", 1)[0]
    )


def test_a_slot_counts_every_row_when_there_are_more_than_it_shows(users):
    """hooks.shown_and_count: five shown, the count of all of them (a second query only then)."""
    from shegong.clients.models import Draft
    from shegong.workbench import hooks

    for n in range(7):
        Draft.objects.create(user=users["worker"], url=f"/people/{n}/visit/", title=f"走访{n}", data="{}")
    slot = hooks.draft_slot(users["worker"])
    assert slot["count"] == 7 and len(slot["items"]) == hooks.SHOWN
    Draft.objects.filter(url__in=["/people/0/visit/", "/people/1/visit/", "/people/2/visit/"]).delete()
    with CaptureQueriesContext(connection) as queries:
        slot = hooks.draft_slot(users["worker"])
    assert slot["count"] == 4 and len(slot["items"]) == 4 and len(queries) == 1


def test_the_worker_s_cards_print_what_they_read_with_no_query_more_than_empty_cards(users):
    """The worker's cards read only the fields they print (a returned plan, an open notice, a follow-up task):
    with a row in each they still cost the pinned queries, so no deferred field is fetched row by row."""
    from shegong.casework import services as casework
    from shegong.casework.models import Stage
    from shegong.casework.tests.factories import FILLED, make_case
    from shegong.clients.services import followup_create
    from shegong.workbench.tests.factories import notice

    worker, county = users["worker"], users["county"]
    county.full_name = "县民政局甲"
    county.save(update_fields=["full_name"])
    station(TOWNSHIP)
    case = make_case(Stage.PLAN, worker=worker, person=_overdue("退回计划人"))
    casework.case_update(actor=worker, case=case, **FILLED[Stage.PLAN])
    approval = casework.case_transition(actor=worker, case=case, to_stage=Stage.INTERVENTION)
    casework.approval_decide(actor=county, approval=approval, approve=False, note="目标不具体")
    notice(county, subject="走访逾期督办甲")
    person = _overdue("跟进对象")
    followup_create(actor=worker, person=person, task="送药上门", owner=worker, due_on=TODAY)
    client = _client(worker)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    for text in ("退回计划人", "目标不具体", "县民政局甲", "走访逾期督办甲", "跟进对象：送药上门"):
        assert text in html, text
    assert len(queries) == PINNED_QUERIES["worker"], [q["sql"][:120] for q in queries.captured_queries]
