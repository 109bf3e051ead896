"""What each role's workbench (工作台) shows: a few aggregate queries, never one per row
(tests/test_workbench.py pins the count). Every figure comes with the URL of the list it counts."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from shegong.accounts.roles import Cap
from shegong.casework.models import OPEN_STAGES, Approval, ApprovalStatus, Case, Stage
from shegong.casework.selectors import approval_list
from shegong.casework.workflow import next_stages
from shegong.clients import ledger, visiting
from shegong.clients.models import Person
from shegong.jobs.models import Job, JobStatus
from shegong.lib.scoping import code_prefix_q, get_scoped_or_404, scope_to_user
from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus
from shegong.network.selectors import facility_list
from shegong.workbench.models import NoticeStatus, SupervisionNotice
from shegong.workforce.selectors import station_staffing, stations_in_scope

WORKBENCH_ROWS = 20


def own_people_q(user) -> Q:
    """A worker's own people: those they are responsible for, and those nobody is responsible for yet in
    their jurisdiction (scope is applied by the ledger)."""
    return Q(responsible=user) | Q(responsible__isnull=True)


@dataclass
class Figure:
    label: str
    count: int
    url: str
    tone: str = "primary"


@dataclass
class Board:
    figures: list[Figure] = field(default_factory=list)
    sections: dict = field(default_factory=dict)


def _url(name: str, query: str = "", **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")


# --- 督办 notices ------------------------------------------------------------------------------------------


def notice_scope_q(user) -> Q:
    """Notices of stations inside the jurisdiction, and, for an account below a township (a village worker),
    those of the township station above."""
    own = user.jurisdiction_code
    q = code_prefix_q("station__region_id", own)
    if len(own) > 9:
        q |= Q(station__region_id=own[:9])
    return q


def notice_list(*, user, status: str = "", station=None) -> QuerySet:
    if not user.is_authenticated or not user.can(Cap.DATA_VIEW):
        return SupervisionNotice.objects.none()
    qs = SupervisionNotice.objects.filter(notice_scope_q(user)).select_related(
        "station", "station__region", "sent_by", "answered_by"
    )
    if status in NoticeStatus.values:
        qs = qs.filter(status=status)
    if station is not None:
        qs = qs.filter(station=station)
    return qs.order_by("status", "-sent_at", "-id")


def notice_get(*, user, pk) -> SupervisionNotice:

    try:
        return notice_list(user=user).get(pk=pk)
    except SupervisionNotice.DoesNotExist as exc:
        raise Http404 from exc


def station_for_notice(*, user, pk):
    """A township station the user may send a notice to (404 outside the jurisdiction)."""

    return get_scoped_or_404(
        Facility.objects.filter(kind__in=TOWNSHIP_KINDS).select_related("region"), user, Cap.DATA_EDIT, pk=pk
    )


# --- the worker ---------------------------------------------------------------------------------------------


def worker_board(*, user, today: dt.date | None = None) -> Board:
    """Today's and overdue visits of the worker's own people (riskiest, most overdue first), their open cases
    with the next step, plans sent back to them, the station's 督办 notices awaiting an answer."""
    today = today or timezone.localdate()
    board = Board()
    mine = own_people_q(user)
    intervals = visiting.intervals_of(user.jurisdiction_code)  # the visit rules, read once
    visits = ledger.ledger(user=user, status="today", sort="risk", people=mine, intervals=intervals)
    visits = ledger.page_rows(visits)
    total_due = visits.count()
    rows = ledger.decorate(visits[:WORKBENCH_ROWS], today, places=False)  # the card prints no township
    overdue = sum(1 for r in rows if r.status.overdue) if total_due <= WORKBENCH_ROWS else None
    if overdue is None:
        overdue = ledger.overdue_count(user=user, people=mine, intervals=intervals)
    board.figures.append(
        Figure(
            _t("Visits due today or overdue"),
            total_due,
            _url("clients:visit_ledger", "status=today&mine=1"),
            "danger",
        )
    )
    board.figures.append(
        Figure(_t("Overdue"), overdue, _url("clients:visit_ledger", "status=overdue&mine=1"), "danger")
    )

    cases = list(
        scope_to_user(Case.objects.select_related("person"), user)
        .filter(worker=user, stage__in=OPEN_STAGES)
        .annotate(
            awaiting=Exists(Approval.objects.filter(case=OuterRef("pk"), status=ApprovalStatus.PENDING))
        )
        .order_by("stage_since", "id")
        # What the card prints: a person's file has forty columns, some of them encrypted.
        .only("stage", "stage_since", "person__name")
    )
    for case in cases:
        moves = next_stages(case.stage)
        case.next_step = Stage(moves[0].to).label if moves else ""
    board.figures.append(
        Figure(_t("My open cases"), len(cases), _url("casework:case_list", "state=open&mine=1"))
    )

    later = Approval.objects.filter(case=OuterRef("case"), requested_at__gt=OuterRef("requested_at"))
    returned = list(
        scope_to_user(Approval.objects.select_related("case", "case__person", "decided_by"), user)
        .filter(status=ApprovalStatus.REJECTED, case__worker=user, case__stage=F("from_stage"))
        .exclude(Exists(later))
        .order_by("-decided_at", "-id")
        .only("to_stage", "note", "case__person__name", "decided_by__full_name", "decided_by__username")[:50]
    )
    board.figures.append(Figure(_t("Plans sent back to me"), len(returned), "#returned", "warning"))

    notices = list(
        notice_list(user=user, status=NoticeStatus.OPEN)
        .select_related(None)
        .select_related("sent_by")
        .only("subject", "sent_at", "due_on", "sent_by__full_name", "sent_by__username")[:20]
    )
    board.figures.append(
        Figure(
            _t("Supervision notices to answer"),
            len(notices),
            _url("workbench:notice_list", "status=open"),
            "warning",
        )
    )
    board.sections = {
        "visits": rows,
        "total_due": total_due,
        "cases": cases[:WORKBENCH_ROWS],
        "returned": returned,
        "notices": notices,
    }
    return board


# --- administrators -------------------------------------------------------------------------------------------


def admin_board(*, user, today: dt.date | None = None) -> Board:
    """Approvals waiting, overdue visits per station (drill-down to the ledger), under-staffed stations,
    imports held for correction, 督办 notices sent and their answers."""

    today = today or timezone.localdate()
    board = Board()
    if user.can(Cap.CASE_APPROVE):
        approvals = approval_list(user=user).exclude(requested_by=user)
        board.figures.append(
            Figure(_t("Approvals waiting"), approvals.count(), _url("casework:approval_list"), "warning")
        )
    area = user.jurisdiction_code
    # The scope's stations, read once for the overdue visits' station links and the staffing card.
    facilities = stations_in_scope(user=user)
    stations = ledger.summary(user=user, length=9, today=today, stations=facilities) if len(area) < 9 else []
    overdue_total = sum(r.overdue for r in stations) if stations else ledger.overdue_count(user=user)
    board.figures.append(
        Figure(_t("Overdue visits"), overdue_total, _url("clients:visit_ledger", "status=overdue"), "danger")
    )
    lagging = [r for r in stations if r.overdue]
    board.figures.append(
        Figure(
            _t("Stations with overdue visits"),
            len(lagging),
            _url("clients:visit_ledger", "status=overdue#summary"),
            "danger",
        )
    )
    under = station_staffing(user=user, under_only=True, facilities=facilities)
    board.figures.append(
        Figure(_t("Under-staffed stations"), len(under), _url("workforce:station_list", "under=1"), "warning")
    )
    held = list(
        Job.objects.filter(
            created_by=user, status=JobStatus.SUCCEEDED, result__ok=False, kind__contains="import"
        )
        .defer("output_data")
        .order_by("-created_at")[:10]
    )
    board.figures.append(Figure(_t("Imports held for correction"), len(held), "#held", "secondary"))
    notices = notice_list(user=user)
    open_notices = list(notices.filter(status=NoticeStatus.OPEN)[:10])
    answered = list(notices.filter(status=NoticeStatus.ANSWERED)[:5])
    board.figures.append(
        Figure(
            _t("Supervision notices awaiting an answer"),
            notices.filter(status=NoticeStatus.OPEN).count(),
            _url("workbench:notice_list", "status=open"),
            "secondary",
        )
    )
    board.sections = {
        "stations": lagging[:WORKBENCH_ROWS],
        "under": under[:WORKBENCH_ROWS],
        "held": held,
        "open_notices": open_notices,
        "answered": answered,
        "may_send": len(area) < 9 and user.can(Cap.DATA_EDIT),
    }
    return board


# --- leaders ------------------------------------------------------------------------------------------------


def leader_board(*, user, today: dt.date | None = None) -> Board:
    """The figures a leader reads, each a link to its records."""

    today = today or timezone.localdate()
    board = Board()
    people = scope_to_user(Person.objects.all(), user).filter(active=True).count()
    board.figures.append(Figure(_t("People on file"), people, _url("clients:person_list")))
    facilities = stations_in_scope(user=user)  # read once: the summary's station links and the staffing
    counties = (
        ledger.summary(user=user, length=9, today=today, stations=facilities)
        if len(user.jurisdiction_code) < 9
        else []
    )
    overdue = sum(r.overdue for r in counties) if counties else ledger.overdue_count(user=user)
    board.figures.append(
        Figure(_t("Overdue visits"), overdue, _url("clients:visit_ledger", "status=overdue"), "danger")
    )
    open_cases = scope_to_user(Case.objects.all(), user).filter(stage__in=OPEN_STAGES).count()
    board.figures.append(Figure(_t("Open cases"), open_cases, _url("casework:case_list", "state=open")))
    operating = facility_list(user=user, kind="township", status=FacilityStatus.OPERATING).count()
    board.figures.append(
        Figure(
            _t("Stations operating"),
            operating,
            _url("network:facility_list", f"kind=township&status={FacilityStatus.OPERATING}"),
        )
    )
    under = station_staffing(user=user, under_only=True, facilities=facilities)
    board.figures.append(
        Figure(_t("Under-staffed stations"), len(under), _url("workforce:station_list", "under=1"), "warning")
    )
    board.sections = {"stations": [r for r in counties if r.overdue][:WORKBENCH_ROWS]}
    return board
