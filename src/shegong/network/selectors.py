"""Reads of the station network, always through the user's scope (lib/scoping.py)."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.lib.ratios import share
from shegong.lib.scoping import (
    applies_q,
    applying_to_user,
    code_prefix_q,
    get_scoped_or_404,
    in_region,
    row_or_404,
    scope_to_user,
)
from shegong.network.models import (
    BUILT_STATUSES,
    Assessment,
    AssessmentResult,
    Checklist,
    Facility,
    FacilityPhoto,
    FacilityStatus,
    Honour,
    Kind,
    OperatingMode,
    Premises,
    Target,
    in_status_on,
)
from shegong.regions.models import Level, Region, in_scope_on, scope_reason_on
from shegong.regions.selectors import region_breadcrumb  # noqa: F401  (the network pages' breadcrumb)

# Status filters beyond the single statuses: the groups the dashboard's figures count.
STATUS_GROUPS = {
    "built_or_later": BUILT_STATUSES,
    "open": tuple(s for s in FacilityStatus.values if s != FacilityStatus.CLOSED),
}


def facility_list(
    *,
    user,
    region: str = "",
    kind: str = "",
    status: str = "",
    search: str = "",
    capability: str = Cap.DATA_VIEW,
) -> QuerySet:
    """Facilities in the user's scope, filtered by division code prefix, kind (or "township" for the kinds that
    cover townships), status or status group, and a search term over name, address and brand."""
    qs = scope_to_user(Facility.objects.select_related("region"), user, capability)
    qs = in_region(qs, user, "region_id", region)
    return facility_narrow(qs, kind=kind, status=status, search=search).order_by("region_id", "kind", "name")


def facility_narrow(qs: QuerySet, *, kind: str = "", status: str = "", search: str = "") -> QuerySet:
    """``qs`` narrowed by kind (or "township" for the kinds that cover townships), status or status group
    (STATUS_GROUPS), and a search term over name, address and brand."""
    if kind == "township":
        qs = qs.filter(kind__in=[Kind.TOWNSHIP_STATION, Kind.UNIT_STATION], region__level=4)
    elif kind in Kind.values:
        qs = qs.filter(kind=kind)
    if status in STATUS_GROUPS:
        qs = qs.filter(status__in=STATUS_GROUPS[status])
    elif status in FacilityStatus.values:
        qs = qs.filter(status=status)
    if search:
        term = search.strip()
        qs = qs.filter(Q(name__contains=term) | Q(address__contains=term) | Q(brand__contains=term))
    return qs


def facility_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Facility:
    return get_scoped_or_404(Facility.objects.select_related("region"), user, capability, pk=pk)


def facility_history(*, user, facility: Facility) -> QuerySet:
    return scope_to_user(facility.status_changes.select_related("actor"), user).order_by("-changed_on", "-id")


def facility_photos(*, user, facility: Facility) -> QuerySet:
    return scope_to_user(FacilityPhoto.objects.filter(facility=facility), user)


def photo_get(*, user, pk) -> FacilityPhoto:
    return get_scoped_or_404(FacilityPhoto.objects.all(), user, pk=pk)


def facility_honours(*, user, facility: Facility) -> QuerySet:
    return scope_to_user(Honour.objects.filter(facility=facility), user)


def honour_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Honour:
    return get_scoped_or_404(Honour.objects.select_related("facility__region"), user, capability, pk=pk)


def facility_assessments(*, user, facility: Facility) -> QuerySet:
    return scope_to_user(
        Assessment.objects.filter(facility=facility).select_related("checklist", "assessor"), user
    )


def assessment_get(*, user, pk) -> Assessment:
    return get_scoped_or_404(
        Assessment.objects.select_related("facility__region", "checklist", "assessor"), user, pk=pk
    )


def assessment_results(*, user, assessment: Assessment) -> QuerySet:
    return scope_to_user(AssessmentResult.objects.filter(assessment=assessment).select_related("item"), user)


def result_get(*, user, pk) -> AssessmentResult:
    return get_scoped_or_404(AssessmentResult.objects.all(), user, pk=pk)


# --- Checklists ----------------------------------------------------------------------------------


def checklist_list(*, user, capability: str = Cap.DATA_VIEW) -> QuerySet:
    """The checklists that apply to the user: the starting templates, those of the regions above the user's
    jurisdiction, and those of regions inside it. Editing asks scope_to_user alone (inside only)."""
    checklists = applying_to_user(
        Checklist.objects.select_related("region"), user, capability, templates=True
    )
    return checklists.order_by("region_id", "name")


def checklist_get(*, user, pk) -> Checklist:
    """One checklist that applies to the user (see checklist_list); any other answers 404."""
    return row_or_404(checklist_list(user=user), pk=pk)


def checklist_get_for_edit(*, user, pk) -> Checklist:
    return get_scoped_or_404(Checklist.objects.all(), user, Cap.NETWORK_MANAGE, pk=pk)


def checklists_for_facility(*, user, facility: Facility) -> QuerySet:
    """The checklists a facility may be assessed against: templates and those of its region or above."""
    return checklist_list(user=user).filter(applies_q("region_id", facility.region_id, templates=True))


# --- Targets -------------------------------------------------------------------------------------


def target_list(*, user, region: str | None = None) -> QuerySet:
    qs = scope_to_user(Target.objects.select_related("region"), user)
    if region is not None:
        qs = qs.filter(region_id=region)
    return qs


def target_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Target:
    return get_scoped_or_404(Target.objects.select_related("region"), user, capability, pk=pk)


# --- Regions, as the network sees them -----------------------------------------------------------


def network_region_get(*, user, code: str, capability: str = Cap.DATA_VIEW) -> Region:
    """A division the user may see network data of (the dashboard's region); others answer 404."""
    return get_scoped_or_404(Region.objects.all(), user, capability, code=code)


def network_regions_by_code(*, user, codes, capability: str = Cap.NETWORK_MANAGE) -> dict[str, Region]:
    return {r.code: r for r in scope_to_user(Region.objects.all(), user, capability).filter(code__in=codes)}


def scope_summary(*, user, region: Region, as_of: dt.date | None = None) -> dict:
    """The townships of ``region`` in the coverage scope and those excluded, with the recorded reasons (one row
    per reason, with how many townships it excludes), for the dashboard's 'in scope / excluded' figure; as of
    the end of ``as_of`` (default today) by the dated scope changes (regions.ScopeChange)."""
    townships = scope_to_user(Region.objects.all(), user, Cap.DATA_VIEW).filter(
        code_prefix_q("code", region.code), level=Level.TOWNSHIP
    )
    if as_of is not None and as_of < timezone.localdate():
        townships = townships.annotate(scope_then=in_scope_on(as_of), reason_then=scope_reason_on(as_of))
        scope, reason = "scope_then", "reason_then"
    else:
        scope, reason = "in_scope", "scope_reason"
    in_scope = townships.filter(**{scope: True}).count()
    reasons = [
        {"scope_reason": row[reason], "n": row["n"]}
        for row in townships.filter(**{scope: False})
        .order_by()
        .values(reason)
        .annotate(n=Count("code"))
        .order_by("-n", reason)
    ]
    return {
        "townships": in_scope + sum(r["n"] for r in reasons),
        "in_scope": in_scope,
        "excluded": sum(r["n"] for r in reasons),
        "reasons": reasons,
    }


def premises_split(
    *, user, region: Region, field: str = "premises", as_of: dt.date | None = None
) -> list[dict]:
    """Built township stations of ``region`` by one recorded attribute (``premises``: independent / shared;
    ``operating_mode``: run directly / commissioned), with the count and share of each value and of 'not
    recorded'. As of a past day, the stations built at the end of that day by their status history
    (StatusChange), each with the attribute recorded for it (attributes carry no history of their own)."""

    choices = {"premises": Premises, "operating_mode": OperatingMode}[field]
    stations = scope_to_user(Facility.objects.all(), user, Cap.DATA_VIEW).filter(
        code_prefix_q("region_id", region.code), kind=Kind.TOWNSHIP_STATION
    )
    stations = in_status_on(stations, BUILT_STATUSES, as_of)
    counts = dict(stations.order_by().values_list(field).annotate(n=Count("id")))
    total = sum(counts.values())
    rows = [{"value": v, "label": label, "n": counts.get(v, 0)} for v, label in choices.choices]
    rows.append({"value": "", "label": None, "n": counts.get("", 0)})
    for row in rows:
        row["share"] = share(row["n"], total)
    return rows


# --- Choosing a station -----------------------------------------------------------------------------------


def station_choices(*, user, capability: str = Cap.DATA_EDIT) -> QuerySet:
    """The one station chooser: the open facilities of the user's jurisdiction where people are served and
    records are kept — county centres, township and unit stations, village rooms. A city hub guides counties
    and serves nobody itself, so it is not offered."""
    return (
        scope_to_user(Facility.objects.select_related("region"), user, capability)
        .exclude(status=FacilityStatus.CLOSED)
        .exclude(kind=Kind.CITY_HUB)
        .order_by("region_id", "kind", "name")
    )
