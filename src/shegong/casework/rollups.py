"""Rollups: figures kept pre-counted so that a province's pages do not count millions of rows per request.

Four are kept:

* ``ServiceMonth`` — service records and person-times per station, item and calendar month. The figures page
  reads whole months from it and counts only the partial months at the edges of a period from the records;
  ``ServiceCountyMonth`` holds the same per county, for the figures of a prefecture or a province.
* ``PeopleCount`` — open files per village by risk level and by category (``clients.tallies``);
* the visit status on each person (``clients.visiting``): last visit, the next date the last visitor set,
  and the interval the rules give;
* ``VisitDueCount`` — open files per village by the day their next visit is due, key-risk files by the day
  their last visit covers (``clients.tallies``), for the figures' overdue and key-coverage counts.

All are refreshed incrementally by the services that write the records (``service_record_create``,
``visit_create``, the person services and the visit-rule services). Loaders that write in bulk (demo data,
``shegong generate``) call ``rebuild_all`` at the end, and so may a deployer at any time:
``shegong rollups rebuild`` recomputes everything from the records and ``shegong rollups check`` reports any
difference between the stored and the recomputed values (exit status 1 if there is one).
"""

import datetime as dt
import time
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Substr, TruncMonth

from shegong.casework.models import ServiceCountyMonth, ServiceMonth, ServiceRecord
from shegong.clients import tallies, visiting
from shegong.lib.dbfunc import rows_differing
from shegong.regions.models import CODE_LENGTHS, Level


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def service_month_add(record: ServiceRecord) -> None:
    """Count one new service record in its month (called by ``service_record_create``)."""
    service_months_add([record])


def service_months_add(records) -> None:
    """Count new service records in their months, per station and per county: one UPDATE per station (or
    county), item and month (a batch of the service ledger touches a few), the month's row made when it is
    the first."""
    service_months_change(
        [(r.station_id, r.station.region_id, r.item_id, r.served_on, r.participants) for r in records], +1
    )


def service_months_change(rows, sign: int) -> None:
    """Add (``sign`` +1) or take back (-1) records given as (station, its division code, item, day,
    participants) in both monthly rollups."""
    counts: Counter = Counter()
    times: Counter = Counter()
    for station, region, item, day, participants in rows:
        month = month_of(day)
        for key in (
            (ServiceMonth, "station_id", station, item, month),
            (ServiceCountyMonth, "county", county_of(region), item, month),
        ):
            counts[key] += 1
            times[key] += participants
    for key, n in counts.items():
        model, field, where, item, month = key
        _add_to(model, {field: where, "item_id": item, "month": month}, sign * n, sign * times[key])


def county_of(region: str) -> str:
    """The county (区县) a station's division code lies in: its first six digits."""
    return region[: CODE_LENGTHS[Level.COUNTY]]


def _add_to(model, key: dict, n: int, times: int) -> None:
    change = {"records": F("records") + n, "person_times": F("person_times") + times}
    if model.objects.filter(**key).update(**change) or n < 0:
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, records=n, person_times=times)
    except IntegrityError:  # another request created the month's row meanwhile
        model.objects.filter(**key).update(**change)


def _service_month_source():
    """The rollup's rows computed from the records (station, item, month, records, person-times)."""
    return (
        ServiceRecord.objects.order_by()
        .annotate(month=TruncMonth("served_on"))
        .values_list("station_id", "item_id", "month")
        .annotate(n=Count("id"), times=Sum("participants"))
    )


def _service_county_month_source(source=None):
    """The county rollup's rows computed from ``source`` (the records by default; ``ServiceMonth`` when
    rebuilding, whose rows are one per station, item and month): county, item, month, records, person-times."""
    if source is None:
        return (
            ServiceRecord.objects.order_by()
            .annotate(
                county=Substr("station__region_id", 1, CODE_LENGTHS[Level.COUNTY]),
                month=TruncMonth("served_on"),
            )
            .values_list("county", "item_id", "month")
            .annotate(n=Count("id"), times=Sum("participants"))
        )
    return (
        source.order_by()
        .annotate(county=Substr("station__region_id", 1, CODE_LENGTHS[Level.COUNTY]))
        .values_list("county", "item_id", "month")
        .annotate(n=Sum("records"), times=Sum("person_times"))
    )


def _insert(model, columns: str, source) -> None:
    sql, params = source.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def rebuild_service_months() -> int:
    """Recompute ``ServiceMonth`` from the records, then ``ServiceCountyMonth`` from it, each with one
    INSERT … SELECT (no rows pass through Python)."""
    with transaction.atomic():
        ServiceMonth.objects.all().delete()
        ServiceCountyMonth.objects.all().delete()
        _insert(ServiceMonth, "station_id, item_id, month, records, person_times", _service_month_source())
        _insert(
            ServiceCountyMonth,
            "county, item_id, month, records, person_times",
            _service_county_month_source(ServiceMonth.objects.all()),
        )
    return ServiceMonth.objects.count()


def _stale(model, columns: str, source) -> int:
    sql, params = source.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    return rows_differing(sql, params, f"SELECT {columns} FROM {table}")


def stale_service_months() -> int:
    """Rows of ``ServiceMonth`` that differ from the records, counted both ways (0 when all is well)."""
    return _stale(ServiceMonth, "station_id, item_id, month, records, person_times", _service_month_source())


def stale_service_county_months() -> int:
    """Rows of ``ServiceCountyMonth`` that differ from the records, counted both ways."""
    return _stale(
        ServiceCountyMonth, "county, item_id, month, records, person_times", _service_county_month_source()
    )


def rebuild_all(out=None) -> dict:
    """Recompute every rollup from the records; returns rows written and seconds per rollup."""

    say = out or (lambda _line: None)
    result = {}
    for key, rebuild, what, unit in (
        ("service_months", rebuild_service_months, "service months", "rows"),
        ("people_counts", tallies.rebuild, "people counts", "rows"),
        ("people", visiting.rebuild_visit_status, "visit status", "people"),
        ("visit_due", tallies.rebuild_due, "visit due days", "rows"),
    ):
        start = time.perf_counter()
        result[key] = rebuild()
        result[f"{key}_s"] = time.perf_counter() - start
        say(f"{what}: {result[key]:,} {unit} in {result[f'{key}_s']:.1f} s")
    return result


def check_all() -> dict:
    """Differences between the stored rollups and the records (all zero when the rollups are current)."""

    return {
        "service_months": stale_service_months(),
        "service_county_months": stale_service_county_months(),
        "people_counts": tallies.stale(),
        "people": visiting.stale_visit_status().count(),
        "visit_due": tallies.stale_due(),
        "visit_due_totals": tallies.stale_due_totals(),
    }
