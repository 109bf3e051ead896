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
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shegong.clients import selectors, visiting
from shegong.clients.models import RISK_BADGES, RiskLevel
from shegong.lib.dbfunc import AddDays
from shegong.lib.escape import html_rows, html_text
from shegong.lib.lists import row_url
from shegong.lib.ratios import share
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


def due_expression(intervals: list[int], *, by_index: bool = True):
    """Each person's due date in SQL: interval days after the last visit (or registration), or the date the
    last visitor set when that is earlier (what visiting.status_of says in Python). Needs
    visiting.with_visit_status (``due_on``, on today's ledger the stored column with its index).

    ``by_index`` False: the same date as an expression the due index does not match. A township's or a
    worker's few hundred files are read by their region and sorted; ordered by the stored column, PostgreSQL
    walked the due index of the whole database for the first 50 of them (a worker's "today": 7,293 files of
    other townships read at prefecture, ten times that at province)."""
    if not intervals:
        return Value(None, output_field=DateField())
    return F("due_on") if by_index else AddDays(F("due_on"), Value(0))


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
    area = selectors.area_for(user=user, region=region)
    if intervals is None:
        intervals = visiting.intervals_of(area)
    qs = selectors.visit_ledger(user=user, region=region, status=status, as_of=as_of, intervals=intervals)
    if people is not None:
        qs = qs.filter(people)
    by_index = people is None and len(area) < 9  # a county or more: the due index's head is the first page
    qs = qs.annotate(due_date=due_expression(intervals, by_index=by_index), risk_rank=RISK_RANK)
    return qs.select_related("region", "responsible").order_by(*SORTS.get(sort, SORTS["due"]))


# What a page of the ledger prints of each file (cards, table rows, the workbench): a file has forty columns, three
# of them encrypted, and its responsible worker's account twenty more; reading only these is a third of the rows' cost.
ROW_FIELDS = (
    "name",
    "risk_level",
    "region",
    "region__name",
    "responsible",
    "responsible__full_name",
    "responsible__username",
    "registered_on",
    "last_visit_on",
    "last_visit_next_due",
    "visit_interval",
)


def page_rows(qs: QuerySet) -> QuerySet:
    """The ledger's people as a page prints them (decorate, cards_html, table_html), with their categories."""
    return qs.only(*ROW_FIELDS).prefetch_related("categories")


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
        return row_url("clients:person_detail", self.person.pk)

    @cached_property
    def visit_url(self) -> str:
        return row_url("clients:visit_create", self.person.pk) + "?next=ledger"

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


# --- The rows as HTML ------------------------------------------------------------------------------------------
# Printed here, not by the template language: the page prints every row twice (a card on a phone, a table row on a
# desktop), and the template's loop, look-ups and translations were about 70 % of the page's CPU.
# clients/tests/test_visit_ledger.py holds both to the markup the template printed.


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _overdue(status) -> SafeString:
    if not status.overdue:
        return mark_safe("")
    label = _("overdue by %(n)s days") % {"n": status.overdue_days}
    return format_html(' <span class="badge text-bg-danger">{}</span>', label)


def _visit_button(row: Row, can_edit: bool) -> SafeString:
    if not can_edit:
        return mark_safe("")
    return format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>', row.visit_url, _("Record visit"))


def cards_html(rows: list[Row], can_edit: bool) -> SafeString:
    """The ledger on a phone: one card per person."""
    if not rows:
        return format_html('<p class="text-muted">{}</p>', _("Nobody is in this list."))
    return html_rows(_CARD, ((*_card_values(row), _visit_button(row, can_edit)) for row in rows))


_CARD = (
    '<div class="card mb-2"><div class="card-body p-2"><div class="d-flex align-items-start gap-2">'
    '<div class="me-auto"><a class="fw-bold" href="{}">{}</a> <span class="badge {}">{}</span>'
    '<div class="small text-muted">{} · {}</div><div class="small">{}</div>'
    '<div class="small">{}: {}{}</div><div class="small text-muted">{}: {}</div></div>{}</div></div></div>'
)


def _card_values(row: Row) -> tuple:
    person, status = row.person, row.status
    badges = format_html_join(
        "", '<span class="badge text-bg-light border">{}</span> ', ((c,) for c in row.categories)
    )
    return (
        row.url,
        person.name,
        row.risk_badge,
        person.get_risk_level_display(),
        row.township,
        person.region.name,
        badges,
        _("Next visit due"),
        _day(status.due_on),
        _overdue(status),
        _("Responsible worker"),
        row.worker or "—",
    )


_ROW = (
    '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class="text-wrap">{}</td>'
    '<td><span class="badge {}">{}</span></td><td>{}</td><td>{}</td><td>{}{}</td><td class="text-end">{}</td></tr>'
)


def table_html(rows: list[Row], can_edit: bool) -> SafeString:
    """The ledger on a desktop: one table row per person."""
    if not rows:
        return format_html(
            '<tr><td colspan="10" class="text-muted">{}</td></tr>', _("Nobody is in this list.")
        )
    return html_rows(
        _ROW,
        (
            (
                row.url,
                row.person.name,
                row.township,
                row.station.name if row.station else "—",
                row.person.region.name,
                "、".join(row.categories) or "—",
                row.risk_badge,
                row.person.get_risk_level_display(),
                row.worker or "—",
                _day(row.status.last_visit) or "—",
                _day(row.status.due_on),
                _overdue(row.status),
                _visit_button(row, can_edit),
            )
            for row in rows
        ),
    )


def summary_html(length: int, rows: list["SummaryRow"], can_send: bool) -> SafeString:
    """The rows of a summary table (per county, 6, or per township and its station, 9): a prefecture's has a
    hundred and fifty, which the template language took half the page's CPU to print."""
    supervise = length == 9 and can_send
    return mark_safe("".join(_summary_row(length, r, supervise) for r in rows))  # noqa: S308 - escaped there


def _summary_row(length: int, r: "SummaryRow", supervise: bool) -> str:
    # Plain strings, every text escaped here: format_html's lazy-aware escaping was most of this table's cost.
    where = f"?station={r.station.pk}" if r.station else f"?region={html_text(r.code)}"
    place = f'<a href="{where}&status=overdue">{html_text(r.name)}</a>'
    if r.station:
        place += f'<div class="small text-muted">{html_text(r.station.name)}</div>'
    elif length == 9:
        place += f'<div class="small text-muted">{html_text(_("No station"))}</div>'
    late = (
        f'<a class="text-danger fw-bold" href="{where}&status=overdue">{r.overdue}</a>' if r.overdue else "0"
    )
    action = ""
    if supervise:
        button = ""
        if r.station and r.overdue:
            button = (
                f'<a class="btn btn-sm btn-outline-danger text-nowrap" '
                f'href="{row_url("workbench:notice_create", r.station.pk)}">{html_text(_("Supervise"))}</a>'
            )
        action = f'<td class="text-end">{button}</td>'
    return (
        f'<tr data-testid="summary-row-{html_text(r.code)}"><td>{place}</td><td class="text-end">{r.people}</td>'
        f'<td class="text-end">{late}</td><td class="text-end d-none d-md-table-cell">{r.due_soon}</td>'
        f'<td class="text-end d-none d-md-table-cell">{r.overdue_rate}%</td>{action}</tr>'
    )


def decorate(people, today: dt.date | None = None, *, places: bool = True) -> list[Row]:
    """Rows for a page of the ledger: two queries (township names, stations) whatever the page's size, none
    without ``places`` (the workbench prints neither). Categories come with a prefetch on the queryset
    (``prefetch_related("categories")``)."""
    today = today or timezone.localdate()
    people = list(people)
    if not places:
        return [Row(person=p, status=visiting.status_of(p, today), township="", station=None) for p in people]
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
        return share(self.overdue, self.people) or 0.0


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
    if not intervals:
        return [(length, []) for length in lengths]
    if today == timezone.localdate():
        finest = _due_today(user=user, region=region, length=longest, today=today)
    else:
        finest = _due_on(user=user, region=region, length=longest, today=today, intervals=intervals)
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


def _due_today(*, user, region: str, length: int, today: dt.date) -> list[dict]:
    """Today's counts per unit from the per-village visit-due rollup (clients/tallies.py VisitDueCount, kept
    current by every write that moves a due date): the files themselves are not read again on every page, a
    prefecture's 190,000 in 0.2 s (a province's ten times that)."""
    window_end = today + dt.timedelta(days=visiting.DUE_WINDOW_DAYS)
    rows = (
        selectors.visit_due_list(user=user, region=region, finest=length)
        .annotate(unit=Substr("region_id", 1, length))
        .order_by()
        .values("unit")
        .annotate(
            people=Sum("due"),
            overdue=Sum("due", filter=Q(day__lt=today)),
            due_soon=Sum("due", filter=Q(day__gte=today, day__lte=window_end)),
        )
    )
    found = [{**r, **{k: r[k] or 0 for k in ("people", "overdue", "due_soon")}} for r in rows]
    return [r for r in found if r["people"]]


def _due_on(*, user, region: str, length: int, today: dt.date, intervals: list[int]) -> list[dict]:
    """The counts per unit as the ledger stood at the end of a past day, from the files and their visits."""
    qs = selectors.visit_ledger(
        user=user, region=region, status="all", today=today, as_of=today, intervals=intervals
    )
    overdue = visiting.due_before_q(today, intervals)
    soon = (
        visiting.due_before_q(today + dt.timedelta(days=visiting.DUE_WINDOW_DAYS + 1), intervals) & ~overdue
    )
    return list(
        qs.annotate(unit=Substr("region_id", 1, length))
        .order_by()
        .values("unit")
        .annotate(people=Count("id"), overdue=Count("id", filter=overdue), due_soon=Count("id", filter=soon))
    )


def summed(summaries: list[tuple[int, list[SummaryRow]]], status: str) -> int | None:
    """The number of files the ledger of ``status`` lists, from its summaries (any one level of them holds
    every file once); None without summaries or for a status they do not count."""
    field = {"overdue": "overdue", "due": "due_soon", "all": "people"}.get(status)
    if not summaries or field is None:
        return None
    return sum(getattr(row, field) for row in summaries[0][1])


def summary_length(area: str) -> list[int]:
    """The summaries a region shows: per county above a county, and per township (station) at a county or a
    prefecture; a township shows none (its ledger is its own). A province (or the nation) shows its counties
    only: its 1,400 townships were a table no one reads on a page, printed on every visit; a county's row
    leads to its townships."""
    lengths = []
    if len(area) < 6:
        lengths.append(6)
    if 4 <= len(area) < 9:
        lengths.append(9)
    return lengths


def overdue_count(*, user, region: str = "", people: Q | None = None, intervals=None) -> int:
    qs = selectors.visit_ledger(user=user, region=region, status="overdue", intervals=intervals)
    if people is not None:
        qs = qs.filter(people)
    return qs.count()
