"""Rollups: figures kept pre-counted so that a province's pages do not count millions of rows per request.

Four are kept:

* ``ServiceMonth`` — service records and person-times per station, item and calendar month. The figures page
  reads whole months from it and counts only the partial months at the edges of a period from the records.
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
from django.db.models.functions import TruncMonth

from shegong.casework.models import ServiceMonth, ServiceRecord
from shegong.clients import tallies, visiting
from shegong.lib.dbfunc import rows_differing


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def service_month_add(record: ServiceRecord) -> None:
    """Count one new service record in its month (called by ``service_record_create``)."""
    service_months_add([record])


def service_months_add(records) -> None:
    """Count new service records in their months: one UPDATE per station, item and month (a batch of the
    service ledger touches a few), the month's row made when it is the first."""
    counts: Counter = Counter()
    times: Counter = Counter()
    for record in records:
        key = (record.station_id, record.item_id, month_of(record.served_on))
        counts[key] += 1
        times[key] += record.participants
    for (station, item, month), n in counts.items():
        key = {"station_id": station, "item_id": item, "month": month}
        change = {
            "records": F("records") + n,
            "person_times": F("person_times") + times[(station, item, month)],
        }
        if ServiceMonth.objects.filter(**key).update(**change):
            continue
        try:
            with transaction.atomic():
                ServiceMonth.objects.create(**key, records=n, person_times=times[(station, item, month)])
        except IntegrityError:  # another request created the month's row meanwhile
            ServiceMonth.objects.filter(**key).update(**change)


def _service_month_source():
    """The rollup's rows computed from the records (station, item, month, records, person-times)."""
    return (
        ServiceRecord.objects.order_by()
        .annotate(month=TruncMonth("served_on"))
        .values_list("station_id", "item_id", "month")
        .annotate(n=Count("id"), times=Sum("participants"))
    )


def rebuild_service_months() -> int:
    """Recompute ``ServiceMonth`` from the records with one INSERT … SELECT (no rows pass through Python)."""
    with transaction.atomic():
        ServiceMonth.objects.all().delete()
        sql, params = _service_month_source().query.sql_with_params()
        table = connection.ops.quote_name(ServiceMonth._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (station_id, item_id, month, records, person_times) {sql}", params
            )
    return ServiceMonth.objects.count()


def stale_service_months() -> int:
    """Rows of ``ServiceMonth`` that differ from the records, counted both ways (0 when all is well)."""
    source, params = _service_month_source().query.sql_with_params()
    table = connection.ops.quote_name(ServiceMonth._meta.db_table)
    stored = f"SELECT station_id, item_id, month, records, person_times FROM {table}"
    return rows_differing(source, params, stored)


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
        "people_counts": tallies.stale(),
        "people": visiting.stale_visit_status().count(),
        "visit_due": tallies.stale_due(),
        "visit_due_totals": tallies.stale_due_totals(),
    }
