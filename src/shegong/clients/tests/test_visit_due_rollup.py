"""The per-village visit-due rollup (clients/tallies.py, VisitDueCount): the figures page's overdue and key
coverage counts summed from it equal a direct count of the files on any later day, it follows every write
that changes a file's visit status or village, and `shegong rollups check|rebuild` find and fix a file
written past the services."""

import datetime as dt

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shegong.casework import rollups
from shegong.casework.figures import people_figures
from shegong.casework.tests.factories import assert_rollups_current
from shegong.clients import services, tallies, visiting
from shegong.clients.models import Person, RiskLevel, VisitDueCount, VisitDueTotal
from shegong.clients.selectors import person_list
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, make_person, make_visit, move_as_key
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FIGURES = ("with_rule", "overdue", "key_total", "key_covered")


def _direct(user, day: dt.date) -> dict:
    """The counts as the figures page made them before the rollup: a pass over every open file."""
    intervals = visiting.intervals_of(user.jurisdiction_code)
    ledger = visiting.with_visit_status(person_list(user=user), area=user.jurisdiction_code)
    key = Q(risk_level=RiskLevel.KEY, interval__isnull=False)
    return ledger.aggregate(
        with_rule=Count("id", filter=Q(interval__isnull=False)),
        overdue=Count("id", filter=visiting.due_before_q(day, intervals)),
        key_total=Count("id", filter=key),
        key_covered=Count("id", filter=key & visiting.visited_within_q(day, intervals)),
    )


def _figures(user, day: dt.date) -> dict:
    figures = people_figures(user=user, region="", today=day)
    return {name: figures[name] for name in FIGURES}


def _people(users):
    """Files of every kind: visited or not, a next visit set by the visitor, closed, in another county."""
    made = []
    for n, (risk, registered, visits) in enumerate(
        [
            ("key", 400, [50]),
            ("key", 10, []),
            ("key", 100, [3]),
            ("key", 200, [25, 80]),
            ("watch", 300, [100]),
            ("watch", 20, []),
            ("general", 500, [170]),
            ("general", 30, [5]),
        ]
    ):
        person = make_person(
            name=f"张{n}", risk_level=risk, registered_on=TODAY - dt.timedelta(days=registered)
        )
        for days in visits:
            make_visit(person, days)
        made.append(person)
    make_visit(made[1], 2, next_due=TODAY + dt.timedelta(days=4))  # the visitor brought the next one forward
    make_person(name="李外县", code=OTHER_COUNTY_VILLAGE, risk_level="key")
    closed = make_person(name="周结案", risk_level="key", registered_on=TODAY - dt.timedelta(days=90))
    services.person_update(
        actor=users["county"],
        person=closed,
        name=closed.name,
        region=closed.region,
        risk_level="key",
        risk_reason="独居高龄",
        id_number=closed.id_number,
        active=False,
    )
    return made


@pytest.mark.parametrize("later", [0, 1, 4, 5, 27, 28, 60, 200])
def test_the_figures_equal_a_direct_count_on_any_later_day(users, later):
    _people(users)
    day = TODAY + dt.timedelta(days=later)
    expected = _direct(users["county"], day)
    assert expected["with_rule"] == 8 and expected["key_total"] == 4
    if later == 0:
        assert 0 < expected["key_covered"] < 4 and 0 < expected["overdue"] < 8
    assert _figures(users["county"], day) == expected
    assert _figures(users["prefecture"], day)["key_total"] == 5  # the other county's file too


def test_rows_recounted_on_an_earlier_day_still_give_exact_counts(users, monkeypatch):
    """A village recounted weeks ago keeps the days that have passed since: still exact today."""
    earlier = TODAY - dt.timedelta(days=40)
    monkeypatch.setattr(tallies, "floor_day", lambda today=None: earlier - dt.timedelta(days=1))
    _people(users)
    monkeypatch.undo()
    assert VisitDueCount.objects.filter(day__lt=TODAY - dt.timedelta(days=1)).exists()
    for later in (0, 1, 30):
        day = TODAY + dt.timedelta(days=later)
        assert _figures(users["county"], day) == _direct(users["county"], day)
    assert tallies.stale_due() == 0  # the old rows compare as a recount today would store them


def test_the_rollup_follows_visits_moves_closures_and_rules(users):
    people = _people(users)
    make_visit(people[4], 0)
    mover = people[0]
    move_as_key(users["county"], mover, "522301002001")
    services.visit_rule_set(
        actor=users["county"], region=Region.objects.get(code="522301"), interval_days=7, risk_level="key"
    )
    assert tallies.stale_due() == 0
    assert set(VisitDueCount.objects.values_list("region_id", flat=True)) == {
        "522301001001",
        "522301002001",
        OTHER_COUNTY_VILLAGE,
    }
    # The townships' and counties' totals moved with them: each is its villages' rows summed, day by day.
    assert tallies.stale_due_totals() == 0
    assert set(VisitDueTotal.objects.values_list("level", "region_id")) == {
        (9, "522301001"),
        (9, "522301002"),
        (9, OTHER_COUNTY_VILLAGE[:9]),
        (6, "522301"),
        (6, OTHER_COUNTY_VILLAGE[:6]),
    }
    files = Person.objects.filter(active=True, visit_interval__isnull=False)
    for level in (6, 9):
        totals = VisitDueTotal.objects.filter(level=level).values_list("region_id").annotate(n=Sum("due"))
        assert dict(totals) == {
            code: files.filter(region__code__startswith=code).count() for code, _n in totals
        }
    for later in (0, 3, 8):
        day = TODAY + dt.timedelta(days=later)
        assert _figures(users["county"], day) == _direct(users["county"], day)


def test_a_file_written_past_the_services_makes_the_due_rows_stale_until_rebuilt(users):
    person = _people(users)[1]
    Person.objects.filter(pk=person.pk).update(risk_level="watch")
    assert rollups.check_all()["visit_due"] > 0
    rollups.rebuild_all()
    assert_rollups_current()
    assert _figures(users["county"], TODAY) == _direct(users["county"], TODAY)


def test_the_figures_read_the_visit_counts_in_one_query_whatever_the_number_of_files(
    users, django_assert_num_queries
):
    _people(users)
    # people counts by category and by risk level, the visit-due sums
    with django_assert_num_queries(3):
        people_figures(user=users["county"], region="")


def test_the_ledger_s_due_soon_overdue_and_summary_equal_the_files_due_dates_in_python(users):
    """The ledger's lists ("due" within the window, "overdue") and its per-township summary (today: from the
    rollup) hold exactly the files whose due date, worked out in Python (visiting.stored_status), says so —
    a file without a next day set by its visitor included (it fell out of the "due" list once: a NULL in a
    negated test)."""
    from shegong.clients import ledger
    from shegong.clients.selectors import visit_ledger

    _people(users)
    # Never visited, monthly: due in ten days, no next day set by anybody.
    fresh = make_person(
        name="赵未访", risk_level="general", registered_on=TODAY - dt.timedelta(days=20), visit_every_days=30
    )
    county = users["county"]
    window = TODAY + dt.timedelta(days=visiting.DUE_WINDOW_DAYS)
    due, overdue = set(), set()
    for person in person_list(user=county).filter(visit_interval__isnull=False):
        day = visiting.stored_status(person, TODAY).due_on
        (overdue if day < TODAY else due if day <= window else set()).add(person.pk)
    assert due and overdue
    assert set(visit_ledger(user=county, status="due").values_list("pk", flat=True)) == due
    assert set(visit_ledger(user=county, status="overdue").values_list("pk", flat=True)) == overdue
    assert fresh.pk in due
    rows = ledger.summary(user=county, length=9)
    assert sum(r.due_soon for r in rows) == len(due) and sum(r.overdue for r in rows) == len(overdue)
    past = ledger.summaries(user=county, lengths=[9], today=TODAY - dt.timedelta(days=1))  # from the files
    assert past[0][1] and all(r.people for r in past[0][1])


def test_a_total_out_of_step_with_its_villages_is_found_by_the_check_and_fixed_by_the_rebuild(users):
    _people(users)
    total = VisitDueTotal.objects.filter(level=6, region_id="522301").first()
    VisitDueTotal.objects.filter(pk=total.pk).update(due=total.due + 5)
    assert rollups.check_all()["visit_due_totals"] == 2  # the stored row and the recount's, both ways
    assert rollups.check_all()["visit_due"] == 0
    rollups.rebuild_all()
    assert rollups.check_all()["visit_due_totals"] == 0
    assert VisitDueTotal.objects.get(level=6, region_id="522301", day=total.day).due == total.due
