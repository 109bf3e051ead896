"""Coverage and the other network figures, counted from the records for a region and each of its children.

The figures (DOMAIN.md §1):

* township coverage = in-scope townships with a station that is built, operating or suspended ÷ in-scope
  townships (Region.in_scope, set per township with a recorded reason);
* operating rate = township stations operating ÷ township stations built or later;
* village-room coverage = in-scope villages with a built room ÷ in-scope villages.

Every figure of a region and of all its children comes from one statement (network/floor.py: a UNION ALL of
one GROUP BY per table on the leading digits of the division code), so a province with 88 counties costs one
query like a county with 14 townships. Its row sources are the querysets scope_to_user returns; the same
statement over plain range filters is the raw-SQL floor the dashboard is benchmarked against (issue 6).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.lib.ratios import Share, share
from shegong.lib.scoping import code_prefix_q, scope_to_user
from shegong.network.floor import COLUMNS, FACILITY_COLUMNS, figures_sql
from shegong.network.models import (
    Assessment,
    AssessmentResult,
    Facility,
    FacilityStatus,
    Honour,
    Indicator,
    Kind,
    status_on,
)
from shegong.regions.models import CODE_LENGTHS, Level, Region, in_scope_on


@dataclass
class Figures:
    """The network figures of one region. ``recent_*`` count what was built in the last 12 months."""

    code: str
    name: str = ""
    in_scope: bool = True
    townships: int = 0
    covered: int = 0
    recent_covered: int = 0
    stations_built: int = 0
    recent_stations: int = 0
    stations_operating: int = 0
    villages: int = 0
    villages_with_room: int = 0
    recent_villages: int = 0
    rooms_built: int = 0
    recent_rooms: int = 0
    demonstration: int = 0
    recent_demonstration: int = 0
    assessed: int = 0
    compliant: int = 0
    items: int = 0
    items_met: int = 0
    counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    township_coverage = Share("covered", "townships")
    operating_rate = Share("stations_operating", "stations_built")
    village_coverage = Share("villages_with_room", "villages")
    compliance_rate = Share("compliant", "assessed")
    items_met_rate = Share("items_met", "items")

    def count(self, kind: str, status: str | None = None) -> int:
        by_status = self.counts.get(kind, {})
        if status is None:
            return sum(by_status.values())
        return by_status.get(status, 0)

    def total(self, status: str | None = None) -> int:
        return sum(self.count(kind, status) for kind in Kind.values)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "in_scope": self.in_scope,
            "townships_in_scope": self.townships,
            "townships_covered": self.covered,
            "township_coverage": self.township_coverage,
            "stations_built": self.stations_built,
            "stations_operating": self.stations_operating,
            "operating_rate": self.operating_rate,
            "villages_in_scope": self.villages,
            "villages_with_room": self.villages_with_room,
            "village_coverage": self.village_coverage,
            "demonstration_stations": self.demonstration,
            "assessed": self.assessed,
            "compliant": self.compliant,
            "compliance_rate": self.compliance_rate,
            "counts": {kind: dict(statuses) for kind, statuses in self.counts.items()},
        }

    def indicator(self, indicator: str) -> tuple[float | None, float | None]:
        """(current value, gained in the last 12 months) of a target indicator; the gain is None where the
        records carry no date to count it from."""
        match indicator:
            case Indicator.TOWNSHIP_COVERAGE:
                return self.township_coverage, share(self.recent_covered, self.townships)
            case Indicator.VILLAGE_COVERAGE:
                return self.village_coverage, share(self.recent_villages, self.villages)
            case Indicator.OPERATING_RATE:
                return self.operating_rate, None
            case Indicator.TOWNSHIP_STATIONS:
                return self.stations_built, self.recent_stations
            case Indicator.VILLAGE_ROOMS:
                return self.rooms_built, self.recent_rooms
            case Indicator.DEMONSTRATION_STATIONS:
                return self.demonstration, self.recent_demonstration
        raise ValueError(indicator)


@dataclass
class NetworkFigures:
    region: Region | None
    total: Figures
    children: list[Figures]
    child_level: int | None


def _child_length(region: Region | None) -> int | None:
    if region is None:
        return CODE_LENGTHS[Level.PROVINCE]
    if region.level >= Level.VILLAGE:
        return None
    return CODE_LENGTHS[Level(region.level + 1)]


def _source(qs, *fields: str, **joined: str) -> tuple[str, tuple]:
    """(sql, params) of the rows of ``qs`` for figures_sql: its ``fields``, then the ``joined`` fields of
    related rows under the names figures_sql reads them by (name=path)."""
    qs = qs.order_by().annotate(**{name: F(path) for name, path in joined.items()})
    return qs.values_list(*fields, *joined).query.sql_with_params()


def _honours_as_of(qs, as_of: dt.date):
    """Honours awarded on or before ``as_of`` (by their year where the day is not known)."""
    return qs.filter(Q(awarded_on__lte=as_of) | Q(awarded_on__isnull=True, year__lte=as_of.year))


def _assessments_as_of(qs, as_of: dt.date):
    """For figures_sql: each facility's latest assessment against each checklist made on or before
    ``as_of``, with the facility's status on that day."""
    later = Assessment.objects.filter(
        facility=OuterRef("facility"),
        checklist=OuterRef("checklist"),
        assessed_on__lte=as_of,
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), id__gt=OuterRef("id"))
    )
    status = status_on(as_of, "facility")
    qs = (
        qs.order_by()
        .filter(assessed_on__lte=as_of)
        .annotate(
            latest_then=~Exists(later),
            status_then=Coalesce(status, Value(FacilityStatus.CLOSED)),
            region_then=F("facility__region_id"),
        )
    )
    inner, params = qs.values_list("id", "latest_then", "region_then", "status_then").query.sql_with_params()
    sql = (
        "SELECT id, latest_then AS is_latest, region_then AS region_id, status_then AS facility_status"
        f" FROM ({inner}) AS then_a"
    )
    return sql, params


def _facilities_as_of(qs, as_of: dt.date):
    """The facilities of ``qs`` that existed on ``as_of``, each with the status it had at the end of that day
    (the last move of its status history on or before it), for figures_sql's facility source."""
    qs = qs.order_by().annotate(
        status_then=status_on(as_of),
        region_level=F("region__level"),
        region_in_scope=in_scope_on(as_of, code="region_id", stored="region__in_scope"),
    )
    inner, params = (
        qs.filter(status_then__isnull=False)
        .values_list("id", "region_id", "kind", "status_then", "built_on", "region_level", "region_in_scope")
        .query.sql_with_params()
    )
    sql = (
        "SELECT id, region_id, kind, status_then AS status, built_on, region_level, region_in_scope"
        f" FROM ({inner}) AS then_f"
    )
    return sql, params


def _regions_as_of(qs, as_of: dt.date):
    """The divisions of ``qs`` for figures_sql, each with the coverage scope it had at the end of ``as_of``
    (regions.models.in_scope_on: its dated scope changes)."""
    inner, params = (
        qs.order_by()
        .annotate(scope_then=in_scope_on(as_of))
        .values_list("code", "name", "level", "scope_then")
        .query.sql_with_params()
    )
    return f"SELECT code, name, level, scope_then AS in_scope FROM ({inner}) AS then_r", params


def _sources(scoped, today: dt.date, past: bool) -> dict:
    """The four sources of figures_sql over the rows the user may see: as stored, or as of a past day."""
    if past:
        return {
            "regions": _regions_as_of(scoped(Region, "code"), today),
            "facilities": _facilities_as_of(scoped(Facility, "region_id"), today),
            "honours": _source(
                _honours_as_of(scoped(Honour, "facility__region_id"), today),
                "facility_id",
                "kind",
                "year",
                "awarded_on",
                region_id="facility__region_id",
            ),
            "assessments": _assessments_as_of(scoped(Assessment, "facility__region_id"), today),
        }
    return {
        "regions": _source(scoped(Region, "code"), "code", "name", "level", "in_scope"),
        "facilities": _source(
            scoped(Facility, "region_id"),
            "id",
            "region_id",
            "kind",
            "status",
            "built_on",
            region_level="region__level",
            region_in_scope="region__in_scope",
        ),
        "honours": _source(
            scoped(Honour, "facility__region_id"),
            "facility_id",
            "kind",
            "year",
            "awarded_on",
            region_id="facility__region_id",
        ),
        "assessments": _source(
            scoped(Assessment, "facility__region_id"),
            "id",
            "is_latest",
            region_id="facility__region_id",
            facility_status="facility__status",
        ),
    }


def _add_rows(rows, total: Figures) -> list[Figures]:
    """Add the statement's rows to the total and to each child's figures; the children, best covered first."""
    children: dict[str, Figures] = {}
    for child, name, is_child, in_scope, *values in rows:
        targets = [total]
        if is_child:
            children[child] = Figures(code=child, name=name, in_scope=bool(in_scope))
            targets.append(children[child])
        counts = dict(zip(COLUMNS, values, strict=False))
        pivot = values[len(COLUMNS) :]
        for figures in targets:
            for attribute, value in counts.items():
                setattr(figures, attribute, getattr(figures, attribute) + int(value))
            for (kind, status), value in zip(FACILITY_COLUMNS, pivot, strict=True):
                if value:
                    figures.counts[kind][status] += int(value)
    return sorted(
        children.values(),
        key=lambda f: (f.township_coverage is None, -(f.township_coverage or 0), f.code),
    )


def network_figures(
    *, user, region: Region | None, today: dt.date | None = None, as_of: dt.date | None = None
) -> NetworkFigures:
    """The figures of ``region`` (None: everything the user may see) and of each child region, in one
    statement whatever the number of children: floor.figures_sql over the rows scope_to_user lets the user see.

    ``as_of`` (``today`` is its older name) counts the network as it stood at the end of that day: each
    facility at the status its history gives for the day (StatusChange), facilities registered later left
    out, honours awarded by then, the assessments made by then, each division in or out of the coverage scope
    as its dated scope changes say (regions.ScopeChange). Without it (or for today) the stored statuses
    are read, which is the same answer without the history's subquery.
    """
    real_today = timezone.localdate()
    today = as_of or today or real_today
    prefix = region.code if region else ""
    child_len = _child_length(region)
    child_level = (region.level + 1 if region else Level.PROVINCE) if child_len else None

    # Where the user's jurisdiction lies inside the region (an administrator on their own dashboard, a worker
    # on their county's), scope_to_user already keeps only the region's rows; a second range filter would only
    # cost time to build.
    inside = getattr(user, "jurisdiction_code", "").startswith(prefix)

    def scoped(model, field: str):
        qs = scope_to_user(model.objects.all(), user, Cap.DATA_VIEW)
        return qs if inside else qs.filter(code_prefix_q(field, prefix))

    total = Figures(
        code=prefix, name=region.name if region else "", in_scope=region.in_scope if region else True
    )
    try:
        sql, params = figures_sql(
            # Rows bound to the region itself (a county's centre) have no child: they count in the total only.
            child_len=child_len or 12,
            child_level=child_level,
            year_ago=today - dt.timedelta(days=365),
            **_sources(scoped, today, past=today < real_today),
        )
    except EmptyResultSet:
        # The user may see none of it (a role without data, or a region code that is no division code).
        return NetworkFigures(region=region, total=total, children=[], child_level=child_level)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        children = _add_rows(cursor.fetchall(), total)
    return NetworkFigures(region=region, total=total, children=children, child_level=child_level)


@dataclass
class TargetProgress:
    target: object
    current: float | None
    gap: float | None
    met: bool
    projected: dt.date | None
    on_time: bool | None
    overdue: bool
    pace_known: bool = True


def target_progress(target, figures: Figures, today: dt.date | None = None) -> TargetProgress:
    """Progress towards a target, its remaining gap, and the date it is met if the last 12 months' pace
    holds (None: not at this pace)."""
    today = today or timezone.localdate()
    current, gained = figures.indicator(target.indicator)
    goal = float(Decimal(target.value))
    value = float(current) if current is not None else 0.0
    gap = max(goal - value, 0.0)
    met = current is not None and value >= goal
    projected = None
    if not met and gained:
        projected = today + dt.timedelta(days=int(gap / float(gained) * 365 + 0.999))
    return TargetProgress(
        target=target,
        current=current,
        gap=round(gap, 1),
        met=met,
        projected=projected,
        on_time=(projected <= target.deadline) if projected else None,
        overdue=not met and today > target.deadline,
        pace_known=gained is not None,
    )


def checklist_compliance(*, user, checklist, region: Region | None) -> dict:
    """Compliance with one checklist in the user's scope: per child region of ``region`` (assessed,
    fully compliant, items met) and per item (share of the latest assessments that meet it)."""
    prefix = region.code if region else ""
    child_len = _child_length(region) or 12
    latest = (
        scope_to_user(Assessment.objects.all(), user, Cap.DATA_VIEW)
        .filter(code_prefix_q("facility__region_id", prefix), checklist=checklist, is_latest=True)
        .exclude(facility__status=FacilityStatus.CLOSED)
    )
    children = (
        Region.objects.filter(parent_id=region.code)
        if region
        else Region.objects.filter(level=Level.PROVINCE)
    )
    names = dict(scope_to_user(children, user, Cap.DATA_VIEW).values_list("code", "name"))
    regions: dict[str, Figures] = {}
    total = Figures(code=prefix)
    rows = latest.annotate(
        child=Substr("facility__region_id", 1, child_len),
        n_items=Count("results"),
        n_met=Count("results", filter=Q(results__result="met")),
    ).values_list("child", "n_items", "n_met")
    for child, n_items, n_met in rows:
        for figures in (total, regions.setdefault(child, Figures(code=child, name=names.get(child, child)))):
            figures.assessed += 1
            figures.compliant += 1 if n_items and n_items == n_met else 0
            figures.items += n_items
            figures.items_met += n_met
    item_rows = (
        AssessmentResult.objects.filter(assessment__in=latest.values("pk"))
        .values("item_id")
        .annotate(n=Count("id"), met=Count("id", filter=Q(result="met")))
    )
    items = {
        row["item_id"]: {"n": row["n"], "met": row["met"], "rate": share(row["met"], row["n"])}
        for row in item_rows
    }
    return {"total": total, "regions": sorted(regions.values(), key=lambda f: f.code), "items": items}
