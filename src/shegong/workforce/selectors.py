"""Reads of the workforce, always through the user's scope (lib/scoping.py). Out of jurisdiction is 404."""

import datetime as dt

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.lib.pii import hash_in
from shegong.lib.scoping import (
    applies_q,
    applying_to_user,
    get_scoped_or_404,
    in_region,
    lineage,
    narrowed,
    nearest,
    scope_to_user,
)
from shegong.network.models import Facility, FacilityStatus, Kind, in_status_on
from shegong.regions.models import Region
from shegong.workforce.models import (
    DEFAULT_MINIMUM_STAFF,
    FULL_TIME_TYPES,
    Agency,
    Assignment,
    Attendance,
    Certificate,
    EducationHours,
    StaffingRule,
    TalentTarget,
    TrainingSession,
    Worker,
    WorkerStatus,
)
from shegong.workforce.services import STAFFABLE_STATUSES

# --- Workers ----------------------------------------------------------------------------------------


def _current_level():
    return Subquery(
        Certificate.objects.filter(worker=OuterRef("pk"))
        .values("worker")
        .annotate(top=Max("level"))
        .values("top")[:1]
    )


def _current_facility(field: str):
    return Subquery(Assignment.objects.filter(worker=OuterRef("pk"), end_date__isnull=True).values(field)[:1])


def worker_search(term: str) -> Q:
    """A name, a whole ID number or phone (by the lookup hash), or the last four digits of either."""
    term = term.strip()
    if len(term) == 18 or (len(term) == 11 and term.isdigit()):
        return hash_in("id_number_hash", term) | hash_in("phone_hash", term)
    if len(term) == 4 and (term[:3].isdigit()):
        return Q(id_number_last4=term.upper()) | Q(phone_last4=term)
    return Q(name__contains=term)


def worker_list(*, user, region: str = "", capability: str = Cap.DATA_VIEW) -> QuerySet:
    """Workers in the user's scope, each with their current level and station (workforce/lists.py filters
    them: status, employment type, level, station and the search of :func:`worker_search`)."""
    qs = scope_to_user(Worker.objects.select_related("region", "agency"), user, capability)
    qs = in_region(qs, user, "region_id", region).annotate(
        current_level=_current_level(),
        facility_id=_current_facility("facility_id"),
        facility_name=_current_facility("facility__name"),
    )
    return qs.order_by("region_id", "name", "id")


def worker_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Worker:
    return get_scoped_or_404(
        Worker.objects.select_related("region", "agency").annotate(current_level=_current_level()),
        user,
        capability,
        pk=pk,
    )


def worker_assignments(*, user, worker: Worker) -> QuerySet:
    """The whole history of a worker the user may see (the file is in scope, so is its history, including
    stations in other divisions the worker came from)."""
    return worker.assignments.select_related("facility__region").order_by("-start_date", "-id")


def worker_current_assignment(*, user, worker: Worker) -> Assignment | None:
    return worker.assignments.filter(end_date__isnull=True).select_related("facility").first()


def worker_certificates(*, user, worker: Worker) -> QuerySet:
    return worker.certificates.order_by("-level", "-year")


def worker_education(*, user, worker: Worker) -> QuerySet:
    return EducationHours.objects.filter(worker=worker).order_by("-year")


def worker_training(*, user, worker: Worker) -> QuerySet:
    return (
        TrainingSession.objects.filter(attendances__worker=worker)
        .select_related("region")
        .order_by("-held_on")
    )


def certificate_get(*, user, pk, capability: str = Cap.DATA_EDIT) -> Certificate:
    return get_scoped_or_404(Certificate.objects.select_related("worker"), user, capability, pk=pk)


# --- Stations as the workforce sees them ----------------------------------------------------------


def staffable_facilities(*, user, capability: str = Cap.DATA_EDIT) -> QuerySet:
    """Stations and centres in the user's scope that can take workers."""
    return (
        scope_to_user(Facility.objects.select_related("region"), user, capability)
        .filter(status__in=STAFFABLE_STATUSES)
        .order_by("region_id", "kind", "name")
    )


def facility_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Facility:
    return get_scoped_or_404(Facility.objects.select_related("region"), user, capability, pk=pk)


def staffing_minimums(*, codes) -> dict[str, int]:
    """The minimum full-time workers for each division code: the rule of the nearest region at or above it."""
    prefixes = {prefix for code in codes for prefix in lineage(code)}
    rules = dict(StaffingRule.objects.filter(region_id__in=prefixes).values_list("region_id", "minimum"))
    return {code: nearest(rules, code, DEFAULT_MINIMUM_STAFF) for code in codes}


def staffing_rule_list(*, user) -> QuerySet:
    """The rules that apply in the user's jurisdiction: those of regions above it and inside it."""
    return applying_to_user(StaffingRule.objects.select_related("region"), user)


# Every centre and station counts; village rooms are staffed from their township's station.
STAFFED_KINDS = (Kind.TOWNSHIP_STATION, Kind.UNIT_STATION, Kind.COUNTY_CENTRE, Kind.CITY_HUB)


def stations_in_scope(*, user) -> list[Facility]:
    """The centres and stations of the user's scope that are not closed, in the staffing order: read once by
    a page that shows the staffing and also links townships to their stations (the workbench), then passed
    to station_staffing (``facilities``) and clients.ledger.summary (``stations``)."""
    qs = scope_to_user(Facility.objects.all(), user, Cap.DATA_VIEW)
    qs = qs.filter(kind__in=STAFFED_KINDS).exclude(status=FacilityStatus.CLOSED)
    # What the callers read of them: a province's 15,000 facilities in full were a third of its workbench.
    return list(qs.order_by("region_id", "kind", "name").only("name", "kind", "status", "region_id"))


def station_staffing(
    *,
    user,
    region: str = "",
    under_only: bool = False,
    kinds=None,
    as_of: dt.date | None = None,
    facilities: list[Facility] | None = None,
) -> list[dict]:
    """Each staffable station in scope with its full-time and other workers now (or at the end of ``as_of``:
    the station's status from its history, the assignments running that day, the workers in post that day),
    its minimum and whether it is under-staffed: three queries (stations, counts, rules), whatever the number
    of stations; two when the caller passes the scope's ``facilities`` (stations_in_scope: today, no ``region``)."""
    kinds = kinds or STAFFED_KINDS
    past = as_of is not None and as_of < timezone.localdate()
    if facilities is not None:
        staffable = [f for f in facilities if f.kind in kinds and f.status in STAFFABLE_STATUSES]
        assignments = Assignment.objects.filter(facility__in=[f.pk for f in staffable])
        return _staffing_rows(staffable, assignments, past=False, as_of=None, under_only=under_only)
    facility_qs = scope_to_user(Facility.objects.select_related("region"), user, Cap.DATA_VIEW).filter(
        kind__in=kinds
    )
    facility_qs = in_status_on(facility_qs, STAFFABLE_STATUSES, as_of)
    facility_qs = in_region(facility_qs, user, "region_id", region)
    facilities = list(facility_qs.order_by("region_id", "kind", "name"))
    assignments = Assignment.objects.filter(facility__in=facility_qs.values("pk"))
    return _staffing_rows(facilities, assignments, past=past, as_of=as_of, under_only=under_only)


def _staffing_rows(facilities, assignments, *, past: bool, as_of, under_only: bool) -> list[dict]:
    """station_staffing's rows for ``facilities``: the ``assignments`` running (now or at the end of
    ``as_of``) counted per facility, and the minimum the staffing rules set."""
    if past:
        running = Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        in_post = Q(worker__joined_on__lte=as_of) & (
            Q(worker__left_on__isnull=True) | Q(worker__left_on__gt=as_of)
        )
        assignments = assignments.filter(running & in_post)
    else:
        assignments = assignments.filter(end_date__isnull=True, worker__status=WorkerStatus.ACTIVE)
    counts = {
        row["facility_id"]: row
        for row in assignments.values("facility_id").annotate(
            full_time=Count("id", filter=Q(worker__employment_type__in=FULL_TIME_TYPES)),
            total=Count("id"),
        )
    }
    minimums = staffing_minimums(codes={f.region_id for f in facilities})
    rows = []
    for facility in facilities:
        row = counts.get(facility.pk, {})
        full_time = row.get("full_time", 0)
        minimum = minimums[facility.region_id]
        entry = {
            "facility": facility,
            "full_time": full_time,
            "total": row.get("total", 0),
            "minimum": minimum,
            "under": full_time < minimum,
        }
        if entry["under"] or not under_only:
            rows.append(entry)
    return rows


def facility_workers(*, user, facility: Facility, current: bool = True) -> QuerySet:
    """A station's workers: those there now, or everyone who ever was (with dates)."""
    qs = Assignment.objects.filter(facility=facility).select_related("worker")
    if current:
        qs = qs.filter(end_date__isnull=True)
    return qs.order_by("end_date", "-start_date", "worker__name")


# --- Agencies, rules and targets --------------------------------------------------------------------


def agency_search_q(term: str) -> Q:
    """The agency's name, or the start of its unified social credit code."""
    return Q(name__contains=term.strip()) | Q(credit_code__startswith=term.strip().upper())


def agency_list(*, user, region: str = "", search: str = "", rating: str = "") -> QuerySet:
    qs = scope_to_user(Agency.objects.select_related("region"), user, Cap.DATA_VIEW)
    qs = in_region(qs, user, "region_id", region)
    if search:
        qs = qs.filter(agency_search_q(search))
    if rating:
        qs = qs.filter(rating="" if rating == "none" else rating)
    return qs.annotate(worker_count=Count("workers", filter=Q(workers__status=WorkerStatus.ACTIVE))).order_by(
        "region_id", "name"
    )


def agency_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Agency:
    return get_scoped_or_404(Agency.objects.select_related("region"), user, capability, pk=pk)


def agency_choices(*, user) -> QuerySet:
    """Agencies a worker of the user's jurisdiction may be employed by: those registered in it or above it
    (a provincial agency runs stations in many counties)."""
    if not user.can(Cap.DATA_VIEW):
        return Agency.objects.none()
    return Agency.objects.filter(applies_q("region_id", user.jurisdiction_code, inside=True)).order_by("name")


def agency_facilities(*, user, agency: Agency) -> QuerySet:
    """The stations in the user's scope that name this agency as their operator, by its credit code."""
    return (
        scope_to_user(Facility.objects.select_related("region"), user, Cap.DATA_VIEW)
        .filter(agency_credit_code=agency.credit_code)
        .order_by("region_id", "name")
    )


def agency_workers(*, user, agency: Agency) -> QuerySet:
    return scope_to_user(agency.workers.all(), user, Cap.DATA_VIEW).filter(status=WorkerStatus.ACTIVE)


def talent_target_list(*, user, region: str | None = None) -> QuerySet:
    qs = scope_to_user(TalentTarget.objects.select_related("region"), user, Cap.DATA_VIEW)
    if region is not None:
        qs = qs.filter(region_id=region)
    return qs


def talent_target_get(*, user, pk, capability: str = Cap.DATA_EDIT) -> TalentTarget:
    return get_scoped_or_404(TalentTarget.objects.all(), user, capability, pk=pk)


def workforce_region_get(*, user, code: str, capability: str = Cap.DATA_VIEW) -> Region:
    return get_scoped_or_404(Region.objects.all(), user, capability, code=code)


# --- Training -----------------------------------------------------------------------------------------


def training_list(*, user, region: str = "", kind: str = "", year: int | None = None) -> QuerySet:
    qs = scope_to_user(TrainingSession.objects.select_related("region"), user, Cap.DATA_VIEW)
    qs = in_region(qs, user, "region_id", region)
    qs = narrowed(qs, kind=kind, held_on__year=year)
    return qs.annotate(attendees=Count("attendances")).order_by("-held_on", "-id")


def training_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> TrainingSession:
    return get_scoped_or_404(TrainingSession.objects.select_related("region"), user, capability, pk=pk)


def training_attendance(*, user, session: TrainingSession) -> QuerySet:
    return (
        Attendance.objects.filter(session=session)
        .select_related("worker__region")
        .order_by("worker__region_id", "worker__name")
    )


def attendance_get(*, user, pk) -> Attendance:
    return get_scoped_or_404(
        Attendance.objects.select_related("session", "worker"), user, Cap.DATA_EDIT, pk=pk
    )


def training_by_worker(*, user, region: str = "", year: int | None = None) -> QuerySet:
    """Person-times and hours per worker in the user's scope (one GROUP BY)."""
    qs = scope_to_user(Worker.objects.all(), user, Cap.DATA_VIEW)
    qs = in_region(qs, user, "region_id", region)
    condition = Q(attendances__session__held_on__year=year) if year else Q()
    return (
        qs.annotate(
            sessions=Count("attendances", filter=condition),
            hours=Sum("attendances__session__hours", filter=condition),
        )
        .filter(sessions__gt=0)
        .order_by("-hours", "name")
    )


def worker_search_for_attendance(*, user, term: str) -> QuerySet:
    """Workers in scope by whole ID number or its last four characters, for adding an attendee."""
    term = term.strip().upper()
    qs = scope_to_user(Worker.objects.select_related("region"), user, Cap.DATA_EDIT).filter(
        status=WorkerStatus.ACTIVE
    )
    if len(term) == 18:
        return qs.filter(hash_in("id_number_hash", term))
    if len(term) == 4:
        return qs.filter(id_number_last4=term)
    if term:
        return qs.filter(name__contains=term)
    return qs.none()


def certificates_to_complete(*, user) -> QuerySet:
    """Certificates of the user's scope whose number is still to be collected (a ledger that lacked it), for
    the to-do on the workbench: the workers of a station's township for its social workers, of the county for
    its administrator."""
    return scope_to_user(
        Certificate.objects.filter(number="").select_related("worker"), user, Cap.DATA_EDIT
    ).order_by("worker__name", "level", "pk")
