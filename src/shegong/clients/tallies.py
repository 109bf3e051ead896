"""The per-village rollups of open files: ``PeopleCount`` (by risk level and by category) and ``VisitDueCount``
(by the day the next visit is due, and key-risk files by the last day their last visit covers).

Incremental refresh recounts whole villages — those a write touched — from the files, inside the writer's
transaction and after locking the village's row, so two writers in one village recount one after the other.
``rebuild`` recounts every village with INSERT … SELECT statements; ``stale`` compares stored and recounted
rows (casework/rollups.py runs both for `shegong rollups rebuild|check`). The visit status itself is stored on
each file (clients/visiting.py): whatever refreshes it recounts the villages' visit-due rows (recount_due).
"""

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, DateField, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Greatest, Substr
from django.utils import timezone

from shegong.clients.models import (
    PeopleCount,
    Person,
    RiskLevel,
    VisitDueCount,
    VisitDueTotal,
    next_visit_day,
)
from shegong.lib.dbfunc import AddDays, rows_differing
from shegong.regions.models import Region


def _sources(people):
    """(region, risk level, category, n) rows counted from ``people``, as two querysets."""
    by_risk = people.filter(active=True).order_by().values("region_id", "risk_level").annotate(n=Count("id"))
    by_category = (
        people.filter(active=True, categories__isnull=False)
        .order_by()
        .values("region_id", "categories")
        .annotate(n=Count("id"))
    )
    return by_risk, by_category


def recount_villages(codes) -> None:
    """Recount the villages ``codes`` (the ones a write touched) from their files."""
    codes = sorted({code for code in codes if code})
    if not codes:
        return
    with transaction.atomic():
        _lock(codes)
        PeopleCount.objects.filter(region_id__in=codes).delete()
        by_risk, by_category = _sources(Person.objects.filter(region_id__in=codes))
        rows = [PeopleCount(region_id=r["region_id"], risk_level=r["risk_level"], n=r["n"]) for r in by_risk]
        rows += [
            PeopleCount(region_id=r["region_id"], category_id=r["categories"], n=r["n"]) for r in by_category
        ]
        PeopleCount.objects.bulk_create(rows)
        _recount_due(codes)


def _insert_select(queryset, columns: str) -> None:
    sql, params = queryset.query.sql_with_params()
    table = connection.ops.quote_name(PeopleCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def _rows_sql():
    """The recounted rows as (region, risk level, category, n) SELECTs, and the stored rows likewise."""
    by_risk, by_category = _sources(Person.objects.all())
    # A typed NULL: PostgreSQL resolves an untyped one in a UNION as text.
    risk = by_risk.annotate(no_category=Cast(Value(None), BigIntegerField())).values_list(
        "region_id", "risk_level", "no_category", "n"
    )
    category = by_category.annotate(no_risk=Value("")).values_list("region_id", "no_risk", "categories", "n")
    return risk, category


def rebuild() -> int:
    with transaction.atomic():
        PeopleCount.objects.all().delete()
        risk, category = _rows_sql()
        _insert_select(risk, "region_id, risk_level, category_id, n")
        _insert_select(category, "region_id, risk_level, category_id, n")
    return PeopleCount.objects.count()


def stale() -> int:
    """Stored rows that differ from a recount, counted both ways (0 when current)."""
    risk, category = _rows_sql()
    risk_sql, risk_params = risk.query.sql_with_params()
    category_sql, category_params = category.query.sql_with_params()
    table = connection.ops.quote_name(PeopleCount._meta.db_table)
    stored = f"SELECT region_id, risk_level, category_id, n FROM {table}"
    fresh = f"SELECT * FROM ({risk_sql}) r UNION ALL SELECT * FROM ({category_sql}) c"
    return rows_differing(fresh, [*risk_params, *category_params], stored)


# --- Visit due days (VisitDueCount) ----------------------------------------------------------------------


def floor_day(today: dt.date | None = None) -> dt.date:
    """The day a recount on ``today`` stores every earlier day as: before today, so overdue from then on."""
    return (today or timezone.localdate()) - dt.timedelta(days=1)


def _due_sources(people, floor: dt.date):
    """(region, day, due, key_due, key_covered) rows counted from the open files of ``people`` that have a
    visit rule, days before ``floor`` taken as ``floor``: the due days, and the key-risk files' covered days.
    ``people`` may be a migration's historical model's rows."""
    ruled = people.filter(active=True, visit_interval__isnull=False).order_by()
    due_on = next_visit_day()
    covered_to = Coalesce(AddDays("last_visit_on", "visit_interval"), Value(floor), output_field=DateField())
    due = (
        ruled.annotate(day=Greatest(due_on, Value(floor), output_field=DateField()))
        .values("region_id", "day")
        .annotate(
            due=Count("id"), key_due=Count("id", filter=Q(risk_level=RiskLevel.KEY)), key_covered=Value(0)
        )
        .values_list("region_id", "day", "due", "key_due", "key_covered")
    )
    covered = (
        ruled.filter(risk_level=RiskLevel.KEY)
        .annotate(day=Greatest(covered_to, Value(floor), output_field=DateField()))
        .values("region_id", "day")
        .annotate(key_covered=Count("id"), due=Value(0), key_due=Value(0))
        .values_list("region_id", "day", "due", "key_due", "key_covered")
    )
    return due, covered


DUE_COLUMNS = "region_id, day, due, key_due, key_covered"
TOTAL_COLUMNS = "region_id, level, day, due, key_due, key_covered"


TOTAL_LEVELS = VisitDueTotal.LEVELS


def _lock(codes) -> None:
    """Lock the rows of villages ``codes`` and of their townships and counties, in the codes' order (a county's
    code sorts before its townships' and villages'): two writers in one county recount its totals in turn."""
    units = {code[:n] for code in codes for n in TOTAL_LEVELS if len(code) > n}
    locked = Region.objects.select_for_update().filter(code__in=sorted({*codes, *units})).order_by("code")
    list(locked.values_list("code", flat=True))


def _recount_due(codes) -> None:
    """Recount the visit-due rows of villages ``codes`` (locked by the caller, with their townships and
    counties: _lock) from their files, then move their townships' and counties' totals by what the villages'
    rows changed. A visit moves one file's day: summing the county's villages again read and wrote back
    every day of the county (about 160,000 Python calls a visit); the difference is a few rows."""
    kept = VisitDueCount.objects.filter(region_id__in=codes)
    change: dict = defaultdict(lambda: [0, 0, 0])
    for region, day, *counts in kept.values_list("region_id", "day", "due", "key_due", "key_covered"):
        _add(change[(region, day)], counts, -1)
    kept.delete()
    rows = []
    for source in _due_sources(Person.objects.filter(region_id__in=codes), floor_day()):
        for region, day, *counts in source:
            rows.append(
                VisitDueCount(
                    region_id=region, day=day, due=counts[0], key_due=counts[1], key_covered=counts[2]
                )
            )
            _add(change[(region, day)], counts, +1)
    VisitDueCount.objects.bulk_create(rows)
    for level in TOTAL_LEVELS:
        moved: dict = defaultdict(lambda: [0, 0, 0])
        for (region, day), counts in change.items():
            if len(region) > level:
                _add(moved[(region[:level], day)], counts, +1)
        for (unit, day), (due, key_due, key_covered) in moved.items():
            if due == key_due == key_covered == 0:
                continue
            total = VisitDueTotal.objects.filter(level=level, region_id=unit, day=day)
            if not total.update(
                due=F("due") + due, key_due=F("key_due") + key_due, key_covered=F("key_covered") + key_covered
            ):
                VisitDueTotal.objects.create(
                    level=level, region_id=unit, day=day, due=due, key_due=key_due, key_covered=key_covered
                )
            # A day no village of the unit has any more has no total either (as a recount would leave it).
            total.filter(due=0, key_due=0, key_covered=0).delete()


def _add(into: list, counts, sign: int) -> None:
    for i, n in enumerate(counts):
        into[i] += sign * n


def _summed(village_rows, level: int):
    """Village rows summed per day into their units of ``level`` (the length of the units' codes), as
    (unit, day, due, key_due, key_covered) rows."""
    return (
        village_rows.order_by()
        .annotate(unit=Substr("region_id", 1, level))
        .values("unit", "day")
        .annotate(n=Sum("due"), k=Sum("key_due"), c=Sum("key_covered"))
        .values_list("unit", "day", "n", "k", "c")
    )


def recount_due(codes) -> None:
    """After the visit status of files in the villages ``codes`` changed (a visit, a rule): their visit-due
    rows, recounted from the files, and their townships' and counties' totals."""
    codes = sorted({code for code in codes if code})
    if not codes:
        return
    with transaction.atomic():
        _lock(codes)
        _recount_due(codes)


def rebuild_due(person_model=None, count_model=None) -> int:
    """Recount every village's visit-due rows (two INSERT … SELECT; a migration passes its models), and the
    totals from them (not in a migration before the totals' table: its own migration fills it)."""
    migrating = person_model is not None
    person_model, count_model = person_model or Person, count_model or VisitDueCount
    table = connection.ops.quote_name(count_model._meta.db_table)
    with transaction.atomic():
        count_model.objects.all().delete()
        for source in _due_sources(person_model.objects.all(), floor_day()):
            sql, params = source.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} ({DUE_COLUMNS}) {sql}", params)
        if not migrating:
            rebuild_due_totals()
    return count_model.objects.count()


def rebuild_due_totals(count_model=None, total_model=None) -> int:
    """The townships' and counties' totals, summed afresh from the villages' rows (INSERT … SELECT per level;
    a migration passes its models)."""
    count_model, total_model = count_model or VisitDueCount, total_model or VisitDueTotal
    table = connection.ops.quote_name(total_model._meta.db_table)
    with transaction.atomic():
        total_model.objects.all().delete()
        for level in TOTAL_LEVELS:
            rows = _summed(count_model.objects.all(), level).annotate(level=Value(level))
            sql, params = rows.values_list("unit", "level", "day", "n", "k", "c").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} ({TOTAL_COLUMNS}) {sql}", params)
    return total_model.objects.count()


def stale_due_totals() -> int:
    """Township and county days whose totals differ from the sum of their villages' rows, both ways."""
    stored = VisitDueTotal.objects.order_by().values_list(
        "region_id", "level", "day", "due", "key_due", "key_covered"
    )
    parts = [stored.query.sql_with_params()]
    for level in TOTAL_LEVELS:
        rows = _summed(VisitDueCount.objects.all(), level).annotate(level=Value(level))
        parts.append(rows.values_list("unit", "level", "day", "n", "k", "c").query.sql_with_params())
    kept, kept_params = parts[0]
    fresh = " UNION ALL ".join(f"SELECT * FROM ({sql}) l{i}" for i, (sql, _p) in enumerate(parts[1:]))
    fresh_params = [p for _sql, params in parts[1:] for p in params]
    return rows_differing(fresh, fresh_params, kept, kept_params)


def stale_due() -> int:
    """Villages' days whose stored counts differ from a recount, both ways (0 when current). Stored rows of
    an earlier recount are compared as a recount today stores them (days before yesterday as yesterday)."""
    floor = floor_day()
    due, covered = _due_sources(Person.objects.all(), floor)
    stored = (
        VisitDueCount.objects.order_by()
        .annotate(floored=Greatest(F("day"), Value(floor), output_field=DateField()))
        .values("region_id", "floored")
        .annotate(n=Sum("due"), k=Sum("key_due"), c=Sum("key_covered"))
        .values_list("region_id", "floored", "n", "k", "c")
    )
    parts = [q.query.sql_with_params() for q in (due, covered, stored)]
    fresh = (
        f"SELECT region_id, day, SUM(due) AS n, SUM(key_due) AS k, SUM(key_covered) AS c FROM"
        f" (SELECT * FROM ({parts[0][0]}) d UNION ALL SELECT * FROM ({parts[1][0]}) v) u GROUP BY region_id, day"
    )
    fresh_params = [*parts[0][1], *parts[1][1]]
    kept, kept_params = parts[2]
    return rows_differing(fresh, fresh_params, kept, kept_params)
