"""The figures of one monthly bulletin, gathered from the other domains' own figure functions and selectors, as
plain JSON (numbers, strings, lists) so that the issued snapshot never depends on today's records or code.

Every figure is read as the user who issues the bulletin, through the scoping helper of each domain. Status
figures (coverage, operating, village rooms, staffing, certified, talents, agencies, people on file, open cases,
volunteers serving, the visit ledger's overdue and key coverage) are as of the month's last day (or the day the
bulletin is built, if earlier), counted from the dated records by each domain's own as-of figure function
(lib/asof.py), so a bulletin issued today for a past month gives that month's figures. Flow figures
(person-times, tickets, new stations, payments) count the month itself.

Community figures (activities, volunteers, charitable resources) come from community/figures.py where that app is
installed; without it the section is left out of the bulletin and says so.
"""

import calendar
import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from shegong.casework.figures import Period, case_figures, people_figures, service_figures
from shegong.community import figures as community
from shegong.evaluations.selectors import evaluation_figures
from shegong.hotline.selectors import hotline_figures
from shegong.lib.scoping import code_prefix_q, scope_to_user
from shegong.network.coverage import network_figures
from shegong.network.models import BUILT_STATUSES, TOWNSHIP_KINDS, Facility
from shegong.projects.models import Payment
from shegong.projects.selectors import project_list
from shegong.projects.workflow import PurchaseStatus
from shegong.workforce.figures import workforce_figures

# The headline figures compared with the previous month's bulletin: key -> path in the snapshot.
HEADLINE = [
    ("township_coverage", ("network", "township_coverage")),
    ("stations_built", ("network", "stations_built")),
    ("operating_rate", ("network", "operating_rate")),
    ("village_coverage", ("network", "village_coverage")),
    ("talents", ("workforce", "talents")),
    ("certified", ("workforce", "certified")),
    ("person_times", ("services", "person_times")),
    ("visits_overdue", ("people", "overdue")),
    ("tickets", ("hotline", "received")),
]


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def previous_month(month: dt.date) -> dt.date:
    first = month.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _network(user, region, as_of: dt.date, since: dt.date, until: dt.date) -> dict:
    figures = network_figures(user=user, region=region, as_of=as_of)
    total = figures.total
    new_stations = (
        scope_to_user(Facility.objects.select_related("region"), user)
        .filter(code_prefix_q("region_id", region.code), kind__in=TOWNSHIP_KINDS, status__in=BUILT_STATUSES)
        .filter(built_on__gte=since, built_on__lte=until)
        .order_by("region_id")
    )
    return {
        "townships": total.townships,
        "covered": total.covered,
        "township_coverage": total.township_coverage,
        "stations_built": total.stations_built,
        "stations_operating": total.stations_operating,
        "operating_rate": total.operating_rate,
        "villages": total.villages,
        "villages_with_room": total.villages_with_room,
        "village_coverage": total.village_coverage,
        "children": [
            {
                "code": child.code,
                "name": child.name,
                "townships": child.townships,
                "covered": child.covered,
                "township_coverage": child.township_coverage,
                "stations_built": child.stations_built,
                "operating_rate": child.operating_rate,
                "village_coverage": child.village_coverage,
            }
            for child in figures.children
        ],
        "new_stations": [
            {"name": f.name, "code": f.region_id, "built_on": f.built_on.isoformat()} for f in new_stations
        ],
    }


def _workforce(user, region, as_of: dt.date) -> dict:
    total = workforce_figures(user=user, region=region, as_of=as_of).total
    return {
        "talents": total.talents,
        "talent_growth": total.talent_growth,
        "per_10k": total.per_10k,
        "full_time": total.full_time,
        "certified": total.certified,
        "certified_growth": total.certified_growth,
        "by_level": [{"label": str(label), "n": n} for _level, label, n in total.levels],
        "stations": total.stations,
        "under_staffed": total.under_staffed,
        "training_sessions": total.sessions,
        "training_person_times": total.person_times,
    }


def _projects(user, region, since: dt.date, until: dt.date) -> dict:
    projects = project_list(user=user, region=region.code)
    by_status = dict(projects.order_by().values_list("status").annotate(n=Count("id")))
    running = projects.filter(
        status__in=[
            PurchaseStatus.APPROVED,
            PurchaseStatus.IMPLEMENTING,
            PurchaseStatus.MIDTERM,
            PurchaseStatus.FINAL_EVALUATION,
        ]
    )
    paid = (
        scope_to_user(Payment.objects.all(), user)
        .filter(code_prefix_q("project__region_id", region.code), paid_on__gte=since, paid_on__lte=until)
        .aggregate(n=Sum("amount"), k=Count("id"))
    )
    return {
        "total": sum(by_status.values()),
        "by_status": [
            {"label": str(label), "n": by_status.get(value, 0)} for value, label in PurchaseStatus.choices
        ],
        "running": running.count(),
        "running_amount": _number(running.order_by().aggregate(n=Sum("amount"))["n"] or 0),
        "paid_in_month": _number(paid["n"] or 0),
        "payments_in_month": paid["k"],
    }


def _community(user, region, since: dt.date, until: dt.date) -> dict | None:
    """Activities, volunteers and charitable resources from the community app's own figure functions."""
    if not apps.is_installed("shegong.community"):
        return None

    activities = community.activity_figures(user=user, area=region.code, since=since, until=until)
    volunteers = community.volunteer_figures(
        user=user, area=region.code, since=since, until=until, as_of=until
    )
    charity = community.charity_figures(user=user, area=region.code, since=since, until=until)
    return {
        "activities": activities["activities"],
        "group_sessions": activities["sessions"],
        "held": activities["held"],
        "participants": activities["person_times"],
        "beneficiaries": activities["beneficiaries"],
        "volunteers": volunteers["volunteers"],
        "new_volunteers": volunteers["new_volunteers"],
        "volunteer_hours": _number(volunteers["confirmed_hours"]),
        "donations": charity["donations"],
        "donated": _number(charity["donated"]),
        "cash": _number(charity["cash"]),
        "goods": _number(charity["goods"]),
        "fund_balance": _number(charity["fund_balance"]),
    }


def bulletin_figures(*, user, region, month: dt.date, today: dt.date | None = None) -> dict:
    """Every figure of the bulletin of ``region`` for ``month``."""
    today = today or timezone.localdate()
    since, last = month_bounds(month)
    until = min(last, today)
    as_of = until
    period = Period(since, until)
    people = people_figures(user=user, region=region.code, as_of=as_of)
    services = service_figures(user=user, region=region.code, period=period)
    cases = case_figures(user=user, region=region.code, period=period, as_of=as_of)
    hotline = hotline_figures(user=user, region=region.code, since=since, until=until)
    community = _community(user, region, since, until)
    return {
        "region": {"code": region.code, "name": region.name},
        "month": since.strftime("%Y-%m"),
        "since": since.isoformat(),
        "until": until.isoformat(),
        "as_of": as_of.isoformat(),
        "network": _network(user, region, as_of, since, until),
        "workforce": _workforce(user, region, as_of),
        "services": {
            "person_times": services["person_times"],
            "records": services["records"],
            "cases_open": cases["open"],
            "cases_closed": cases["closed"],
        },
        "people": {
            "people": people["people"],
            "overdue": people["overdue"],
            "key_total": people["key_total"],
            "key_coverage": people["key_coverage"],
        },
        "community": community,
        "projects": _projects(user, region, since, until),
        "evaluations": evaluation_figures(user=user, region=region.code, since=since, until=until),
        "hotline": {
            key: hotline[key]
            for key in (
                "received",
                "crisis",
                "responded",
                "responded_in_time",
                "response_rate",
                "closed",
                "resolution_rate",
                "average_response_minutes",
                "flagged_now",
                "cases",
            )
        }
        | {"by_category": hotline["by_category"]},
    }


def _get(figures: dict, path: tuple[str, ...]):
    value = figures
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def compare(current: dict, previous: dict | None, year_before: dict | None = None) -> list[dict]:
    """The headline figures of this month beside last month (环比) and the same month a year before (同比)."""

    def difference(now, before):
        if isinstance(now, int | float) and isinstance(before, int | float):
            return round(now - before, 1)
        return None

    rows = []
    for key, path in HEADLINE:
        now = _get(current, path)
        before = _get(previous, path) if previous else None
        last_year = _get(year_before, path) if year_before else None
        rows.append(
            {
                "key": key,
                "now": now,
                "before": before,
                "change": difference(now, before),
                "year_before": last_year,
                "year_change": difference(now, last_year),
            }
        )
    return rows
