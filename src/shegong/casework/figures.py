"""The figures of people served and casework for a region, counted from the records with GROUP BY: a fixed
number of queries whatever the size of the region, on SQLite and PostgreSQL alike. Nothing here is stored."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from shegong.casework.models import OPEN_STAGES, Stage
from shegong.casework.selectors import case_list, service_record_list
from shegong.clients import visiting
from shegong.clients.models import RiskLevel
from shegong.clients.selectors import person_list


@dataclass
class Period:
    since: dt.date
    until: dt.date

    @classmethod
    def parse(cls, since: str = "", until: str = "") -> "Period":
        today = timezone.localdate()
        try:
            start = dt.date.fromisoformat(since) if since else today.replace(month=1, day=1)
        except ValueError:
            start = today.replace(month=1, day=1)
        try:
            end = dt.date.fromisoformat(until) if until else today
        except ValueError:
            end = today
        if start > end:
            start, end = end, start
        return cls(start, end)


def people_figures(*, user, region: str, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    people = person_list(user=user, region=region)
    by_category = list(
        people.filter(categories__isnull=False)
        .values("categories__code", "categories__name")
        .annotate(n=Count("id"))
        .order_by("-n", "categories__code")
    )
    risk_counts = dict(people.values_list("risk_level").annotate(n=Count("id")).order_by())
    by_risk = [
        {"level": value, "label": str(label), "n": risk_counts.get(value, 0)}
        for value, label in RiskLevel.choices
    ]
    intervals = visiting.intervals_of(region)
    ledger = visiting.with_visit_status(people, area=region)
    key = Q(risk_level=RiskLevel.KEY, interval__isnull=False)
    if intervals:
        totals = ledger.aggregate(
            with_rule=Count("id", filter=Q(interval__isnull=False)),
            overdue=Count("id", filter=visiting.due_before_q(today, intervals)),
            key_total=Count("id", filter=key),
            key_covered=Count("id", filter=key & visiting.visited_within_q(today, intervals)),
        )
    else:
        totals = {"with_rule": 0, "overdue": 0, "key_total": 0, "key_covered": 0}
    totals["people"] = sum(counts for counts in risk_counts.values())
    totals["key_coverage"] = (
        round(100 * totals["key_covered"] / totals["key_total"], 1) if totals["key_total"] else None
    )
    return {"by_category": by_category, "by_risk": by_risk, **totals}


def case_figures(*, user, region: str, period: Period) -> dict:
    counts = dict(
        case_list(user=user, region=region, state="open")
        .values_list("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_stage = [{"stage": s, "label": str(Stage(s).label), "n": counts.get(s, 0)} for s in OPEN_STAGES]
    closed = case_list(user=user, region=region, closed_since=period.since, closed_until=period.until).count()
    return {"by_stage": by_stage, "open": sum(counts.values()), "closed": closed}


def service_figures(*, user, region: str, period: Period) -> dict:
    records = service_record_list(user=user, region=region, since=period.since, until=period.until)
    by_month = [
        {"month": row["month"].strftime("%Y-%m"), "person_times": row["n"] or 0, "records": row["records"]}
        for row in records.annotate(month=TruncMonth("served_on"))
        .values("month")
        .annotate(n=Sum("participants"), records=Count("id"))
        .order_by("month")
    ]
    by_item = [
        {
            "item": row["item_id"],
            "name": row["item__name"],
            "group": row["item__group"],
            "person_times": row["n"] or 0,
            "records": row["records"],
        }
        for row in records.values("item_id", "item__name", "item__group")
        .annotate(n=Sum("participants"), records=Count("id"))
        .order_by("-n", "item_id")
    ]
    return {
        "by_month": by_month,
        "by_item": by_item,
        "person_times": sum(r["person_times"] for r in by_month),
        "records": sum(r["records"] for r in by_month),
    }
