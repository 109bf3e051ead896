"""The figures of people served and casework for a region: a fixed number of GROUP BY queries whatever the
size of the region, on SQLite and PostgreSQL alike. Services are counted from the monthly rollup for the
whole months of the period and from the records for the partial months at its edges; the visit ledger reads
the visit status stored on each person (see casework/rollups.py)."""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shegong.casework.models import OPEN_STAGES, CaseEvent, Stage
from shegong.casework.selectors import case_list, service_month_list, service_record_list
from shegong.clients import visiting
from shegong.clients.models import Category, RiskLevel
from shegong.clients.selectors import people_count_list, person_list, visit_due_list


def _by_category(counts) -> list[dict]:
    """Open files per category (code and name) from the per-village rows, most first: summed per category
    id by the database, then named (a province's 340,000 rows were joined to their category before the sum,
    120 -> 50 ms)."""
    per_id = dict(
        counts.filter(category__isnull=False).values_list("category").annotate(n=Sum("n")).order_by()
    )
    named: dict[tuple[str, str], int] = {}
    for pk, code, name in Category.objects.filter(pk__in=per_id).values_list("pk", "code", "name"):
        named[(code, name)] = named.get((code, name), 0) + per_id[pk]
    rows = sorted(named.items(), key=lambda item: (-item[1], item[0][0]))
    return [{"categories__code": code, "categories__name": name, "n": n} for (code, name), n in rows]


@dataclass
class Period:
    since: dt.date
    until: dt.date


def people_on_file_as_of(*, user, region: str, as_of: dt.date) -> dict:
    """People with a file open at the end of ``as_of`` (registered by then, not closed by then), by category
    and by risk level, counted from the files' dates. Categories and risk levels are those on file today: the
    records keep no history of them."""
    files = person_list(user=user, region=region, as_of=as_of).order_by()
    by_category = list(
        files.filter(categories__isnull=False)
        .values("categories__code", "categories__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "categories__code")
    )
    risk_counts = dict(files.values_list("risk_level").annotate(n=Count("id")).order_by())
    return {"by_category": by_category, "risk_counts": risk_counts}


def people_figures(*, user, region: str, today: dt.date | None = None, as_of: dt.date | None = None) -> dict:
    """People on file by category and risk level, and the visit ledger's figures. ``as_of`` (``today`` is its
    older name) before today counts the files open on that day from their dates; today's figures come from the
    per-village rollups (people counts, visit-due days). The visit figures (overdue, key coverage) are the
    visit ledger's as it stood that day (clients.visiting.with_visit_status_as_of)."""
    real_today = timezone.localdate()
    today = as_of or today or real_today
    if today < real_today:
        then = people_on_file_as_of(user=user, region=region, as_of=today)
        intervals = visiting.intervals_of(region)
        # The visit ledger as it stood that day: the files open then, their visits up to then.
        ledger = visiting.with_visit_status_as_of(person_list(user=user, region=region, active=None), today)
        key = Q(risk_level=RiskLevel.KEY, interval__isnull=False)
        totals = (
            ledger.aggregate(
                with_rule=Count("id", filter=Q(interval__isnull=False)),
                overdue=Count("id", filter=visiting.due_before_q(today, intervals)),
                key_total=Count("id", filter=key),
                key_covered=Count("id", filter=key & visiting.visited_within_q(today, intervals)),
            )
            if intervals
            else {"with_rule": 0, "overdue": 0, "key_total": 0, "key_covered": 0}
        )
        totals["people"] = sum(then["risk_counts"].values())
        totals["key_coverage"] = (
            round(100 * totals["key_covered"] / totals["key_total"], 1) if totals["key_total"] else None
        )
        by_risk = [
            {"level": value, "label": str(label), "n": then["risk_counts"].get(value, 0)}
            for value, label in RiskLevel.choices
        ]
        return {"by_category": then["by_category"], "by_risk": by_risk, "as_of": today, **totals}
    # Counts by category and risk level: summed from the per-village rollup (clients/tallies.py).
    counts = people_count_list(user=user, region=region)
    by_category = _by_category(counts)
    risk_counts = dict(
        counts.filter(category__isnull=True).values_list("risk_level").annotate(n=Sum("n")).order_by()
    )
    by_risk = [
        {"level": value, "label": str(label), "n": risk_counts.get(value, 0)}
        for value, label in RiskLevel.choices
    ]
    # The visit ledger's counts: summed from the per-village visit-due rollup (clients/tallies.py), whose days
    # before its last recount are all in the past: due before today = overdue, covered to today or after.
    due = visit_due_list(user=user, region=region, finest=0).order_by()
    sums = due.aggregate(
        with_rule=Sum("due"),
        overdue=Sum("due", filter=Q(day__lt=today)),
        key_total=Sum("key_due"),
        key_covered=Sum("key_covered", filter=Q(day__gte=today)),
    )
    totals = {name: value or 0 for name, value in sums.items()}
    totals["people"] = sum(counts for counts in risk_counts.values())
    totals["key_coverage"] = (
        round(100 * totals["key_covered"] / totals["key_total"], 1) if totals["key_total"] else None
    )
    return {"by_category": by_category, "by_risk": by_risk, "as_of": today, **totals}


def open_cases_as_of(*, user, region: str, as_of: dt.date) -> dict[str, int]:
    """Cases open at the end of ``as_of`` (opened by then, not closed by then), by the stage their history
    gives for that day (the last stage change recorded on or before it; intake before the first)."""
    stage_then = Coalesce(
        Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk"), at__date__lte=as_of)
            .exclude(to_stage="")
            .order_by("-at", "-id")
            .values("to_stage")[:1]
        ),
        Value(Stage.INTAKE),
    )
    cases = (
        case_list(user=user, region=region)
        .filter(opened_on__lte=as_of)
        .filter(Q(closed_on__isnull=True, stage__in=OPEN_STAGES) | Q(closed_on__gt=as_of))
        .order_by()
        .annotate(stage_then=stage_then)
    )
    counts: dict[str, int] = {}
    for stage, n in cases.values_list("stage_then").annotate(n=Count("id")):
        # A stage of the history that is no longer open (a case reopened after closure) counts as evaluation.
        key = stage if stage in OPEN_STAGES else Stage.EVALUATION
        counts[key] = counts.get(key, 0) + n
    return counts


def case_figures(*, user, region: str, period: Period, as_of: dt.date | None = None) -> dict:
    """Open cases by stage (now, or at the end of ``as_of``) and cases closed in the period."""
    if as_of is not None and as_of < timezone.localdate():
        counts = open_cases_as_of(user=user, region=region, as_of=as_of)
    else:
        counts = dict(
            case_list(user=user, region=region, state="open")
            .values_list("stage")
            .annotate(n=Count("id"))
            .order_by()
        )
    by_stage = [{"stage": s, "label": str(Stage(s).label), "n": counts.get(s, 0)} for s in OPEN_STAGES]
    closed = case_list(user=user, region=region, closed_since=period.since, closed_until=period.until).count()
    return {"by_stage": by_stage, "open": sum(counts.values()), "closed": closed}


def split_period(period: Period, today: dt.date | None = None) -> tuple[list[dt.date], list[Period]]:
    """The months the rollup answers for the period, and the partial months the records must answer.

    A month is whole when the period covers it from its first day to its last — or up to today, since no
    service is recorded for a future day."""
    today = today or timezone.localdate()
    whole, partial = [], []
    month = period.since.replace(day=1)
    while month <= period.until:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
        lo, hi = max(month, period.since), min(last, period.until)
        if lo == month and (hi == last or hi >= today):
            whole.append(month)
        else:
            partial.append(Period(lo, hi))
        month = following
    return whole, partial


def service_totals(*, user, region: str, period: Period) -> dict[str, int]:
    """Records and person-times (服务人次) of the period: the whole months from the monthly rollup (one query),
    the partial months at its edges from the records (one query for both edges). What service_figures adds
    up, without its breakdown by month and item."""
    whole, partial = split_period(period)
    totals = {"records": 0, "person_times": 0}
    sums = []
    if whole:
        months = service_month_list(user=user, region=region, since=whole[0], until=whole[-1])
        sums.append(months.order_by().aggregate(records=Sum("records"), person_times=Sum("person_times")))
    if partial:
        edges = reduce(or_, (Q(served_on__gte=part.since, served_on__lte=part.until) for part in partial))
        records = service_record_list(user=user, region=region).filter(edges).order_by()
        sums.append(records.aggregate(records=Count("id"), person_times=Sum("participants")))
    for row in sums:
        totals["records"] += row["records"] or 0
        totals["person_times"] += row["person_times"] or 0
    return totals


def service_figures(*, user, region: str, period: Period) -> dict:
    whole, partial = split_period(period)
    by_month: dict[str, dict] = {}
    by_item: dict[int, dict] = {}

    def add(month: str, item: int, name: str, group: str, times: int, records: int) -> None:
        row = by_month.setdefault(month, {"month": month, "person_times": 0, "records": 0})
        row["person_times"] += times or 0
        row["records"] += records
        entry = by_item.setdefault(
            item, {"item": item, "name": name, "group": group, "person_times": 0, "records": 0}
        )
        entry["person_times"] += times or 0
        entry["records"] += records

    fields = ("item_id", "item__name", "item__group")
    if whole:
        months = service_month_list(user=user, region=region, since=whole[0], until=whole[-1])
        rows = (
            months.filter(month__in=whole)
            .values("month", *fields)
            .annotate(n=Sum("person_times"), records=Sum("records"))
            .order_by()
        )
        for row in rows:
            month = row["month"].strftime("%Y-%m")
            add(month, row["item_id"], row["item__name"], row["item__group"], row["n"], row["records"])
    for part in partial:
        records = service_record_list(user=user, region=region, since=part.since, until=part.until)
        rows = records.values(*fields).annotate(n=Sum("participants"), records=Count("id")).order_by()
        for row in rows:
            month = part.since.strftime("%Y-%m")
            add(month, row["item_id"], row["item__name"], row["item__group"], row["n"], row["records"])
    month_rows = [by_month[key] for key in sorted(by_month)]
    item_rows = sorted(by_item.values(), key=lambda r: (-r["person_times"], r["item"]))
    return {
        "by_month": month_rows,
        "by_item": item_rows,
        "person_times": sum(r["person_times"] for r in month_rows),
        "records": sum(r["records"] for r in month_rows),
    }
