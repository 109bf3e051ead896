"""Coverage and the other network figures, counted from the records for a region and each of its children.

The figures (DOMAIN.md §1):

* township coverage = in-scope townships with a station that is built, operating or suspended ÷ in-scope
  townships (Region.in_scope, set per township with a recorded reason);
* operating rate = township stations operating ÷ township stations built or later;
* village-room coverage = in-scope villages with a built room ÷ in-scope villages.

Every figure of a region and of all its children comes from a fixed number of GROUP BY queries on the leading
digits of the division code (Substr(code, 1, length of a child's code)), so a province with 88 counties costs
as many queries as a county with 14 townships. The SQL is plain enough for SQLite and PostgreSQL alike.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.lib.scoping import code_prefix_q, scope_to_user
from shegong.network.models import (
    BUILT_STATUSES,
    TOWNSHIP_KINDS,
    Assessment,
    AssessmentResult,
    Facility,
    Honour,
    HonourKind,
    Indicator,
    Kind,
    Status,
)
from shegong.regions.models import CODE_LENGTHS, Level, Region


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


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

    @property
    def township_coverage(self) -> float | None:
        return _rate(self.covered, self.townships)

    @property
    def operating_rate(self) -> float | None:
        return _rate(self.stations_operating, self.stations_built)

    @property
    def village_coverage(self) -> float | None:
        return _rate(self.villages_with_room, self.villages)

    @property
    def compliance_rate(self) -> float | None:
        return _rate(self.compliant, self.assessed)

    @property
    def items_met_rate(self) -> float | None:
        return _rate(self.items_met, self.items)

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
                return self.township_coverage, _rate(self.recent_covered, self.townships)
            case Indicator.VILLAGE_COVERAGE:
                return self.village_coverage, _rate(self.recent_villages, self.villages)
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


def network_figures(*, user, region: Region | None, today: dt.date | None = None) -> NetworkFigures:
    """The figures of ``region`` (None: everything the user may see) and of each child region, in nine
    queries whatever the number of children."""
    today = today or timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    prefix = region.code if region else ""
    child_len = _child_length(region)
    # Rows bound to the region itself (a county's centre, on the county's code) have no child; Substr then
    # yields a code no child has, and they count only in the total.
    bucket_len = child_len or 12

    def scoped(model, field: str):
        qs = scope_to_user(model.objects.all(), user, Cap.DATA_VIEW)
        return qs.filter(code_prefix_q(field, prefix)).annotate(child=Substr(field, 1, bucket_len))

    total = Figures(
        code=prefix, name=region.name if region else "", in_scope=region.in_scope if region else True
    )
    children: dict[str, Figures] = {}
    if child_len:
        child_qs = scope_to_user(Region.objects.all(), user, Cap.DATA_VIEW)
        child_qs = child_qs.filter(parent_id=region.code) if region else child_qs.filter(level=Level.PROVINCE)
        for code, name, in_scope in child_qs.order_by("code").values_list("code", "name", "in_scope"):
            children[code] = Figures(code=code, name=name, in_scope=in_scope)

    def add(child: str, attribute: str, value: int) -> None:
        setattr(total, attribute, getattr(total, attribute) + value)
        if child in children:
            target = children[child]
            setattr(target, attribute, getattr(target, attribute) + value)

    # 1, 2: in-scope townships and villages.
    for level, attribute in ((Level.TOWNSHIP, "townships"), (Level.VILLAGE, "villages")):
        rows = (
            scoped(Region, "code")
            .filter(level=level, in_scope=True)
            .values("child")
            .annotate(n=Count("code"))
        )
        for row in rows:
            add(row["child"], attribute, row["n"])

    # 3: facilities by kind and status; township stations built and operating; rooms built.
    township_station = Q(kind__in=TOWNSHIP_KINDS, region__level=Level.TOWNSHIP)
    rows = (
        scoped(Facility, "region_id")
        .values("child", "kind", "status")
        .annotate(
            n=Count("id"),
            stations=Count("id", filter=township_station),
            recent=Count("id", filter=Q(built_on__gte=year_ago)),
            recent_stations=Count("id", filter=township_station & Q(built_on__gte=year_ago)),
        )
    )
    for row in rows:
        for figures in (total, children.get(row["child"])):
            if figures is not None:
                figures.counts[row["kind"]][row["status"]] += row["n"]
        built = row["status"] in BUILT_STATUSES
        if built and row["stations"]:
            add(row["child"], "stations_built", row["stations"])
            add(row["child"], "recent_stations", row["recent_stations"])
        if row["status"] == Status.OPERATING and row["stations"]:
            add(row["child"], "stations_operating", row["stations"])
        if built and row["kind"] == Kind.VILLAGE_ROOM:
            add(row["child"], "rooms_built", row["n"])
            add(row["child"], "recent_rooms", row["recent"])

    # 4, 5: distinct in-scope townships and villages with a built station or room.
    for condition, level, attribute in (
        (Q(kind__in=TOWNSHIP_KINDS), Level.TOWNSHIP, "covered"),
        (Q(kind=Kind.VILLAGE_ROOM), Level.VILLAGE, "villages_with_room"),
    ):
        rows = (
            scoped(Facility, "region_id")
            .filter(condition, status__in=BUILT_STATUSES, region__level=level, region__in_scope=True)
            .values("child")
            .annotate(
                n=Count("region_id", distinct=True),
                recent=Count("region_id", distinct=True, filter=Q(built_on__gte=year_ago)),
            )
        )
        recent_attribute = "recent_covered" if attribute == "covered" else "recent_villages"
        for row in rows:
            add(row["child"], attribute, row["n"])
            add(row["child"], recent_attribute, row["recent"])

    # 6: demonstration stations (distinct facilities honoured as such).
    recent_honour = Q(awarded_on__gte=year_ago) | Q(awarded_on__isnull=True, year__gt=year_ago.year)
    rows = (
        scoped(Honour, "facility__region_id")
        .filter(kind=HonourKind.DEMONSTRATION)
        .values("child")
        .annotate(
            n=Count("facility_id", distinct=True),
            recent=Count("facility_id", distinct=True, filter=recent_honour),
        )
    )
    for row in rows:
        add(row["child"], "demonstration", row["n"])
        add(row["child"], "recent_demonstration", row["recent"])

    # 7: checklist compliance over the latest assessment of each open facility against each checklist.
    rows = (
        scoped(Assessment, "facility__region_id")
        .filter(is_latest=True)
        .exclude(facility__status=Status.CLOSED)
        .annotate(n_items=Count("results"), n_met=Count("results", filter=Q(results__result="met")))
        .values_list("child", "n_items", "n_met")
    )
    for child, n_items, n_met in rows:
        add(child, "assessed", 1)
        add(child, "compliant", 1 if n_items and n_items == n_met else 0)
        add(child, "items", n_items)
        add(child, "items_met", n_met)

    ranked = sorted(
        children.values(),
        key=lambda f: (f.township_coverage is None, -(f.township_coverage or 0), f.code),
    )
    child_level = (region.level + 1 if region else Level.PROVINCE) if child_len else None
    return NetworkFigures(region=region, total=total, children=ranked, child_level=child_level)


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
        .exclude(facility__status=Status.CLOSED)
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
        row["item_id"]: {"n": row["n"], "met": row["met"], "rate": _rate(row["met"], row["n"])}
        for row in item_rows
    }
    return {"total": total, "regions": sorted(regions.values(), key=lambda f: f.code), "items": items}
