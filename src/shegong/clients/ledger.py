"""The visit ledger a county acts on (台账): people due or overdue with their township, station, responsible
worker and category; sorted in SQL; summed per station (township) and per county in one aggregate query.

Every function here reads through clients.selectors.visit_ledger (the user's scope, 404 outside it) and costs a
fixed number of queries whatever the number of rows: the rows of a page are decorated with two look-ups
(township names, stations) and one prefetch of categories."""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, Substr
from django.urls import reverse
from django.utils import timezone

from shegong.clients import selectors, visiting
from shegong.clients.models import RISK_BADGES, RiskLevel
from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus
from shegong.regions.models import Region

RISK_RANK = Case(
    When(risk_level=RiskLevel.KEY, then=Value(0)),
    When(risk_level=RiskLevel.WATCH, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)

# ?sort= values: the first is the default (most overdue first).
SORTS = {
    "due": ("due_date", "risk_rank", "id"),
    "risk": ("risk_rank", "due_date", "id"),
    "village": ("region_id", "due_date", "id"),
    "name": ("pinyin", "id"),
    "-due": ("-due_date", "id"),
}


def due_expression(intervals: list[int]):
    """Each person's due date in SQL: interval days after the last visit (or registration), or the date the
    last visitor set when that is earlier (what visiting.status_of says in Python)."""
    if not intervals:
        return Value(None, output_field=DateField())
    by_rule = Case(
        *[
            When(
                interval=n,
                # date + interval is a timestamp on PostgreSQL: cast back to a date (SQLite: date(...)).
                then=Cast(
                    ExpressionWrapper(F("base_date") + dt.timedelta(days=n), output_field=DateField()),
                    DateField(),
                ),
            )
            for n in intervals
        ],
        default=Value(None),
        output_field=DateField(),
    )
    return Least(by_rule, Coalesce(F("last_next_due"), by_rule), output_field=DateField())


def ledger(
    *,
    user,
    region: str = "",
    status: str = "overdue",
    sort: str = "due",
    people=None,
    as_of=None,
    intervals: list[int] | None = None,
) -> QuerySet:
    """The ledger's people, sorted; ``people`` narrows further (a worker's own people); ``as_of`` a past day:
    as the ledger stood at the end of it (selectors.visit_ledger). ``intervals``: as for visit_ledger."""
    if intervals is None:
        intervals = visiting.intervals_of(selectors.area_for(user=user, region=region))
    qs = selectors.visit_ledger(user=user, region=region, status=status, as_of=as_of, intervals=intervals)
    if people is not None:
        qs = qs.filter(people)
    qs = qs.annotate(due_date=due_expression(intervals), risk_rank=RISK_RANK)
    return qs.select_related("region", "responsible").order_by(*SORTS.get(sort, SORTS["due"]))


@dataclass
class Row:
    """A person of the ledger with what the page prints of them, each computed once: the page prints every row
    twice (cards on a phone, the table on a desktop)."""

    person: object
    status: visiting.VisitStatus
    township: str
    station: Facility | None

    @cached_property
    def url(self) -> str:
        return reverse("clients:person_detail", args=[self.person.pk])

    @cached_property
    def visit_url(self) -> str:
        return reverse("clients:visit_create", args=[self.person.pk]) + "?next=ledger"

    @cached_property
    def categories(self) -> list[str]:
        return [c.name for c in self.person.categories.all()]

    @cached_property
    def worker(self) -> str:
        responsible = self.person.responsible
        return (responsible.full_name or responsible.username) if responsible else ""

    @cached_property
    def risk_badge(self) -> str:
        return RISK_BADGES.get(self.person.risk_level, "text-bg-secondary")


def decorate(people, today: dt.date | None = None) -> list[Row]:
    """Rows for a page of the ledger: two queries (township names, stations) whatever the page's size.
    Categories come with a prefetch on the queryset (``prefetch_related("categories")``)."""
    today = today or timezone.localdate()
    people = list(people)
    townships = {p.region_id[:9] for p in people}
    names = dict(Region.objects.filter(code__in=townships).values_list("code", "name"))
    stations = stations_of(townships)
    return [
        Row(
            person=p,
            status=visiting.status_of(p, today),
            township=names.get(p.region_id[:9], ""),
            station=stations.get(p.region_id[:9]),
        )
        for p in people
    ]


def stations_of(townships, among: list[Facility] | None = None) -> dict[str, Facility]:
    """The open township station of each township code (one query; none when ``among``, facilities the caller
    has read already that include every station of these townships, is given)."""
    if among is None:
        candidates = Facility.objects.filter(region_id__in=list(townships), kind__in=TOWNSHIP_KINDS).exclude(
            status=FacilityStatus.CLOSED
        )
    else:
        candidates = [
            f
            for f in among
            if f.region_id in townships and f.kind in TOWNSHIP_KINDS and f.status != FacilityStatus.CLOSED
        ]
    found = {}
    for facility in sorted(candidates, key=lambda f: (f.region_id, f.kind, f.pk)):
        found.setdefault(facility.region_id, facility)
    return found


@dataclass
class SummaryRow:
    code: str
    name: str
    station: Facility | None
    people: int
    overdue: int
    due_soon: int

    @property
    def overdue_rate(self) -> float:
        return round(self.overdue * 100 / self.people, 1) if self.people else 0.0


def summary(
    *, user, region: str = "", length: int = 9, today: dt.date | None = None, stations=None
) -> list[SummaryRow]:
    """People with a visit rule, overdue and due within the window, per township (``length`` 9, with its
    station) or per county (6): one aggregate query, plus the names and the stations. Sorted by overdue
    visits, most first. ``today`` a past day: the ledger as it stood then. ``stations``: the scope's
    facilities when the caller has read them (stations_of ``among``)."""
    return dict(summaries(user=user, region=region, lengths=[length], today=today, stations=stations))[length]


def summaries(
    *, user, region: str = "", lengths: list[int], today: dt.date | None = None, stations=None
) -> list[tuple[int, list[SummaryRow]]]:
    """The summaries of ``lengths`` (6: per county, 9: per township) from ONE pass over the region's people:
    the counts per unit of the longest length, summed up into the shorter ones (a county's code is the head
    of its townships' codes). Each as ``summary`` gives it; the visit rules are read once."""
    if not lengths:
        return []
    today = today or timezone.localdate()
    longest = max(lengths)
    intervals = visiting.intervals_of(selectors.area_for(user=user, region=region))
    qs = selectors.visit_ledger(
        user=user, region=region, status="all", today=today, as_of=today, intervals=intervals
    )
    if not intervals:
        return [(length, []) for length in lengths]
    overdue = visiting.due_before_q(today, intervals)
    soon = (
        visiting.due_before_q(today + dt.timedelta(days=visiting.DUE_WINDOW_DAYS + 1), intervals) & ~overdue
    )
    finest = list(
        qs.annotate(unit=Substr("region_id", 1, longest))
        .order_by()
        .values("unit")
        .annotate(people=Count("id"), overdue=Count("id", filter=overdue), due_soon=Count("id", filter=soon))
    )
    per_length = {}
    for length in lengths:
        counts: dict[str, list[int]] = {}
        for r in finest:
            total = counts.setdefault(r["unit"][:length], [0, 0, 0])
            total[0] += r["people"]
            total[1] += r["overdue"]
            total[2] += r["due_soon"]
        per_length[length] = counts
    codes = {code for counts in per_length.values() for code in counts}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    townships = {code for code in per_length.get(9, {})}
    found = stations_of(townships, among=stations) if townships else {}
    result = []
    for length in lengths:
        rows = [
            SummaryRow(
                code=code,
                name=names.get(code, code),
                station=found.get(code) if length == 9 else None,
                people=people,
                overdue=late,
                due_soon=due_soon,
            )
            for code, (people, late, due_soon) in per_length[length].items()
        ]
        result.append((length, sorted(rows, key=lambda r: (-r.overdue, r.code))))
    return result


def summary_length(area: str) -> list[int]:
    """The summaries a region shows: per county above a county, and per township (station) at a county or
    above; a township shows none (its ledger is its own)."""
    lengths = []
    if len(area) < 6:
        lengths.append(6)
    if len(area) < 9:
        lengths.append(9)
    return lengths


def overdue_count(*, user, region: str = "", people: Q | None = None, intervals=None) -> int:
    qs = selectors.visit_ledger(user=user, region=region, status="overdue", intervals=intervals)
    if people is not None:
        qs = qs.filter(people)
    return qs.count()
