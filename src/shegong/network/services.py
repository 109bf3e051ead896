"""Writes to the station network. Every write goes through one of these functions, whoever calls it: the
pages, the API, the Excel import and the demo generator. Each runs in one transaction and validates with
``full_clean()``; changes are written to the audit trail by django-auditlog (see apps.py).

``actor=None`` is the system itself (demo data, migrations); a person's writes are bounded by their
jurisdiction here as well as in the selectors, so that no face of the service can write outside it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib.bulk import audit, create_checked
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid
from shegong.lib.uploads import DOCUMENT, PHOTO, check_upload
from shegong.network.models import (
    BUILT_STATUSES,
    KIND_LEVELS,
    PERCENT_INDICATORS,
    Assessment,
    AssessmentResult,
    Checklist,
    ChecklistItem,
    Facility,
    FacilityPhoto,
    FacilityStatus,
    Honour,
    Kind,
    Result,
    StatusChange,
    Target,
)
from shegong.network.workflow import FACILITY_WORKFLOW
from shegong.regions.models import Level, Region

# Fields a facility's edit form and the API may change; status moves go through facility_change_status.
FACILITY_DETAIL_FIELDS = (
    "name",
    "address",
    "premises",
    "shared_with",
    "floor_area",
    "opened_on",
    "operating_mode",
    "agency_name",
    "agency_credit_code",
    "contact_name",
    "contact_phone",
    "brand",
    "note",
)


def today() -> dt.date:
    return timezone.localdate()


def facility_validate(facility: Facility, *, actor, given: bool = False) -> None:
    """All the rules of a facility record, for a new or a changed one: the one validation that the form, the
    API and the Excel import share. Raises ValidationError with messages keyed by field. ``given``: the
    division is an object on file and the one-open-facility rule is checked for a whole batch at once
    (:func:`facilities_check_open`), so no look-up is made per facility."""
    region = facility.region if facility.region_id else None
    require_choice(actor, region, "region", _("This division is outside your jurisdiction."))
    if region is not None and facility.kind in KIND_LEVELS and region.level not in KIND_LEVELS[facility.kind]:
        levels = "、".join(str(Level(level).label) for level in KIND_LEVELS[facility.kind])
        raise ValidationError(
            {
                "region": _("%(name)s is a %(level)s; a %(kind)s must be bound to a %(levels)s.")
                % {
                    "name": region.name,
                    "level": region.level_label,
                    "kind": Kind(facility.kind).label,
                    "levels": levels,
                }
            }
        )
    if facility.opened_on and facility.opened_on > today():
        raise ValidationError({"opened_on": _("The opening date is in the future.")})
    if given:
        facility.full_clean(exclude=["created_by", "region"], validate_constraints=False)
    else:
        facility.full_clean(exclude=["created_by"])


def facilities_check_open(facilities: list[Facility]) -> dict[int, str]:
    """The one-open-facility-per-division rule (network_one_open_facility_per_division) for many new
    facilities at once: {index in ``facilities``: message} for those whose division already has an open
    facility of their level, on file or earlier in the list. One query."""
    counted = [
        (number, facility)
        for number, facility in enumerate(facilities)
        if facility.status != FacilityStatus.CLOSED and facility.kind != Kind.UNIT_STATION
    ]
    taken = set(
        Facility.objects.filter(region__in={f.region_id for _n, f in counted})
        .exclude(status=FacilityStatus.CLOSED)
        .exclude(kind=Kind.UNIT_STATION)
        .values_list("kind", "region_id")
    )
    rule = next(c for c in Facility._meta.constraints if c.name == "network_one_open_facility_per_division")
    message = str(rule.violation_error_message)
    refused = {}
    for number, facility in counted:
        key = (facility.kind, facility.region_id)
        if key in taken:
            refused[number] = message
        taken.add(key)
    return refused


def facility_build(*, kind: str, region: Region | None, name: str, **details) -> Facility:
    unknown = set(details) - set(FACILITY_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown facility fields: {sorted(unknown)}")
    values = {
        key: ("" if value is None and key not in ("floor_area", "opened_on") else value)
        for key, value in details.items()
    }
    return Facility(kind=kind, region=region, name=name, **values)


def check_built_on(*, status: str, status_date: dt.date, built_on: dt.date | None) -> None:
    """A building date given with a registration: only for a facility built or later, not in the future, and
    not after the day its status began."""
    if built_on is None:
        return
    if status not in BUILT_STATUSES:
        raise ValidationError({"built_on": _("Only a facility that is built or later has a building date.")})
    if built_on > today():
        raise ValidationError({"built_on": _("The date is in the future.")})
    if built_on > status_date:
        raise ValidationError(
            {
                "built_on": _("The building date is after the day the status began (%(date)s).")
                % {"date": status_date.isoformat()}
            }
        )


def _facility_new(
    *, actor, kind, region, name, status, status_date, built_on, **details
) -> tuple[Facility, list[StatusChange]]:
    """A new facility at its status and the first rows of its history (unsaved), by facility_create's rules."""
    status_date = status_date or today()
    check_built_on(status=status, status_date=status_date, built_on=built_on)
    facility = facility_build(kind=kind, region=region, name=name, **details)
    facility.status = status
    facility.status_since = status_date
    facility.created_by = actor
    if status in BUILT_STATUSES:
        facility.built_on = built_on or min(facility.opened_on or status_date, status_date)
    if status_date > today():
        raise ValidationError({"status_date": _("The date is in the future.")})
    if built_on and built_on < status_date and status != FacilityStatus.BUILT:
        history = [
            StatusChange(
                facility=facility,
                from_status="",
                to_status=FacilityStatus.BUILT,
                changed_on=built_on,
                actor=actor,
                note=_("building date given at registration"),
            ),
            StatusChange(
                facility=facility,
                from_status=FacilityStatus.BUILT,
                to_status=status,
                changed_on=status_date,
                actor=actor,
            ),
        ]
    else:
        history = [
            StatusChange(
                facility=facility, from_status="", to_status=status, changed_on=status_date, actor=actor
            )
        ]
    return facility, history


@transaction.atomic
def facility_create(
    *,
    actor,
    kind: str,
    region: Region,
    name: str,
    status: str = FacilityStatus.PLANNED,
    status_date: dt.date | None = None,
    built_on: dt.date | None = None,
    **details,
) -> Facility:
    """Register a facility, at any status (stations built before the system came are registered as they
    are); the status it starts with is the first row of its history. ``built_on`` is the day it was built when
    that came before its present status (a station built 2021-03, operating since 2021-06): the history then
    starts with "built" on that day, so the figures as of any day between count it as built."""
    require(actor, Cap.NETWORK_MANAGE)
    facility, history = _facility_new(
        actor=actor,
        kind=kind,
        region=region,
        name=name,
        status=status,
        status_date=status_date,
        built_on=built_on,
        **details,
    )
    facility_validate(facility, actor=actor)
    facility.save()
    for change in history:
        change.facility = facility
        change.save()
    return facility


@transaction.atomic
def facilities_create_many(*, actor, entries: list[dict]) -> tuple[list[Facility], list[StatusChange]]:
    """Register many facilities at once (the station ledger's batches): each entry holds the arguments of
    :func:`facility_create` and is checked by the same rules (_facility_new, facility_validate), the
    one-open-facility rule for the whole batch in one query; then the facilities and the first rows of their
    histories go in by one insert each, with their audit-trail rows. Any entry that fails raises its
    ValidationError and nothing is written. Returns (facilities, status changes)."""
    require(actor, Cap.NETWORK_MANAGE)
    facilities, histories = [], []
    for entry in entries:
        entry = {"status": FacilityStatus.PLANNED, "status_date": None, "built_on": None, **entry}
        facility, history = _facility_new(actor=actor, **entry)
        facility_validate(facility, actor=actor, given=True)
        facilities.append(facility)
        histories.append(history)
    refused = facilities_check_open(facilities)
    if refused:
        raise ValidationError({"region": next(iter(refused.values()))})
    Facility.objects.bulk_create(facilities, batch_size=500)
    changes = []
    for facility, history in zip(facilities, histories, strict=True):
        for change in history:
            change.facility = facility
            changes.append(change)
    StatusChange.objects.bulk_create(changes, batch_size=500)
    audit(facilities)
    audit(changes)
    return facilities, changes


@transaction.atomic
def facility_update(*, actor, facility: Facility, **changes) -> Facility:
    require(actor, Cap.DATA_EDIT, facility.region_id)
    unknown = set(changes) - set(FACILITY_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"facility_update cannot change {sorted(unknown)}")
    for key, value in changes.items():
        if value is None and key not in ("floor_area", "opened_on"):
            value = ""
        setattr(facility, key, value)
    facility_validate(facility, actor=actor)
    facility.save()
    return facility


@transaction.atomic
def facility_change_status(
    *, actor, facility: Facility, to_status: str, on: dt.date | None = None, note: str = ""
) -> StatusChange:
    """Move a facility to another status, if its workflow (network/workflow.py) allows it, and record the move
    with its date."""
    require(actor, Cap.DATA_EDIT, facility.region_id)  # each move names its own capability (workflow.py)
    on = on or today()
    if to_status not in FacilityStatus.values:
        raise ValidationError({"to_status": _("Unknown status “%(status)s”.") % {"status": to_status}})
    FACILITY_WORKFLOW.check(facility, to_status, actor=actor)
    if on > today():
        raise ValidationError({"on": _("The date is in the future.")})
    if on < facility.status_since:
        raise ValidationError(
            {
                "on": _("The date is before the current status began (%(date)s).")
                % {"date": facility.status_since.isoformat()}
            }
        )
    built_on = facility.built_on or (on if to_status in BUILT_STATUSES else None)
    FACILITY_WORKFLOW.move(
        facility,
        to_status,
        actor=actor,
        changes={"status_since": on, "built_on": built_on},
        clean=True,
        on=on,
        note=note,
    )
    return facility.status_changes.order_by("-id").first()


@transaction.atomic
def facility_add_photo(*, actor, facility: Facility, file, caption: str = "") -> FacilityPhoto:
    require(actor, Cap.DATA_EDIT, facility.region_id)
    check_upload(file, accept=PHOTO, field=_("Photo"), key="file")
    photo = FacilityPhoto(facility=facility, file=file, caption=caption)
    return save_valid(photo)


# --- Standards -----------------------------------------------------------------------------------


def _clean_items(items: list[str]) -> list[str]:
    cleaned = [item.strip() for item in items if item and item.strip()]
    if not cleaned:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    if len(cleaned) > 100:
        raise ValidationError({"items": _("A checklist may have at most 100 items.")})
    for item in cleaned:
        if len(item) > 200:
            raise ValidationError(
                {"items": _("An item is longer than 200 characters: %(item)s") % {"item": item}}
            )
    return cleaned


@transaction.atomic
def checklist_create(
    *, actor, region: Region | None, name: str, items: list[str], description: str = "", source=None
) -> Checklist:
    require(actor, Cap.NETWORK_MANAGE)
    if region is not None:
        require_choice(actor, region, "region", _("This division is outside your jurisdiction."))
    elif actor is not None:
        raise ValidationError({"region": _("Only the system ships checklists without a region.")})
    cleaned = _clean_items(items)
    checklist = Checklist(name=name, description=description, region=region, source=source)
    save_valid(checklist)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, position=index, text=text) for index, text in enumerate(cleaned, 1)
    )
    return checklist


def checklist_copy(*, actor, checklist: Checklist, region: Region) -> Checklist:
    """An editable copy of a checklist (usually a starting template) for the administrator's region."""
    require(actor, Cap.NETWORK_MANAGE)
    return checklist_create(
        actor=actor,
        region=region,
        name=checklist.name,
        description=checklist.description,
        items=[item.text for item in checklist.items.all()],
        source=checklist,
    )


@transaction.atomic
def checklist_update(
    *, actor, checklist: Checklist, name: str, description: str, items: list[str]
) -> Checklist:
    """Rename a checklist and rewrite its items, matched by position. An item that assessments have already
    answered may be reworded but not removed, so that past assessments keep their meaning."""
    if checklist.is_template:
        raise ValidationError(_("Starting templates cannot be edited; copy one into your region first."))
    require(actor, Cap.NETWORK_MANAGE, checklist.region_id)
    cleaned = _clean_items(items)
    checklist.name = name
    checklist.description = description
    save_valid(checklist)
    existing = list(checklist.items.all())
    for item, text in zip(existing, cleaned, strict=False):
        if item.text != text:
            item.text = text
            item.save(update_fields=["text"])
    removed = existing[len(cleaned) :]
    used = set(AssessmentResult.objects.filter(item__in=removed).values_list("item_id", flat=True).distinct())
    for item in removed:
        if item.pk in used:
            raise ValidationError(
                {"items": _("“%(item)s” has assessment results and cannot be removed.") % {"item": item.text}}
            )
        item.delete()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, position=index, text=text)
        for index, text in enumerate(cleaned[len(existing) :], len(existing) + 1)
    )
    return checklist


@transaction.atomic
def assessment_create(
    *,
    actor,
    facility: Facility,
    checklist: Checklist,
    assessed_on: dt.date,
    results: dict[int, dict],
    note: str = "",
) -> Assessment:
    """Assess a facility against a checklist. ``results`` maps every item's id to
    {"result": Result, "note": str, "evidence": file or None}. The new assessment becomes the one that counts
    for compliance; the facility's earlier assessments against the same checklist stay as history."""
    require(actor, Cap.DATA_EDIT, facility.region_id)
    if checklist.region_id and not facility.region_id.startswith(checklist.region_id):
        raise ValidationError(_("This checklist belongs to another region."))
    if assessed_on > today():
        raise ValidationError({"assessed_on": _("The date is in the future.")})
    items = list(checklist.items.all())
    missing = [item.text for item in items if item.pk not in results or not results[item.pk].get("result")]
    if missing:
        raise ValidationError(
            _("Give a result for every item; missing: %(items)s") % {"items": "、".join(missing)}
        )
    for item in items:
        # Every evidence file is checked before any is stored: a refused one leaves no file behind.
        if results[item.pk].get("evidence"):
            check_upload(
                results[item.pk]["evidence"], accept=DOCUMENT, field=f"{_('Evidence')}（{item.text}）"
            )
    Assessment.objects.filter(facility=facility, checklist=checklist, is_latest=True).update(is_latest=False)
    assessment = Assessment(
        facility=facility,
        checklist=checklist,
        assessed_on=assessed_on,
        note=note,
        assessor=actor,
        is_latest=True,
    )
    save_valid(assessment)
    for item in items:
        answer = results[item.pk]
        if answer["result"] not in Result.values:
            raise ValidationError(_("Unknown result “%(result)s”.") % {"result": answer["result"]})
        row = AssessmentResult(
            assessment=assessment,
            item=item,
            result=answer["result"],
            note=answer.get("note", "") or "",
        )
        evidence = answer.get("evidence")
        if evidence:
            row.evidence.save(evidence.name, evidence, save=False)
        save_valid(row)
    return assessment


# --- Honours and targets -------------------------------------------------------------------------


def _honour_new(*, facility, kind, year, issuer, document_no="", title="", awarded_on=None) -> Honour:
    if year > today().year:
        raise ValidationError({"year": _("The year is in the future.")})
    if awarded_on and awarded_on.year != year:
        raise ValidationError({"awarded_on": _("The date is not in the honour's year.")})
    return Honour(
        facility=facility,
        kind=kind,
        year=year,
        issuer=issuer,
        document_no=document_no,
        title=title,
        awarded_on=awarded_on,
    )


@transaction.atomic
def honour_create(*, actor, facility: Facility, **fields) -> Honour:
    """One honour of a station; ``fields`` are those of :func:`_honour_new`."""
    require(actor, Cap.NETWORK_MANAGE, facility.region_id)
    return save_valid(_honour_new(facility=facility, **fields))


@transaction.atomic
def honours_create_many(*, actor, entries: list[dict]) -> list[Honour]:
    """Many honours at once (the honour ledger's batches): each entry holds the arguments of
    :func:`honour_create` and is checked by the same rules (_honour_new, the model's validation) without a
    look-up per row of its station (given, on file); then one insert, with the audit-trail rows. Any entry that
    fails raises its ValidationError and nothing is written."""
    require(actor, Cap.NETWORK_MANAGE)
    for code in {entry["facility"].region_id for entry in entries}:
        require(actor, Cap.NETWORK_MANAGE, code)
    honours = (_honour_new(**entry) for entry in entries)
    return create_checked(Honour, honours, audited=True, exclude=["facility"])


@transaction.atomic
def honour_delete(*, actor, honour: Honour) -> None:
    require(actor, Cap.NETWORK_MANAGE, honour.facility.region_id)
    honour.delete()


def _target_new(*, actor, region, indicator, value, deadline, note="") -> Target:
    require_choice(actor, region, "region", _("This division is outside your jurisdiction."))
    if indicator in PERCENT_INDICATORS and not (0 < value <= 100):
        raise ValidationError({"value": _("A rate target is a percentage between 0 and 100.")})
    if value <= 0:
        raise ValidationError({"value": _("The target value must be positive.")})
    return Target(
        region=region, indicator=indicator, value=value, deadline=deadline, note=note, created_by=actor
    )


@transaction.atomic
def target_create(*, actor, **fields) -> Target:
    """One target (``fields``: those of :func:`_target_new`)."""
    require(actor, Cap.NETWORK_MANAGE)
    return save_valid(_target_new(actor=actor, **fields), exclude=["created_by"])


@transaction.atomic
def targets_create_many(*, actor, entries: list[dict]) -> list[Target]:
    """Many targets at once (the target ledger's batches): each entry holds the arguments of
    :func:`target_create`, checked by the same rules (_target_new, the model's validation) without a look-up
    per row of its division (given, on file); then one insert, with the audit-trail rows. Any entry that
    fails raises its ValidationError and nothing is written."""
    require(actor, Cap.NETWORK_MANAGE)
    targets = (_target_new(actor=actor, **entry) for entry in entries)
    return create_checked(Target, targets, audited=True, exclude=["created_by", "region"])


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    require(actor, Cap.NETWORK_MANAGE, target.region_id)
    target.delete()
