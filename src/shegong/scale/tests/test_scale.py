import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from shegong.accounts.models import User
from shegong.casework.models import Case, ServiceRecord
from shegong.casework.tests.factories import assert_rollups_current
from shegong.clients.models import Person, Visit
from shegong.lib.pii import lookup_hash
from shegong.network.models import Facility, Kind, StatusChange
from shegong.scale import bench
from shegong.scale.generate import generate
from shegong.workforce.models import Assignment, Certificate, Worker

ANCHOR = dt.date(2026, 1, 15)


def _tiny(seed=3):
    lines = []
    plan = generate(province="52", scale="township", seed=seed, today=ANCHOR, out=lines.append)
    return plan, lines


def _wipe():
    ServiceRecord.objects.all().delete()
    Case.objects.all().delete()
    Visit.objects.all().delete()
    Person.categories.through.objects.all().delete()
    Person.objects.all().delete()
    Certificate.objects.all().delete()
    Assignment.objects.all().delete()
    Worker.objects.all().delete()
    StatusChange.objects.all().delete()
    Facility.objects.filter(note="synthetic").delete()
    User.objects.filter(username__startswith="scale-").delete()


def _snapshot():
    people = list(
        Person.objects.order_by("id").values_list("name", "region_id", "id_number_hash", "birth_date")
    )
    records = list(ServiceRecord.objects.order_by("id").values_list("served_on", "item_id", "participants"))
    return people, records


@pytest.mark.django_db
def test_tiny_dataset_is_consistent():
    plan, lines = _tiny()
    assert len(plan.root) == 9 and plan.counts["people"] > 1000
    assert any(line.startswith("total") for line in lines)
    stations = set(
        Facility.objects.filter(kind=Kind.TOWNSHIP_STATION, note="synthetic").values_list(
            "region_id", flat=True
        )
    )
    assert stations == {plan.root}
    regions = set(Person.objects.values_list("region_id", flat=True))
    assert regions and all(code[:9] in stations for code in regions)
    for person in Person.objects.order_by("id")[:200]:
        assert len(person.id_number) == 18
        assert lookup_hash(person.id_number) == person.id_number_hash
        assert person.id_number[-4:] == person.id_number_last4
        if person.phone:
            assert lookup_hash(person.phone) == person.phone_hash
    assert ServiceRecord.objects.filter(station__region_id=plan.root).count() == ServiceRecord.objects.count()
    assert Visit.objects.exists() and Case.objects.exists() and Worker.objects.exists()
    # The rollups were computed from what was written.
    assert_rollups_current()
    assert Person.objects.filter(visit_interval__isnull=False).count() == Person.objects.count()
    # The id sequences were moved past the written rows: the ORM can add rows afterwards.
    person = Person.objects.first()
    Visit.objects.create(
        person=person,
        region_id=person.region_id,
        visited_on=ANCHOR,
        visitor=User.objects.get(username__startswith="scale-"),
    )


@pytest.mark.django_db
def test_same_seed_same_data():
    _tiny(seed=5)
    first = _snapshot()
    _wipe()
    _tiny(seed=5)
    assert _snapshot() == first


def bench_year_ago():
    from shegong.lib.asof import year_before

    return year_before(timezone.localdate())


@pytest.mark.django_db
def test_bench_prints_a_table():
    _tiny()
    out = io.StringIO()
    call_command(
        "bench", "--repeat", "1", "--import-rows", "0", "--export-rows", "0", "--no-people-export", stdout=out
    )
    text = out.getvalue()
    for name in ("network dashboard page", "network figures (aggregate)", "casework figures page",
                 "casework figures (aggregate)", "people list, page 1", "people list, filtered",
                 "people list, searched"):  # fmt: skip
        assert text.count(f"| {name} ") == 3, name
    assert "| province 52" in text and "| county " in text
    # Each statistics endpoint and the visit ledger are timed today and as of a year ago, and their figures as
    # of that day are printed beside today's, naming both days.
    for stat in bench.STATS_ENDPOINTS:
        assert text.count(f"| stats/{stat} as of a year ago ") == 3, stat
        assert text.count(f"| stats/{stat} today ") == 3, stat
        assert f"stats/{stat} as of " in text
    assert text.count("| visit ledger as of a year ago ") == 3
    year_ago = bench_year_ago()
    assert f"stats/coverage as of {year_ago} → {timezone.localdate()}: region.townships_in_scope" in text
    code = bench.default_regions()[-1]
    imported = bench.child_import(code, 20)
    assert imported["import_ok"] and imported["rows"] == 20 and imported["bulk_s"] > 0
    exported = bench.child_export(code[:2], 100)
    assert exported["export_rows"] == 100
    people = bench.child_people_export(code, 0)
    assert (
        people["people_rows"] == Person.objects.filter(region__code__startswith=code, active=True).count() > 0
    )
    assert people["people_file_mb"] > 0


@pytest.mark.django_db
def test_the_figures_floor_counts_what_the_figures_page_counts():
    """The raw statement the benchmark compares the figures page with gives the same services, people
    and cases (its visit numbers use the national risk intervals only, so they are not compared)."""
    from shegong.casework import figures

    plan, _lines = _tiny()
    code = plan.root[:6]
    user = bench.admin_for(code)
    since, until = ANCHOR - dt.timedelta(days=400), ANCHOR
    period = figures.Period(since, until)
    service = figures.service_figures(user=user, region=code, period=period)
    people = figures.people_figures(user=user, region=code, today=ANCHOR)
    cases = figures.case_figures(user=user, region=code, period=period)
    sql, params = bench.figures_sql(code, since, until, ANCHOR)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    rows = {}
    for kind, key, a, b in raw:
        rows.setdefault(kind, {})[key] = (a, b)
    assert {m["month"]: (m["records"], m["person_times"]) for m in service["by_month"]} == rows["month"]
    assert {str(i["item"]): (i["records"], i["person_times"]) for i in service["by_item"]} == rows["item"]
    assert {r["level"]: r["n"] for r in people["by_risk"] if r["n"]} == {
        k: v[0] for k, v in rows["risk"].items()
    }
    assert sum(v[0] for v in rows["category"].values()) == sum(c["n"] for c in people["by_category"])
    open_stages = {c["stage"]: c["n"] for c in cases["by_stage"] if c["n"]}
    assert all(rows["stage"][stage][0] == n for stage, n in open_stages.items())
    assert sum(v[1] for v in rows["stage"].values()) == cases["closed"]
