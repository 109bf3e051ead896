"""Writes of casework: cases and their stages, approvals, contacts, referrals and transfers; the service
catalogue and service records. The pages, the API and the imports call these functions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.casework import rollups
from shegong.casework.models import (
    NEED_DOMAINS,
    Approval,
    ApprovalStatus,
    Case,
    CaseContact,
    CaseEvent,
    ContactKind,
    EventKind,
    Referral,
    ReferralStatus,
    ServiceItem,
    ServiceRecord,
    Stage,
)
from shegong.casework.selectors import service_item_list
from shegong.casework.workflow import CASE_WORKFLOW
from shegong.lib.bulk import create_checked
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid
from shegong.lib.scoping import in_jurisdiction
from shegong.network.models import TOWNSHIP_KINDS, Kind

# What may be written in each stage (the stage's own record); the rest of the case is fixed by then.
STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    Stage.INTAKE: (
        "source",
        "presenting_problem",
        "agreement_signed",
        "closure_reason",
        "closure_summary",
    ),
    Stage.ASSESSMENT: ("needs", "strengths", "problem_statement", "assessment_report"),
    Stage.PLAN: ("plan_goals", "plan_actions", "plan_timetable"),
    Stage.INTERVENTION: (),
    Stage.EVALUATION: ("attainment", "evaluation_report", "closure_reason", "closure_summary"),
    Stage.CLOSURE: (),
    Stage.FOLLOW_UP: (),
}


def _station_ok(actor, station) -> None:

    require_choice(
        actor, station.region_id if station else None, "station", _("Choose a station in your jurisdiction.")
    )
    if station is None:
        raise ValidationError({"station": _("Choose a station in your jurisdiction.")})
    if station.kind not in (*TOWNSHIP_KINDS, Kind.VILLAGE_ROOM, Kind.COUNTY_CENTRE):
        raise ValidationError(
            {"station": _("Cases are kept by a station, a village room or a county centre.")}
        )


def _event(case: Case, actor, kind: str, *, from_stage="", to_stage="", station=None, note="") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        station=station,
        actor=actor,
        note=note[:500],
    )


@transaction.atomic
def case_open(
    *,
    actor,
    person,
    station,
    source: str,
    presenting_problem: str,
    opened_on: dt.date | None = None,
    agreement_signed: bool = False,
) -> Case:
    """接案: open a case for a person at a station."""
    require(actor, Cap.DATA_EDIT)
    _station_ok(actor, station)
    require_choice(actor, person.region_id, "person", _("This person's file is outside your jurisdiction."))
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The intake date is in the future.")})
    case = Case(
        person=person,
        station=station,
        worker=actor,
        stage=Stage.INTAKE,
        stage_since=opened_on,
        source=source,
        opened_on=opened_on,
        presenting_problem=(presenting_problem or "").strip(),
        agreement_signed=agreement_signed,
        created_by=actor,
    )
    save_valid(case)
    _event(case, actor, EventKind.OPENED, to_stage=Stage.INTAKE, station=station)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, **fields) -> Case:
    """Write the current stage's record (assessment, plan, evaluation …). Fields of other stages are refused:
    a plan cannot be rewritten once approved."""
    require(actor, Cap.DATA_EDIT, case.station.region_id)
    allowed = STAGE_FIELDS.get(case.stage, ())
    refused = [name for name in fields if name not in allowed]
    if refused:
        raise ValidationError(
            _("In the stage “%(stage)s” these cannot be changed: %(fields)s")
            % {
                "stage": case.get_stage_display(),
                "fields": "、".join(
                    str(Case._meta.get_field(n).verbose_name) for n in refused if _is_field(n)
                )
                or "、".join(refused),
            }
        )
    if case.approvals.filter(status=ApprovalStatus.PENDING).exists():
        raise ValidationError(
            _("The case awaits approval; it cannot be changed until the supervisor decides.")
        )
    if "needs" in fields:
        domains = {key for key, _label in NEED_DOMAINS}
        needs = {
            k: str(v).strip() for k, v in (fields["needs"] or {}).items() if k in domains and str(v).strip()
        }
        fields["needs"] = needs
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(case, name, value)
    return save_valid(case)


def _is_field(name: str) -> bool:
    try:
        Case._meta.get_field(name)
    except Exception:
        return False
    return True


def _move_changes(case: Case, to_stage: str) -> dict:
    """What a move writes besides the stage: its date, the closing date, and a closure prepared in an
    evaluation that found the goals unmet (back to the intervention) is dropped."""
    changes = {"stage_since": timezone.localdate()}
    if to_stage == Stage.CLOSURE:
        changes["closed_on"] = timezone.localdate()
    elif case.stage == Stage.EVALUATION and to_stage == Stage.INTERVENTION:
        changes.update(closure_reason="", closure_summary="")
    return changes


@transaction.atomic
def case_transition(*, actor, case: Case, to_stage: str, note: str = "") -> Approval | None:
    """Move a case to the next stage, as CASE_WORKFLOW allows. A move that needs approval is not made: an approval
    request is opened instead and returned."""
    require(actor, Cap.DATA_EDIT, case.station.region_id)
    case = Case.objects.select_for_update().select_related("station").get(pk=case.pk)
    if case.approvals.filter(status=ApprovalStatus.PENDING).exists():
        raise ValidationError(_("The case already awaits approval."))
    move = CASE_WORKFLOW.check(case, to_stage, actor=actor)
    if move.approval:
        approval = Approval(case=case, from_stage=case.stage, to_stage=to_stage, requested_by=actor)
        save_valid(approval)
        _event(case, actor, EventKind.REQUESTED, from_stage=case.stage, to_stage=to_stage, note=note)
        return approval
    CASE_WORKFLOW.move(
        case, to_stage, actor=actor, changes=_move_changes(case, to_stage), clean=True, note=note
    )
    return None


@transaction.atomic
def approval_decide(*, actor, approval: Approval, approve: bool, note: str = "") -> Approval:
    """The supervisor approves (the move is made) or sends the request back with a note."""
    approval = (
        Approval.objects.select_for_update().select_related("case", "case__station").get(pk=approval.pk)
    )
    case = approval.case
    move = CASE_WORKFLOW.step(approval.from_stage, approval.to_stage)
    require(actor, move.approver if move else Cap.CASE_APPROVE, case.station.region_id)
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if approval.requested_by_id == actor.pk or case.worker_id == actor.pk:
        raise ValidationError(_("A supervisor other than the case worker must decide."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the request is sent back.")})
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.note = note.strip()
    approval.save()
    if approve:
        if case.stage != approval.from_stage:
            raise ValidationError(_("The case has moved since the request; ask again."))
        _event(case, actor, EventKind.APPROVED, from_stage=case.stage, to_stage=approval.to_stage, note=note)
        changes = _move_changes(case, approval.to_stage)
        CASE_WORKFLOW.move(
            case, approval.to_stage, actor=actor, approved=True, changes=changes, clean=True, note=note
        )
    else:
        _event(case, actor, EventKind.REJECTED, from_stage=case.stage, to_stage=approval.to_stage, note=note)
    return approval


@transaction.atomic
def contact_add(
    *,
    actor,
    case: Case,
    contacted_on: dt.date,
    mode: str,
    content: str,
    resources: str = "",
) -> CaseContact:
    """介入 contacts while intervening, 回访 follow-ups after closure."""
    require(actor, Cap.DATA_EDIT, case.station.region_id)
    if case.stage == Stage.INTERVENTION:
        kind = ContactKind.CONTACT
    elif case.stage in (Stage.CLOSURE, Stage.FOLLOW_UP):
        kind = ContactKind.FOLLOW_UP
    else:
        raise ValidationError(_("Contacts are recorded during the intervention, follow-ups after closure."))
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("The date is in the future.")})
    if contacted_on < case.opened_on:
        raise ValidationError({"contacted_on": _("The date is before the intake.")})
    contact = CaseContact(
        case=case,
        kind=kind,
        contacted_on=contacted_on,
        mode=mode,
        content=(content or "").strip(),
        resources=(resources or "").strip(),
        worker=actor,
    )
    return save_valid(contact)


@transaction.atomic
def case_transfer(*, actor, case: Case, station, note: str = "") -> Case:
    """Move a case to another station; its history (events, contacts, approvals) goes with it."""
    require(actor, Cap.DATA_EDIT, case.station.region_id)
    _station_ok(actor, station)
    if station.pk == case.station_id:
        raise ValidationError({"station": _("The case is already at this station.")})
    _transfer(case, actor, station, note)
    return case


def _transfer(case: Case, actor, station, note: str) -> None:
    old = case.station
    case.station = station
    case.save(update_fields=["station", "updated_at"])
    _event(
        case,
        actor,
        EventKind.TRANSFERRED,
        station=station,
        note=(_("From %(old)s to %(new)s") % {"old": old, "new": station}) + (f"：{note}" if note else ""),
    )


@transaction.atomic
def referral_create(*, actor, case: Case, reason: str, to_station=None, to_department: str = "") -> Referral:
    """转介 to another station (which answers in the system) or to a department."""
    require(actor, Cap.DATA_EDIT, case.station.region_id)
    to_department = (to_department or "").strip()
    if bool(to_station) == bool(to_department):
        raise ValidationError(_("Refer to a station or to a department, one of the two."))
    if to_station is not None and to_station.pk == case.station_id:
        raise ValidationError({"to_station": _("A case is not referred to its own station.")})
    if case.referrals.filter(status=ReferralStatus.PENDING).exists():
        raise ValidationError(_("The case already has a referral awaiting an answer."))
    referral = Referral(
        case=case,
        from_station=case.station,
        to_station=to_station,
        to_department=to_department,
        reason=(reason or "").strip(),
        created_by=actor,
    )
    save_valid(referral)
    _event(case, actor, EventKind.REFERRED, station=to_station, note=referral.receiver)
    return referral


@transaction.atomic
def referral_respond(*, actor, referral: Referral, accept: bool, note: str = "") -> Referral:
    """The receiving station accepts (the case is transferred to it) or returns the referral. For a department,
    the sending station records the department's answer."""
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "case__station", "to_station")
        .get(pk=referral.pk)
    )
    answering_region = (
        referral.to_station.region_id if referral.to_station_id else referral.from_station.region_id
    )
    # Only the receiver answers a referral.
    require(actor, Cap.DATA_EDIT, answering_region)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the referral is returned.")})
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.RETURNED
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    referral.response_note = note.strip()
    referral.save()
    case = referral.case
    _event(
        case,
        actor,
        EventKind.REFERRAL_ACCEPTED if accept else EventKind.REFERRAL_RETURNED,
        station=referral.to_station,
        note=note,
    )
    if accept and referral.to_station_id:
        _transfer(case, actor, referral.to_station, _("referral accepted"))
    return referral


# --- Service catalogue and records ----------------------------------------------------------------


@transaction.atomic
def service_item_create(*, actor, group: str, name: str, description: str = "") -> ServiceItem:
    require(actor, Cap.CASEWORK_CONFIGURE)
    if not actor.jurisdiction_id:
        raise ValidationError(_("Only an account with a jurisdiction adds service items."))
    item = ServiceItem(
        region_id=actor.jurisdiction_id, group=group, name=name.strip(), description=description
    )
    return save_valid(item)


def _service_record_new(
    *,
    actor,
    station,
    item: ServiceItem,
    served_on: dt.date,
    duration_minutes: int,
    mode: str,
    person=None,
    group_name: str = "",
    participants: int = 1,
    case: Case | None = None,
    note: str = "",
    worker=None,
    source: tuple | None = None,
    menu=None,
) -> ServiceRecord:
    """The checks of one service record and the record, not saved yet: the one validation of
    :func:`service_record_create` and :func:`service_records_create_many`. ``menu`` (division code → the pks
    of the items on its service menu) lets a batch ask each station's menu once."""
    _station_ok(actor, station)
    worker = worker or actor
    if worker != actor and (not worker.is_active or not in_jurisdiction(actor, worker.jurisdiction_code)):
        raise ValidationError({"worker": _("The social worker's account is outside your jurisdiction.")})

    errors = {}
    if menu is not None:
        on_menu = item.pk in menu(station.region_id)
    else:
        on_menu = service_item_list(user=actor, region=station.region_id).filter(pk=item.pk).exists()
    if not on_menu:
        errors["item"] = _("This item is not on the station's service menu.")
    if person is None and not group_name.strip():
        errors["person"] = _("Give the person served or the group.")
    if person is not None and not in_jurisdiction(actor, person.region_id):
        errors["person"] = _("This person's file is outside your jurisdiction.")
    if person is not None:
        participants = 1
    if participants < 1:
        errors["participants"] = _("At least one person-time.")
    if served_on > timezone.localdate():
        errors["served_on"] = _("The date of service is in the future.")
    if not 1 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("Give a duration between 1 and 1,440 minutes.")
    if case is not None and (case.person_id != getattr(person, "pk", None)):
        errors["case"] = _("The case belongs to another person.")
    if errors:
        raise ValidationError(errors)
    return ServiceRecord(
        station=station,
        item=item,
        served_on=served_on,
        duration_minutes=duration_minutes,
        mode=mode,
        person=person,
        group_name=group_name.strip(),
        participants=participants,
        case=case,
        worker=worker,
        note=note.strip(),
        import_job=source[0] if source else None,
        import_row=source[1] if source else None,
    )


@transaction.atomic
def service_record_create(*, actor, **fields) -> ServiceRecord:
    """One service to one person (one person-time) or to a group (``participants`` person-times); ``fields``
    are those of :func:`_service_record_new`. The record is credited to ``worker`` (the social worker who gave
    the service, an account of the actor's jurisdiction; the actor by default); ``source`` is (import job id,
    row) for a record from a ledger."""
    require(actor, Cap.DATA_EDIT)
    record = save_valid(_service_record_new(actor=actor, **fields))
    rollups.service_month_add(record)
    return record


# The relations the records of a batch arrive with as rows already read (the station, item, person, case and
# worker objects the ledger found): checking that each still exists would cost five queries a record.
_GIVEN_RELATIONS = ["station", "item", "person", "case", "worker"]


@transaction.atomic
def service_records_create_many(*, actor, entries: list[dict]) -> list[ServiceRecord]:
    """Many service records at once (the service ledger's batches): each entry holds the fields of
    :func:`service_record_create` and is checked by the same validation, each station's menu asked once; then
    one bulk insert, counted in the monthly rollup once per station, item and month. A record that fails
    raises its ValidationError and nothing is written. Returns the records created."""
    require(actor, Cap.DATA_EDIT)

    menus: dict[str, set] = {}

    def menu(code: str) -> set:
        if code not in menus:
            menus[code] = set(service_item_list(user=actor, region=code).values_list("pk", flat=True))
        return menus[code]

    records = (_service_record_new(actor=actor, menu=menu, **fields) for fields in entries)
    records = create_checked(ServiceRecord, records, exclude=_GIVEN_RELATIONS, validate_unique=False)
    rollups.service_months_add(records)
    return records


@transaction.atomic
def service_records_create_for_people(*, actor, people, **fields) -> list[ServiceRecord]:
    """A group service to several people on file: one record per person (one person-time each), all or
    none."""
    require(actor, Cap.DATA_EDIT)
    fields.pop("participants", None)
    fields.pop("person", None)
    return [service_record_create(actor=actor, person=person, **fields) for person in people]
