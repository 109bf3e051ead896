"""Talent statistics (DOMAIN.md §1, §2), counted from the records for a region and each of its children.

* talents: workers in post (the registry's files with no date of leaving), by the division keeping the file;
* full-time station workers: talents of a full-time employment type with a current station assignment;
* certified by level: talents by the highest certificate level held;
* talents per 10,000 resident population (Region.population);
* year-on-year growth: against the same day a year ago, counted from the dates of joining and leaving and the
  certificates' years (a worker counts in the division that keeps the file today);
* agencies by rating; stations below their staffing minimum; training sessions and person-times this year.

Every figure of a region and of all its children comes from a fixed number of GROUP BY queries on the leading
digits of the division code, as network/coverage.py does, on SQLite and PostgreSQL alike.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.lib.asof import year_before
from shegong.lib.ratios import Growth, Share
from shegong.lib.scoping import code_prefix_q, scope_to_user
from shegong.regions.models import CODE_LENGTHS, Level, Region
from shegong.workforce.models import (
    FULL_TIME_TYPES,
    Agency,
    Assignment,
    Attendance,
    Certificate,
    CertLevel,
    Indicator,
    Rating,
    TrainingSession,
    Worker,
)
from shegong.workforce.selectors import station_staffing


@dataclass
class TalentFigures:
    code: str
    name: str = ""
    population: int | None = None
    talents: int = 0
    talents_year_ago: int = 0
    full_time: int = 0
    certified_year_ago: int = 0
    by_level: dict = field(default_factory=lambda: defaultdict(int))
    agencies_by_rating: dict = field(default_factory=lambda: defaultdict(int))
    agencies_year_ago: int = 0
    stations: int = 0
    under_staffed: int = 0
    sessions: int = 0
    person_times: int = 0
    training_hours: Decimal = Decimal(0)

    @property
    def certified(self) -> int:
        return sum(self.by_level.values())

    @property
    def agencies(self) -> int:
        return sum(self.agencies_by_rating.values())

    per_10k = Share("talents", "population", per=10_000, digits=2)
    talent_growth = Growth("talents", "talents_year_ago")
    certified_growth = Growth("certified", "certified_year_ago")

    @property
    def levels(self) -> list[tuple[int, str, int]]:
        return [(level, label, self.by_level.get(level, 0)) for level, label in CertLevel.choices]

    @property
    def ratings(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.agencies_by_rating.get(value, 0)) for value, label in Rating.choices] + [
            ("", "", self.agencies_by_rating.get("", 0))
        ]

    def indicator(self, indicator: str) -> tuple[int, int | None]:
        """(current value, gained in the last 12 months) of a target indicator."""
        match indicator:
            case Indicator.TALENTS:
                return self.talents, self.talents - self.talents_year_ago
            case Indicator.CERTIFIED:
                return self.certified, self.certified - self.certified_year_ago
            case Indicator.AGENCIES:
                return self.agencies, self.agencies - self.agencies_year_ago
            case Indicator.FULL_TIME:
                return self.full_time, None
        raise ValueError(indicator)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "population": self.population,
            "talents": self.talents,
            "talents_year_ago": self.talents_year_ago,
            "talent_growth": self.talent_growth,
            "talents_per_10k": self.per_10k,
            "full_time_station_workers": self.full_time,
            "certified": self.certified,
            "certified_year_ago": self.certified_year_ago,
            "certified_growth": self.certified_growth,
            "certified_by_level": {str(CertLevel(level).name.lower()): n for level, _l, n in self.levels},
            "agencies": self.agencies,
            "agencies_by_rating": {value or "unrated": n for value, _l, n in self.ratings},
            "stations": self.stations,
            "under_staffed_stations": self.under_staffed,
            "training_sessions": self.sessions,
            "training_person_times": self.person_times,
        }


@dataclass
class WorkforceFigures:
    region: Region
    total: TalentFigures
    children: list[TalentFigures]
    child_level: int | None
    year: int


class _Tally:
    """The figures of a region and of each child region, as each query adds to them."""

    def __init__(self, user, region: Region, today: dt.date):
        self.user, self.prefix, self.today = user, region.code, today
        self.year_ago = year_before(today)
        self.child_len = CODE_LENGTHS[Level(region.level + 1)] if region.level < Level.VILLAGE else None
        self.bucket_len = self.child_len or 12
        self.total = TalentFigures(code=region.code, name=region.name, population=region.population)
        self.children: dict[str, TalentFigures] = {}
        # 1: the children and their populations.
        if self.child_len:
            child_qs = scope_to_user(Region.objects.filter(parent_id=region.code), user, Cap.DATA_VIEW)
            for code, name, population in child_qs.order_by("code").values_list("code", "name", "population"):
                self.children[code] = TalentFigures(code=code, name=name, population=population)
        children = self.children.values()
        if self.total.population is None and children and all(c.population for c in children):
            self.total.population = sum(c.population for c in children)

    def scoped(self, model, code_field: str):
        qs = scope_to_user(model.objects.all(), self.user, Cap.DATA_VIEW)
        return qs.filter(code_prefix_q(code_field, self.prefix)).annotate(
            child=Substr(code_field, 1, self.bucket_len)
        )

    def each(self, child: str) -> list[TalentFigures]:
        """The total's figures and the child's (where the row's child is one of the region's)."""
        return [self.total] + ([self.children[child]] if child in self.children else [])

    def add(self, child: str, attribute: str, value) -> None:
        for figures in self.each(child):
            setattr(figures, attribute, getattr(figures, attribute) + value)


def _workers(t: _Tally) -> None:
    """2: workers, grouped by child and by the highest certificate level held now."""
    today, year_ago = t.today, t.year_ago
    now_q = Q(joined_on__lte=today) & (Q(left_on__isnull=True) | Q(left_on__gt=today))
    ago_q = Q(joined_on__lte=year_ago) & (Q(left_on__isnull=True) | Q(left_on__gt=year_ago))
    certified_ago = Exists(Certificate.objects.filter(worker=OuterRef("pk"), year__lte=year_ago.year))
    at_station = Exists(
        Assignment.objects.filter(worker=OuterRef("pk"), start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today)
        )
    )
    top_level = Subquery(
        Certificate.objects.filter(worker=OuterRef("pk"), year__lte=today.year)
        .values("worker")
        .annotate(top=Max("level"))
        .values("top")[:1]
    )
    rows = (
        t.scoped(Worker, "region_id")
        .annotate(top=top_level)
        .values("child", "top")
        .annotate(
            talents=Count("id", filter=now_q),
            talents_ago=Count("id", filter=ago_q),
            certified_ago=Count("id", filter=ago_q & Q(certified_ago)),
            full_time=Count("id", filter=now_q & Q(employment_type__in=FULL_TIME_TYPES) & Q(at_station)),
        )
    )
    for row in rows:
        t.add(row["child"], "talents", row["talents"])
        t.add(row["child"], "talents_year_ago", row["talents_ago"])
        t.add(row["child"], "certified_year_ago", row["certified_ago"])
        t.add(row["child"], "full_time", row["full_time"])
        if row["top"] and row["talents"]:
            for figures in t.each(row["child"]):
                figures.by_level[row["top"]] += row["talents"]


def _agencies(t: _Tally) -> None:
    """3: agencies by rating."""
    rows = (
        t.scoped(Agency, "region_id")
        .filter(Q(registered_on__isnull=True) | Q(registered_on__lte=t.today))
        .values("child", "rating")
        .annotate(
            n=Count("id"),
            ago=Count("id", filter=Q(registered_on__isnull=True) | Q(registered_on__lte=t.year_ago)),
        )
    )
    for row in rows:
        for figures in t.each(row["child"]):
            figures.agencies_by_rating[row["rating"]] += row["n"]
        t.add(row["child"], "agencies_year_ago", row["ago"])


def _stations(t: _Tally) -> None:
    """4-6: stations and their staffing against the minimum (stations, counts, rules)."""
    for entry in station_staffing(user=t.user, region=t.prefix, as_of=t.today):
        child = entry["facility"].region_id[: t.bucket_len]
        t.add(child, "stations", 1)
        t.add(child, "under_staffed", 1 if entry["under"] else 0)


def _training(t: _Tally) -> None:
    """7, 8: training this year: sessions with their outsiders, and recorded attendances."""
    rows = (
        t.scoped(TrainingSession, "region_id")
        .filter(held_on__year=t.today.year, held_on__lte=t.today)
        .values("child")
        .annotate(n=Count("id"), outsiders=Sum("outsiders"))
    )
    for row in rows:
        t.add(row["child"], "sessions", row["n"])
        t.add(row["child"], "person_times", row["outsiders"] or 0)
    rows = (
        t.scoped(Attendance, "session__region_id")
        .filter(session__held_on__year=t.today.year, session__held_on__lte=t.today)
        .values("child")
        .annotate(n=Count("id"), hours=Sum("session__hours"))
    )
    for row in rows:
        t.add(row["child"], "person_times", row["n"])
        t.add(row["child"], "training_hours", row["hours"] or Decimal(0))


def workforce_figures(
    *, user, region: Region, today: dt.date | None = None, as_of: dt.date | None = None
) -> WorkforceFigures:
    """The figures of ``region`` and of each child region, in ten queries whatever the number of children.

    ``as_of`` (``today`` is its older name; default today) counts the workforce at the end of that day from
    the dated facts: talents joined by then and not yet left, certificates of that year or earlier, station
    assignments running that day, agencies registered by then, training held that year up to that day. The
    year-ago figures are the same counts on the same day a year before."""
    today = as_of or today or timezone.localdate()
    tally = _Tally(user, region, today)
    for count in (_workers, _agencies, _stations, _training):
        count(tally)
    return WorkforceFigures(
        region=region,
        total=tally.total,
        children=sorted(tally.children.values(), key=lambda f: (-f.talents, f.code)),
        child_level=region.level + 1 if tally.child_len else None,
        year=today.year,
    )


@dataclass
class TargetProgress:
    target: object
    current: int
    gap: int
    met: bool
    projected: dt.date | None
    on_time: bool | None
    overdue: bool


def target_progress(target, figures: TalentFigures, today: dt.date | None = None) -> TargetProgress:
    """Progress towards a target, the gap left, and the day it is met if the last 12 months' pace holds."""
    today = today or timezone.localdate()
    current, gained = figures.indicator(target.indicator)
    gap = max(target.value - current, 0)
    met = current >= target.value
    projected = None
    if not met and gained and gained > 0:
        projected = today + dt.timedelta(days=int(gap / gained * 365 + 0.999))
    return TargetProgress(
        target=target,
        current=current,
        gap=gap,
        met=met,
        projected=projected,
        on_time=(projected <= target.deadline) if projected else None,
        overdue=not met and today > target.deadline,
    )
