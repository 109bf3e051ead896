"""The network figures as one SQL statement, and the raw-SQL floor of the dashboard built from it.

``figures_sql`` is the statement: from four row sources (regions, facilities, honours, assessments) it counts,
per child region, every number of the dashboard. Rows bound to the region itself (a county's centre, on the
county's code) come in a row of their own that belongs to no child. Each returned row is ``child`` followed by
``NAMES``: the child's name, whether the row is a child region and whether it is in scope (from the child's own
region row), the counts of ``COLUMNS``, then one count of facilities per kind and status (``FACILITY_COLUMNS``).

The business rules (what counts as built, covered, recent, compliant) live in the statement; the sources only
choose rows. ``coverage.network_figures`` feeds it the querysets that ``scope_to_user`` returns, so scoping stays
in its one place; ``dashboard_sql`` feeds it plain range filters on the division code, as a DBA would write
them, and is the floor issue 6 measures the dashboard against. A test holds the two to the same numbers.
It runs as written on PostgreSQL and SQLite.
"""

import datetime as dt

from django.utils import timezone

from shegong.lib.scoping import next_code
from shegong.network.models import BUILT_STATUSES, FacilityStatus, HonourKind, Kind, Result
from shegong.regions.models import CODE_LENGTHS, LEVEL_BY_LENGTH, Level

COLUMNS = (
    "townships",
    "villages",
    "stations_built",
    "recent_stations",
    "stations_operating",
    "rooms_built",
    "recent_rooms",
    "covered",
    "recent_covered",
    "villages_with_room",
    "recent_villages",
    "demonstration",
    "recent_demonstration",
    "assessed",
    "compliant",
    "items",
    "items_met",
)
FACILITY_COLUMNS = tuple((kind, status) for kind in Kind.values for status in FacilityStatus.values)
NAMES = ("name", "is_child", "child_in_scope", *COLUMNS, *FACILITY_COLUMNS)

Source = tuple[str, list | tuple]


def _in(values) -> str:
    # Choice values are constants of the code, never user input; quoting them inline keeps the SQL readable.
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _regions_part(child_len: int, child_level: int | None, regions: Source) -> str:
    """Per child: its name, whether it is a child and in scope, and the townships and villages in scope."""
    child = child_level or 0  # no region has level 0: no row is a child
    lowest = min(child_level or Level.TOWNSHIP, Level.TOWNSHIP)
    return f"""
    SELECT SUBSTR(r.code, 1, {child_len}) AS child,
           MAX(CASE WHEN r.level = {child} THEN r.name END) AS name,
           SUM(CASE WHEN r.level = {child} THEN 1 ELSE 0 END) AS is_child,
           SUM(CASE WHEN r.level = {child} AND r.in_scope THEN 1 ELSE 0 END) AS child_in_scope,
           SUM(CASE WHEN r.level = {Level.TOWNSHIP} AND r.in_scope THEN 1 ELSE 0 END) AS townships,
           SUM(CASE WHEN r.level = {Level.VILLAGE} AND r.in_scope THEN 1 ELSE 0 END) AS villages,
           0 AS stations_built, 0 AS recent_stations, 0 AS stations_operating, 0 AS rooms_built,
           0 AS recent_rooms, 0 AS covered, 0 AS recent_covered, 0 AS villages_with_room,
           0 AS recent_villages, 0 AS demonstration, 0 AS recent_demonstration, 0 AS assessed,
           0 AS compliant, 0 AS items, 0 AS items_met,
           {", ".join(f"0 AS f{i}" for i in range(len(FACILITY_COLUMNS)))}
    FROM ({regions[0]}) AS r
    WHERE r.level >= {lowest}
    GROUP BY SUBSTR(r.code, 1, {child_len})"""


def _facilities_part(child_len: int, facilities: Source) -> str:
    """Per child: stations and rooms built, recent and operating, townships and villages covered, and the
    count of each kind in each status."""
    built = _in(BUILT_STATUSES)
    # Township coverage and 已建成 count the township's own station only; management-unit (管委会, 农场) and
    # community stations have their own rows in the per-kind counts.
    station = f"f.kind = '{Kind.TOWNSHIP_STATION}' AND f.region_level = {Level.TOWNSHIP}"
    room = f"f.kind = '{Kind.VILLAGE_ROOM}'"
    recent = "f.built_on >= %s"
    covers_township = f"{station} AND f.status IN {built} AND f.region_in_scope"
    covers_village = (
        f"{room} AND f.region_level = {Level.VILLAGE} AND f.status IN {built} AND f.region_in_scope"
    )
    pivot = ",\n           ".join(
        f"SUM(CASE WHEN f.kind = '{kind}' AND f.status = '{status}' THEN 1 ELSE 0 END)"
        for kind, status in FACILITY_COLUMNS
    )
    return f"""
    SELECT SUBSTR(f.region_id, 1, {child_len}), NULL, 0, 0, 0, 0,
           SUM(CASE WHEN {station} AND f.status IN {built} THEN 1 ELSE 0 END),
           SUM(CASE WHEN {station} AND f.status IN {built} AND {recent} THEN 1 ELSE 0 END),
           SUM(CASE WHEN {station} AND f.status = '{FacilityStatus.OPERATING}' THEN 1 ELSE 0 END),
           SUM(CASE WHEN {room} AND f.status IN {built} THEN 1 ELSE 0 END),
           SUM(CASE WHEN {room} AND f.status IN {built} AND {recent} THEN 1 ELSE 0 END),
           COUNT(DISTINCT CASE WHEN {covers_township} THEN f.region_id END),
           COUNT(DISTINCT CASE WHEN {covers_township} AND {recent} THEN f.region_id END),
           COUNT(DISTINCT CASE WHEN {covers_village} THEN f.region_id END),
           COUNT(DISTINCT CASE WHEN {covers_village} AND {recent} THEN f.region_id END),
           0, 0, 0, 0, 0, 0,
           {pivot}
    FROM ({facilities[0]}) AS f
    GROUP BY SUBSTR(f.region_id, 1, {child_len})"""


def _honours_part(child_len: int, honours: Source) -> str:
    """Per child: demonstration stations (示范站), and those made so in the last year."""
    zeros = ", ".join("0" for _ in FACILITY_COLUMNS)
    return f"""
    SELECT SUBSTR(h.region_id, 1, {child_len}), NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           COUNT(DISTINCT h.facility_id),
           COUNT(DISTINCT CASE WHEN h.awarded_on >= %s OR (h.awarded_on IS NULL AND h.year > %s)
                               THEN h.facility_id END),
           0, 0, 0, 0, {zeros}
    FROM ({honours[0]}) AS h
    WHERE h.kind = '{HonourKind.DEMONSTRATION}'
    GROUP BY SUBSTR(h.region_id, 1, {child_len})"""


def _assessments_part(child_len: int, assessments: Source) -> str:
    """Per child: facilities assessed (their latest assessment), those meeting every item, items and met."""
    zeros = ", ".join("0" for _ in FACILITY_COLUMNS)
    return f"""
    SELECT child, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           COUNT(*), SUM(CASE WHEN n_items > 0 AND n_items = n_met THEN 1 ELSE 0 END), SUM(n_items),
           SUM(n_met), {zeros}
    FROM (
        SELECT SUBSTR(a.region_id, 1, {child_len}) AS child, COUNT(ar.id) AS n_items,
               SUM(CASE WHEN ar.result = '{Result.MET}' THEN 1 ELSE 0 END) AS n_met
        FROM ({assessments[0]}) AS a
        LEFT JOIN network_assessmentresult ar ON ar.assessment_id = a.id
        WHERE a.is_latest AND a.facility_status <> '{FacilityStatus.CLOSED}'
        GROUP BY a.id, SUBSTR(a.region_id, 1, {child_len})
    ) AS latest
    GROUP BY child"""


def figures_sql(
    *,
    child_len: int,
    child_level: int | None,
    year_ago: dt.date,
    regions: Source,
    facilities: Source,
    honours: Source,
    assessments: Source,
) -> tuple[str, list]:
    """(sql, params) of the figures per child region of length ``child_len`` (level ``child_level``; None
    when the region has no children) over the four sources, each (sql, params) of a SELECT with the columns

    * regions: code, name, level, in_scope
    * facilities: id, region_id, kind, status, built_on, region_level, region_in_scope
    * honours: facility_id, region_id (the facility's), kind, year, awarded_on
    * assessments: id, region_id (the facility's), is_latest, facility_status

    Each source appears once, as a derived table, so the planner sees through it to the tables' indexes."""
    count_names = [*COLUMNS, *(f"f{i}" for i in range(len(FACILITY_COLUMNS)))]
    sums = ", ".join(f"SUM({name})" for name in count_names)
    parts = "\n  UNION ALL".join(
        (
            _regions_part(child_len, child_level, regions),
            _facilities_part(child_len, facilities),
            _honours_part(child_len, honours),
            _assessments_part(child_len, assessments),
        )
    )
    sql = f"""
SELECT child, MAX(name), SUM(is_child), SUM(child_in_scope), {sums}
FROM ({parts}
) AS parts
GROUP BY child
ORDER BY child"""
    params = [
        *regions[1],
        *[year_ago] * 4,
        *facilities[1],
        year_ago,
        year_ago.year,
        *honours[1],
        *assessments[1],
    ]
    return sql, params


def dashboard_sql(code: str, today: dt.date | None = None) -> tuple[str, list]:
    """The floor: (sql, params) of the statement for the dashboard's numbers of each child of ``code``,
    the whole region in scope (as for its administrator), with the range filters a DBA would write."""
    today = today or timezone.localdate()
    level = LEVEL_BY_LENGTH[len(code)]
    child_level = level + 1 if level < Level.VILLAGE else None
    bounds = [code, next_code(code) or "~"]  # "~" sorts after every digit string
    return figures_sql(
        child_len=CODE_LENGTHS[Level(child_level)] if child_level else CODE_LENGTHS[Level.VILLAGE],
        child_level=child_level,
        year_ago=today - dt.timedelta(days=365),
        regions=(
            "SELECT code, name, level, in_scope FROM regions_region WHERE code >= %s AND code < %s",
            bounds,
        ),
        facilities=(
            "SELECT f.id, f.region_id, f.kind, f.status, f.built_on, r.level AS region_level,"
            " r.in_scope AS region_in_scope"
            " FROM network_facility f JOIN regions_region r ON r.code = f.region_id"
            " WHERE f.region_id >= %s AND f.region_id < %s",
            bounds,
        ),
        honours=(
            "SELECT h.facility_id, f.region_id, h.kind, h.year, h.awarded_on"
            " FROM network_honour h JOIN network_facility f ON f.id = h.facility_id"
            " WHERE f.region_id >= %s AND f.region_id < %s",
            bounds,
        ),
        assessments=(
            "SELECT a.id, f.region_id, a.is_latest, f.status AS facility_status"
            " FROM network_assessment a JOIN network_facility f ON f.id = a.facility_id"
            " WHERE f.region_id >= %s AND f.region_id < %s",
            bounds,
        ),
    )
