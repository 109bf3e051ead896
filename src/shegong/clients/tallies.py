"""The people-count rollup (``PeopleCount``): open files per village by risk level and by category.

Incremental refresh recounts whole villages — those a write touched — from the files, inside the writer's
transaction and after locking the village's row, so two writers in one village recount one after the other.
``rebuild`` recounts every village with two INSERT … SELECT statements; ``stale`` compares stored and
recounted rows (casework/rollups.py runs both for `shegong rollups rebuild|check`).
"""

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, Value
from django.db.models.functions import Cast

from shegong.clients.models import PeopleCount, Person
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
        list(Region.objects.select_for_update().filter(code__in=codes).values_list("code", flat=True))
        PeopleCount.objects.filter(region_id__in=codes).delete()
        by_risk, by_category = _sources(Person.objects.filter(region_id__in=codes))
        rows = [PeopleCount(region_id=r["region_id"], risk_level=r["risk_level"], n=r["n"]) for r in by_risk]
        rows += [
            PeopleCount(region_id=r["region_id"], category_id=r["categories"], n=r["n"]) for r in by_category
        ]
        PeopleCount.objects.bulk_create(rows)


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
    sql = (
        f"SELECT COUNT(*) FROM (SELECT * FROM ({fresh}) f EXCEPT SELECT * FROM ({stored}) s) a"
        f" UNION ALL SELECT COUNT(*) FROM (SELECT * FROM ({stored}) s EXCEPT SELECT * FROM ({fresh}) f) b"
    )
    params = [*risk_params, *category_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return sum(row[0] for row in cursor.fetchall())
