"""The rollups (casework/rollups.py): kept current by the services, equal to a rebuild from the records,
stale when something writes past the services, and the figures read from them give what counting the
records gives, for any period."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from shegong.casework import rollups
from shegong.casework.figures import Period, service_figures, service_totals, split_period
from shegong.casework.models import ServiceCountyMonth, ServiceMonth, ServiceRecord
from shegong.casework.selectors import service_month_list
from shegong.casework.tests.factories import assert_rollups_current, make_service
from shegong.clients import services as client_services
from shegong.clients import tallies, visiting
from shegong.clients.models import Category, PeopleCount, Person, Visit
from shegong.clients.tests.factories import make_person, make_visit, move_as_key
from shegong.community import figures as community_figures
from shegong.network.models import Facility
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _months():
    return sorted(
        ServiceMonth.objects.values_list("station_id", "item_id", "month", "records", "person_times")
    )


def _record(user, served_on, participants=1, name="精神慰藉", code="522301001"):
    return make_service(code, actor=user, served_on=served_on, participants=participants, item_name=name)


@pytest.fixture
def records(users):
    """Twenty-odd records over the last fourteen months, two items, two stations, through the service."""
    rng = random.Random(3)
    made = []
    for n in range(24):
        day = TODAY - dt.timedelta(days=rng.randrange(0, 420))
        made.append(
            _record(
                users["county"],
                day,
                participants=rng.randrange(1, 9),
                name=("精神慰藉", "社会参与")[n % 2],
                code=("522301001", "522301002")[n % 3 == 0],
            )
        )
    return made


def test_the_service_keeps_the_monthly_rollup_equal_to_a_rebuild(records):
    kept = _months()
    assert sum(row[3] for row in kept) == 24
    assert sum(row[4] for row in kept) == sum(r.participants for r in records)
    assert rollups.check_all()["service_months"] == 0
    rollups.rebuild_service_months()
    assert _months() == kept


def test_the_county_rollup_is_the_stations_months_summed_per_county(records, users):
    by_county = Counter()
    for station, item, month, n, _times in _months():
        region = Facility.objects.get(pk=station).region_id
        by_county[(region[:6], item, month)] += n
    kept = dict(
        ((county, item, month), n)
        for county, item, month, n in ServiceCountyMonth.objects.values_list(
            "county", "item_id", "month", "records"
        )
    )
    assert kept == dict(by_county) and sum(kept.values()) == 24
    assert rollups.check_all()["service_county_months"] == 0
    rows = sorted(
        ServiceCountyMonth.objects.values_list("county", "item_id", "month", "records", "person_times")
    )
    rollups.rebuild_service_months()
    assert (
        sorted(
            ServiceCountyMonth.objects.values_list("county", "item_id", "month", "records", "person_times")
        )
        == rows
    )


def test_a_record_written_past_the_service_makes_the_rollup_stale_until_rebuilt(records, users):
    first = records[0]
    ServiceRecord.objects.create(
        station=first.station,
        item=first.item,
        served_on=first.served_on,
        duration_minutes=10,
        worker=users["county"],
        group_name="补录",
        participants=4,
    )
    assert rollups.check_all()["service_months"] == 2  # the month's row differs both ways
    assert rollups.check_all()["service_county_months"] == 2  # and the county's
    with pytest.raises(CommandError):
        call_command("rollups", "check")
    call_command("rollups", "rebuild")
    assert_rollups_current()
    call_command("rollups", "check")


def test_split_period_takes_whole_months_and_the_current_month_up_to_today():
    today = dt.date(2026, 11, 23)
    whole, partial = split_period(Period(dt.date(2026, 1, 1), today), today)
    assert whole == [dt.date(2026, m, 1) for m in range(1, 12)] and partial == []
    whole, partial = split_period(Period(dt.date(2026, 2, 10), dt.date(2026, 4, 5)), today)
    assert whole == [dt.date(2026, 3, 1)]
    assert partial == [
        Period(dt.date(2026, 2, 10), dt.date(2026, 2, 28)),
        Period(dt.date(2026, 4, 1), dt.date(2026, 4, 5)),
    ]
    whole, partial = split_period(Period(dt.date(2025, 12, 31), dt.date(2025, 12, 31)), today)
    assert whole == [] and partial == [Period(dt.date(2025, 12, 31), dt.date(2025, 12, 31))]


# Who asks, for which area, and the rollup that answers: per county for a county or more, per station inside.
ASKERS = [
    ("county", "522301", ServiceCountyMonth),
    ("prefecture", "", ServiceCountyMonth),
    ("province", "52", ServiceCountyMonth),
    ("county", "522301002", ServiceMonth),
    ("worker", "", ServiceMonth),
]


@pytest.mark.parametrize("since_days,until_days", [(420, 0), (200, 35), (31, 31), (90, 60), (365, 100)])
@pytest.mark.parametrize("who,region,rollup", ASKERS)
def test_the_figures_equal_a_count_of_the_records_for_any_period(
    records, users, since_days, until_days, who, region, rollup
):
    user = users[who]
    assert service_month_list(user=user, region=region).model is rollup
    period = Period(TODAY - dt.timedelta(days=since_days), TODAY - dt.timedelta(days=until_days))
    figures = service_figures(user=user, region=region, period=period)
    area = region or user.jurisdiction_code
    counted = ServiceRecord.objects.filter(station__region__code__startswith=area)
    counted = counted.filter(served_on__gte=period.since, served_on__lte=period.until)
    expected = counted.aggregate(records=Count("id"), times=Sum("participants"))
    assert figures["records"] == expected["records"]
    assert figures["person_times"] == (expected["times"] or 0)
    by_month = {}
    for record in counted:
        key = record.served_on.strftime("%Y-%m")
        by_month[key] = by_month.get(key, 0) + record.participants
    assert {row["month"]: row["person_times"] for row in figures["by_month"]} == by_month
    by_item = dict(counted.values_list("item_id").annotate(n=Sum("participants")).order_by())
    assert {row["item"]: row["person_times"] for row in figures["by_item"]} == by_item


@pytest.mark.parametrize("since_days,until_days", [(420, 0), (200, 35), (31, 31), (90, 60), (365, 100)])
def test_the_community_figures_take_casework_person_times_from_the_rollup(
    records, users, since_days, until_days, django_assert_max_num_queries
):
    since, until = TODAY - dt.timedelta(days=since_days), TODAY - dt.timedelta(days=until_days)
    counted = ServiceRecord.objects.filter(served_on__gte=since, served_on__lte=until)
    expected = counted.aggregate(records=Count("id"), times=Sum("participants"))
    whole, partial = split_period(Period(since, until))
    # One query for the whole months (the rollup), one for both partial months at the edges (the records).
    with django_assert_max_num_queries(bool(whole) + bool(partial)):
        times = community_figures.casework_person_times(
            user=users["county"], area="", since=since, until=until
        )
    assert times == (expected["times"] or 0)
    totals = service_totals(user=users["county"], region="522301", period=Period(since, until))
    assert totals == {"records": expected["records"], "person_times": expected["times"] or 0}


def test_the_community_figures_read_whole_months_from_the_rollup_and_the_edges_from_the_records(
    records, users
):
    edge = min((r for r in records if r.served_on.day > 1), key=lambda r: r.served_on)
    since = edge.served_on  # its month is partial: the period starts inside it
    whole, partial = split_period(Period(since, TODAY))
    assert partial == [Period(since, (whole[0] - dt.timedelta(days=1)))]
    inside = next(r for r in records if r.served_on >= whole[0])

    def times():
        return community_figures.casework_person_times(
            user=users["county"], area="", since=since, until=TODAY
        )

    before = times()
    # Written past the services: the rollup does not see the change of a whole month's record ...
    ServiceRecord.objects.filter(pk=inside.pk).update(participants=F("participants") + 100)
    assert times() == before
    # ... the records answer for the month at the period's edge.
    ServiceRecord.objects.filter(pk=edge.pk).update(participants=F("participants") + 1000)
    assert times() == before + 1000
    rollups.rebuild_service_months()
    assert times() == before + 1100


def test_the_figures_of_a_region_leave_out_other_stations(records, users):
    period = Period(TODAY - dt.timedelta(days=420), TODAY)
    inside = service_figures(user=users["county"], region="522301002", period=period)
    expected = ServiceRecord.objects.filter(station__region_id="522301002").aggregate(n=Sum("participants"))
    assert inside["person_times"] == expected["n"] > 0
    # an administrator of another county sees none of them
    assert service_figures(user=users["county2"], region="", period=period)["records"] == 0


def _status(person):
    return Person.objects.values_list(*visiting.STATUS_FIELDS).get(pk=person.pk)


def test_a_visit_stores_the_last_visit_and_the_date_set_for_the_next(users):
    person = make_person(risk_level="key")
    assert _status(person) == (None, None, 30)  # national rule: key people monthly
    make_visit(person, 40)
    make_visit(person, 10, next_due=TODAY + dt.timedelta(days=5))
    make_visit(person, 20)  # recorded late: not the last visit
    assert _status(person) == (TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=5), 30)
    assert not visiting.stale_visit_status().exists()


def test_categories_risk_and_rules_change_the_stored_interval(users):
    person = make_person(risk_level="general")
    assert _status(person)[2] == 180
    client_services.person_add_categories(
        actor=users["county"], person=person, categories=[Category.objects.get(name="独居")]
    )
    assert _status(person)[2] == 30
    region = Region.objects.get(code="522301")
    rule = client_services.visit_rule_set(
        actor=users["county"], region=region, interval_days=60, category=Category.objects.get(name="独居")
    )
    assert _status(person)[2] == 60
    outside = make_person(code="522302001001", categories=["独居"])
    assert _status(outside)[2] == 30  # the county's rule stops at its border
    client_services.visit_rule_delete(actor=users["county"], rule=rule)
    assert _status(person)[2] == 30
    assert not visiting.stale_visit_status().exists()


def test_a_visit_written_past_the_service_is_found_by_the_check_and_fixed_by_the_rebuild(users):
    person = make_person(risk_level="watch")
    Visit.objects.create(
        person=person, region_id=person.region_id, visited_on=TODAY, visitor=users["county"], mode="phone"
    )
    assert list(visiting.stale_visit_status().values_list("pk", flat=True)) == [person.pk]
    assert rollups.check_all()["people"] == 1
    rollups.rebuild_all()
    assert _status(person)[0] == TODAY
    assert_rollups_current()


def test_a_rule_change_in_a_large_region_is_applied_by_a_job(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    from shegong.jobs.models import Job

    person = make_person(risk_level="general", categories=["独居"])
    untouched = make_person(risk_level="key")
    monkeypatch.setattr(visiting, "SYNC_REFRESH_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=True):
        client_services.visit_rule_set(
            actor=users["county"],
            region=Region.objects.get(code="522301"),
            interval_days=45,
            category=Category.objects.get(name="独居"),
        )
    job = Job.objects.get(kind="clients.visit_intervals")
    assert job.params["region"] == "522301" and job.result["rows"] == 1
    assert _status(person)[2] == 45 and _status(untouched)[2] == 30
    assert not visiting.stale_visit_status().exists()


def _counts():
    return sorted(
        (r, k or "", c or 0, n)
        for r, k, c, n in PeopleCount.objects.values_list("region_id", "risk_level", "category_id", "n")
    )


def test_people_counts_follow_every_write_to_a_file_and_equal_a_rebuild(users):
    first = make_person(risk_level="key", categories=["独居", "低保"])
    make_person(risk_level="general", categories=["低保"])
    moved = make_person(code="522301001002", risk_level="watch")
    move_as_key(users["county"], moved, "522301001001")
    client_services.person_add_categories(
        actor=users["county"], person=first, categories=[Category.objects.get(name="孤寡")]
    )
    kept = _counts()
    low = Category.objects.get(name="低保").pk
    assert ("522301001001", "key", 0, 2) in kept and ("522301001001", "", low, 2) in kept
    assert not [row for row in kept if row[0] == "522301001002"]  # the file moved out of that village
    assert tallies.stale() == 0
    tallies.rebuild()
    assert _counts() == kept


def test_the_figures_count_people_from_the_rollup_as_from_the_files(users):
    for n in range(5):
        make_person(
            name=f"赵{n}", risk_level=("key", "watch", "general")[n % 3], categories=["低保"][: n % 2]
        )
    make_person(code="522302001001", risk_level="key")  # another county
    from shegong.casework.figures import people_figures

    figures = people_figures(user=users["county"], region="")
    assert figures["people"] == 5
    assert {r["level"]: r["n"] for r in figures["by_risk"]} == {"key": 2, "watch": 2, "general": 1}
    assert [(c["categories__name"], c["n"]) for c in figures["by_category"]] == [("低保", 2)]
    assert people_figures(user=users["prefecture"], region="")["people"] == 6


def test_a_file_written_past_the_services_makes_the_counts_stale_until_rebuilt(users):
    person = make_person(risk_level="key")
    Person.objects.filter(pk=person.pk).update(risk_level="watch")
    assert rollups.check_all()["people_counts"] == 2
    rollups.rebuild_all()
    assert_rollups_current()
