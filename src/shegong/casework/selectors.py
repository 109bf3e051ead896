"""Reads of casework, always through the user's scope (lib/scoping.py)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from shegong.accounts.roles import Cap
from shegong.casework.models import (
    OPEN_STAGES,
    Approval,
    ApprovalStatus,
    Case,
    Referral,
    ReferralStatus,
    ServiceCountyMonth,
    ServiceItem,
    ServiceMonth,
    ServiceRecord,
)
from shegong.lib.forms import as_id
from shegong.lib.paging import merged_pages
from shegong.lib.scoping import (
    applies_q,
    area_of,
    code_prefix_q,
    get_scoped_or_404,
    in_region,
    narrowed,
    region_asked,
    scope_to_area,
    scope_to_user,
)
from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus
from shegong.regions.models import CODE_LENGTHS, Level


def case_list(
    *,
    user,
    person=None,
    region: str = "",
    state: str = "",
    closed_since: dt.date | None = None,
    closed_until: dt.date | None = None,
    capability: str = Cap.DATA_VIEW,
) -> QuerySet:
    """Cases in the user's scope, newest first: of ``person``, ``state`` "open" or "closed" (:func:`state_q`),
    closed in a period. casework/lists.py filters the list further (stage, the user's own)."""
    qs = scope_to_user(Case.objects.select_related("person", "station", "worker"), user, capability)
    if person is not None:
        qs = qs.filter(person=person)
    qs = in_region(qs, user, "station__region_id", region)
    if state in ("open", "closed"):
        qs = qs.filter(state_q(state))
    qs = narrowed(qs, closed_on__gte=closed_since, closed_on__lte=closed_until)
    return qs.order_by("-opened_on", "-id")


def cases_of(*, user, person, n: int = 20) -> QuerySet:
    """A person's latest cases as the person's page prints them (opened, stage, station): no more."""
    return (
        case_list(user=user, person=person)
        .select_related(None)
        .select_related("station")
        .only("opened_on", "stage", "station__name")[:n]
    )


def state_q(state: str) -> Q:
    """Open cases (a stage before closure) or closed ones."""
    return Q(stage__in=OPEN_STAGES) if state == "open" else ~Q(stage__in=OPEN_STAGES)


def case_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related("person", "person__region", "station", "worker"), user, capability, pk=pk
    )


def case_history(*, user, case: Case) -> QuerySet:
    return scope_to_user(case.events.select_related("actor", "station"), user).order_by("at", "id")


def case_contacts(*, user, case: Case) -> QuerySet:
    return scope_to_user(case.contacts.select_related("worker"), user)


def approval_list(*, user, status: str = ApprovalStatus.PENDING) -> QuerySet:
    qs = scope_to_user(
        Approval.objects.select_related("case", "case__person", "case__station", "requested_by"), user
    )
    qs = narrowed(qs, status=status)
    return qs.order_by("requested_at", "id")


def approval_get(*, user, pk, capability: str = Cap.CASE_APPROVE) -> Approval:
    return get_scoped_or_404(
        Approval.objects.select_related("case", "case__station"), user, capability, pk=pk
    )


def pending_approval(*, case: Case) -> Approval | None:
    if hasattr(case, "pending_approvals"):  # read for a whole page by prefetch_pending_approvals
        return case.pending_approvals[0] if case.pending_approvals else None
    return case.approvals.filter(status=ApprovalStatus.PENDING).first()


def prefetch_pending_approvals(cases: list[Case]) -> None:
    """The pending approval of every case of a page in one query (``pending_approval`` reads it)."""
    pending = Approval.objects.filter(status=ApprovalStatus.PENDING).order_by(*Approval._meta.ordering)
    prefetch_related_objects(cases, Prefetch("approvals", queryset=pending, to_attr="pending_approvals"))


def referral_inbox(*, user) -> QuerySet:
    """Referrals sent to stations in the user's jurisdiction, awaiting an answer."""
    if not user.is_authenticated or not user.can(Cap.DATA_VIEW):
        return Referral.objects.none()
    return (
        Referral.objects.filter(
            code_prefix_q("to_station__region_id", user.jurisdiction_code), to_station__isnull=False
        )
        .filter(status=ReferralStatus.PENDING)
        .select_related("case", "case__person", "from_station", "to_station", "created_by")
        .order_by("created_at")
    )


def referral_get(*, user, pk) -> Referral:
    """A referral the user may answer: sent to a station of theirs, or (for departments) sent from one."""

    if not user.is_authenticated or not user.can(Cap.DATA_EDIT):
        raise Http404
    code = user.jurisdiction_code
    q = (Q(to_station__isnull=False) & code_prefix_q("to_station__region_id", code)) | (
        Q(to_station__isnull=True) & code_prefix_q("from_station__region_id", code)
    )
    try:
        return Referral.objects.select_related("case", "case__person", "from_station", "to_station").get(
            q, pk=pk
        )
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def case_referrals(*, user, case: Case) -> QuerySet:
    return scope_to_user(case.referrals.select_related("to_station", "from_station"), user)


def referral_targets(*, user, case: Case) -> QuerySet:
    """Stations a case may be referred to: the open township stations of the case's county (a township worker
    refers to a neighbouring station of the same county), never a station of another county."""

    county = case.station.region_id[:6]
    if len(county) < 6:  # a case kept above a county: no county to refer within
        return Facility.objects.none()
    return (
        scope_to_area(Facility.objects.filter(kind__in=TOWNSHIP_KINDS), user, county, Cap.DATA_EDIT)
        .exclude(status=FacilityStatus.CLOSED)
        .exclude(pk=case.station_id)
        .select_related("region")
        .order_by("region_id")
    )


def service_item_list(*, user, region: str = "", active_only: bool = True) -> QuerySet:
    """The service menu for ``region`` (or the user's jurisdiction): the shipped items and those of the regions
    above and at it, and, for a region's own overview, those of the regions inside it."""
    code = region or user.jurisdiction_code
    qs = ServiceItem.objects.all()
    if code:
        qs = qs.filter(applies_q("region_id", code, templates=True, inside=not region))
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("group", "sort", "id")


def service_record_list(
    *,
    user,
    person=None,
    region: str = "",
    item: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet:
    qs = scope_to_user(ServiceRecord.objects.select_related("station", "person", "item", "worker"), user)
    if person is not None:
        qs = qs.filter(person=person)
    qs = in_region(qs, user, "station__region_id", region)
    area = region_asked(user, region) or (user.jurisdiction_code if user.is_authenticated else "")
    if person is None and len(area) >= 9:
        qs = _at_its_station(qs, area)
    elif person is None and len(area) >= 6:
        qs = _at_its_facilities(qs, area)
    if as_id(item) is not None:
        qs = qs.filter(item_id=as_id(item))
    qs = narrowed(qs, served_on__gte=since, served_on__lte=until)
    return qs.order_by("-served_on", "-id")


def services_of(*, user, person, n: int = 20) -> QuerySet:
    """A person's latest services as the person's page prints them (day, minutes, item): no more."""
    return (
        service_record_list(user=user, person=person)
        .select_related(None)
        .select_related("item")
        .only("served_on", "duration_minutes", "item__name")[:n]
    )


def _at_its_station(qs: QuerySet, area: str) -> QuerySet:
    """The records of a township or a village are nearly always those of one station: when only one facility of
    the area has records, the list names it (``station_id = X``), and the newest page is a walk of that
    station's own index. Scoped through the station's division alone, PostgreSQL walked the newest records of
    the whole database and kept the township's (a prefecture: 8,861 records read for 50, 20-480 ms; a
    province ten times more). The same rows either way."""
    holders = list(
        Facility.objects.filter(code_prefix_q("region_id", area))
        .filter(Exists(ServiceRecord.objects.filter(station=OuterRef("pk"))))
        .values_list("pk", flat=True)[:2]
    )
    if not holders:
        return qs.none()
    return qs.filter(station_id=holders[0]) if len(holders) == 1 else qs


def _at_its_facilities(qs: QuerySet, area: str) -> QuerySet:
    """A county's records named by its facilities (``station_id IN (SELECT id FROM facility WHERE division in
    the county)``, about 120) besides its division: the page counts its rows up to the cap, and through the
    station's division alone PostgreSQL joined every record to its station to count a county's first 10,001
    (0.5 s at prefecture); by the station's own index it reads them at once. The same rows either way, and no
    query of its own (the figures that sum a county's records keep their query count).

    On PostgreSQL its pages are the merge of its facilities' own newest-first scans (lib/paging.py
    ``merged_pages``, the index ``(station, -served_on, -id)``): walking the newest records of the whole database
    for the county's, page 5 read 5,128 records for its 50 at prefecture (10-22 ms; page 20 468 ms, a half-year
    filter 130 ms), the merge reads each station's 250 newest from the index alone (2 ms; 11 ms, 2 ms). Every
    row of the list lies at one of these facilities: the same rows in the same order."""
    facilities = Facility.objects.filter(code_prefix_q("region_id", area))
    return merged_pages(qs.filter(station_id__in=facilities.values("pk")), "station", facilities)


def service_month_list(*, user, region: str = "", since: dt.date | None = None, until: dt.date | None = None):
    """Rows of the monthly service rollup (casework/rollups.py) inside the user's scope: per county when the
    area asked for is a county or larger (a province's year is 40,000 county rows, not 318,000 station rows),
    per station inside a county. Both have ``item``, ``month``, ``records`` and ``person_times``."""
    if len(area_of(user, region)) <= CODE_LENGTHS[Level.COUNTY]:
        qs = scope_to_user(ServiceCountyMonth.objects.all(), user)
        qs = in_region(qs, user, "county", region)
    else:
        qs = scope_to_user(ServiceMonth.objects.all(), user)
        qs = in_region(qs, user, "station__region_id", region)
    qs = narrowed(qs, month__gte=since, month__lte=until)
    return qs
