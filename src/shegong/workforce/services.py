"""Writes to the workforce: workers, their assignments to stations, certificates, continuing education and
staffing rules. Every write goes through one of these functions, whoever calls it: the pages, the API, the
Excel import and the demo generator. Each runs in one transaction and validates with ``full_clean()``;
changes reach the audit trail through django-auditlog (see apps.py), without the encrypted columns.

The form, the API and the import check what a person typed with the same functions, :func:`worker_parse` and
:func:`certificate_parse`, so a rule holds on every face. ``actor=None`` is the system itself (demo data).
"""

import copy
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib import bulk
from shegong.lib.bulk import audit, create_checked
from shegong.lib.guard import require, require_choice
from shegong.lib.pii import (
    apply_protected,
    hash_in,
    parse_id_and_phone,
)
from shegong.lib.rows import save_valid
from shegong.network.models import Facility, FacilityStatus
from shegong.regions.models import Region
from shegong.workforce.models import (
    Assignment,
    Certificate,
    CertLevel,
    Education,
    EducationHours,
    EmploymentType,
    Post,
    StaffingRule,
    TalentTarget,
    Worker,
    WorkerStatus,
)

# Stations that can take workers: any that exists on the ground or is being built.
STAFFABLE_STATUSES = (
    FacilityStatus.BUILDING,
    FacilityStatus.BUILT,
    FacilityStatus.OPERATING,
    FacilityStatus.SUSPENDED,
)


def today() -> dt.date:
    return timezone.localdate()


def _text(data: Mapping, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


def _choice(data: Mapping, key: str, choices, errors: dict, *, required: bool, default: str = "") -> str:
    """A choice given by its value or by its label (the Excel template shows labels)."""
    value = _text(data, key)
    if not value:
        if required and not default:
            errors[key] = _("This field is required.")
        return default
    by_label = {str(label): val for val, label in choices.choices}
    if value in choices.values:
        return value
    if value in by_label:
        return by_label[value]
    errors[key] = _("“%(value)s” is not one of: %(choices)s") % {
        "value": value,
        "choices": "、".join(str(label) for label in choices.labels),
    }
    return ""


def parse_date(value, *, field: str, errors: dict, required: bool = False) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            errors[field] = _("This field is required.")
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            date = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if date > today():
            errors[field] = _("The date is in the future.")
        return date
    errors[field] = _("should be a date like 2025-03-31, not “%(value)s”") % {"value": text}
    return None


def worker_parse(data: Mapping, *, require_id: bool = True) -> dict:
    """Check and normalise a worker's fields as a person typed them (form, API or Excel row). Returns the
    model's values; raises ValidationError keyed by field. The ID number gives the birth date and the sex.
    An empty ID number or phone with ``require_id=False`` (editing) means "keep the stored one"."""
    errors: dict[str, str] = {}
    values: dict = {}
    name = _text(data, "name")
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > 50:
        errors["name"] = _("At most 50 characters.")
    values["name"] = name
    parse_id_and_phone(
        _text(data, "id_number"), _text(data, "phone"), require_id=require_id, values=values, errors=errors
    )
    values["education"] = _choice(data, "education", Education, errors, required=False)
    values["major"] = _text(data, "major")[:50]
    values["employment_type"] = _choice(data, "employment_type", EmploymentType, errors, required=True)
    values["post"] = _choice(data, "post", Post, errors, required=False, default=Post.SOCIAL_WORKER)
    joined = parse_date(data.get("joined_on"), field="joined_on", errors=errors)
    if joined:
        values["joined_on"] = joined
    values["note"] = _text(data, "note")[:200]
    if errors:
        raise ValidationError(errors)
    return values


def _validate(worker: Worker, *, actor) -> None:
    require_choice(actor, worker.region_id, "region")
    duplicate = Worker.objects.filter(hash_in("id_number_hash", worker.id_number)).exclude(pk=worker.pk)
    if duplicate.exists():
        raise ValidationError({"id_number": _("A worker with this ID number is already registered.")})
    if worker.left_on and worker.left_on < worker.joined_on:
        raise ValidationError({"left_on": _("The date of leaving is before the date of joining.")})
    worker.full_clean(exclude=["created_by", "agency"])


def _check_facility(actor, facility: Facility, field: str = "facility") -> None:
    require_choice(actor, facility.region_id, field)
    if facility.status not in STAFFABLE_STATUSES:
        raise ValidationError(
            {
                field: _(
                    "%(name)s is %(status)s; workers can be assigned only to stations being built or built."
                )
                % {"name": facility.name, "status": facility.get_status_display()}
            }
        )


@transaction.atomic
def worker_create(
    *,
    actor,
    values: dict,
    region: Region | None = None,
    facility: Facility | None = None,
    start_date: dt.date | None = None,
    agency=None,
) -> Worker:
    """Register a worker (values from :func:`worker_parse`), at a station if one is given: the worker's file
    is then kept in the station's division."""
    require(actor, Cap.DATA_EDIT)
    if facility is not None:
        _check_facility(actor, facility)
        region = facility.region
    if region is None:
        raise ValidationError({"region": _("Choose a station or a division.")})
    worker = Worker(region=region, created_by=actor, agency=agency)
    values = {"joined_on": start_date or today(), **values}
    apply_protected(worker, values)
    _validate(worker, actor=actor)
    worker.save()
    if facility is not None:
        _open_assignment(
            actor=actor, worker=worker, facility=facility, start_date=start_date or worker.joined_on
        )
    return worker


def workers_register_many(*, actor, entries) -> list:
    """Register new workers at once (the worker ledger's batches): ``entries`` are (values, station or None,
    division when there is no station), checked in batch beforehand as worker_import_save() says. Each worker
    is validated as :func:`worker_create` validates it, then all are inserted together, with their assignments.
    Bulk inserts write no audit row per file: the import's own audit row (with its job and rows,
    importer.ImportedRow) records what it registered, as the people import does. Returns the rows created."""
    require(actor, Cap.DATA_EDIT)
    pairs = []
    for values, facility, region in entries:
        if facility is not None:
            _check_facility(actor, facility)
        worker = Worker(
            region=facility.region if facility is not None else region, created_by=actor, agency=None
        )
        apply_protected(worker, {"joined_on": values.get("joined_on") or today(), **values})
        require_choice(actor, worker.region_id, "region")
        worker.full_clean(exclude=["created_by", "agency", "region"], validate_unique=False)
        pairs.append((worker, facility))
    workers = Worker.objects.bulk_create([worker for worker, _facility in pairs])
    # A new worker has no other assignment: the one-open-assignment constraint holds.
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(worker=worker, facility=facility, start_date=worker.joined_on, created_by=actor)
            for worker, facility in pairs
            if facility is not None
        ]
    )
    return [*workers, *assignments]


def worker_import_save(
    *,
    actor,
    values: dict,
    worker: Worker | None = None,
    facility: Facility | None = None,
    region: Region | None = None,
) -> list:
    """One row of the worker ledger (shegong.workforce.ledgers), checked in batch beforehand: the ID number is
    not registered elsewhere and the station can take workers. Registers the worker or updates their file,
    and moves them to ``facility`` when it is not their station today. Without the per-row look-ups of
    :func:`worker_create` (an import checks a whole file at once); the rules are the same. Returns the rows
    created (for the import's journal)."""
    require(actor, Cap.DATA_EDIT)
    if worker is None:
        return workers_register_many(actor=actor, entries=[(values, facility, region)])
    created = []
    worker_update(actor=actor, worker=worker, values=values)
    current = worker.assignments.filter(end_date__isnull=True).first()
    if facility is not None and (current is None or current.facility_id != facility.pk):
        if worker.status != WorkerStatus.ACTIVE:
            worker_return(actor=actor, worker=worker)
        created.append(worker_move(actor=actor, worker=worker, facility=facility))
    return created


@transaction.atomic
def worker_update(*, actor, worker: Worker, values: dict, agency=..., region: Region | None = None) -> Worker:
    """Change a worker's file. Moves between stations go through :func:`worker_move`."""
    require(actor, Cap.DATA_EDIT, worker.region_id)
    apply_protected(worker, values)
    if agency is not ...:
        worker.agency = agency
    if region is not None and not worker.assignments.filter(end_date__isnull=True).exists():
        worker.region = region
    _validate(worker, actor=actor)
    worker.save()
    return worker


def _open_assignment(
    *, actor, worker: Worker, facility: Facility, start_date: dt.date, note: str = ""
) -> Assignment:
    assignment = Assignment(
        worker=worker, facility=facility, start_date=start_date, note=note, created_by=actor
    )
    return save_valid(assignment, exclude=["created_by"])


@transaction.atomic
def worker_move(
    *, actor, worker: Worker, facility: Facility, start_date: dt.date | None = None, note: str = ""
) -> Assignment:
    """Move a worker to a station: the current assignment ends on the day of the move and the new one starts
    on it, in one transaction, so the history keeps both. The worker's file follows to the new division."""
    require(actor, Cap.DATA_EDIT, worker.region_id)
    start_date = start_date or today()
    if start_date > today():
        raise ValidationError({"start_date": _("The date is in the future.")})
    if worker.status != WorkerStatus.ACTIVE:
        raise ValidationError({"facility": _("This worker has left; record their return first.")})
    _check_facility(actor, facility)
    # Lock the worker's row, so that two moves at once cannot both close the same assignment.
    Worker.objects.select_for_update().filter(pk=worker.pk).exists()
    current = worker.assignments.filter(end_date__isnull=True).first()
    if current is not None:
        if current.facility_id == facility.pk:
            raise ValidationError({"facility": _("The worker is already at this station.")})
        if start_date < current.start_date:
            raise ValidationError(
                {
                    "start_date": _("The move cannot be before the start at the current station (%(date)s).")
                    % {"date": current.start_date.isoformat()}
                }
            )
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    assignment = _open_assignment(
        actor=actor, worker=worker, facility=facility, start_date=start_date, note=note
    )
    worker.region = facility.region
    worker.save(update_fields=["region", "updated_at"])
    return assignment


@transaction.atomic
def worker_leave(*, actor, worker: Worker, left_on: dt.date | None = None, note: str = "") -> Worker:
    """A worker leaves the workforce (离岗): the current assignment ends and the file stays, marked as left."""
    require(actor, Cap.DATA_EDIT, worker.region_id)
    left_on = left_on or today()
    if worker.status == WorkerStatus.LEFT:
        raise ValidationError({"left_on": _("This worker has already left.")})
    if left_on > today():
        raise ValidationError({"left_on": _("The date is in the future.")})
    current = worker.assignments.filter(end_date__isnull=True).first()
    if current is not None:
        if left_on < current.start_date:
            raise ValidationError({"left_on": _("The date of leaving is before the start at the station.")})
        current.end_date = left_on
        current.save(update_fields=["end_date"])
    worker.status = WorkerStatus.LEFT
    worker.left_on = left_on
    if note:
        worker.note = note[:200]
    _validate(worker, actor=actor)
    worker.save()
    return worker


@transaction.atomic
def worker_return(*, actor, worker: Worker) -> Worker:
    """A worker who left comes back: in post again, with the date of leaving cleared."""
    require(actor, Cap.DATA_EDIT, worker.region_id)
    worker.status = WorkerStatus.ACTIVE
    worker.left_on = None
    _validate(worker, actor=actor)
    worker.save()
    return worker


# --- Certificates and continuing education --------------------------------------------------------


def certificate_parse(data: Mapping) -> dict:
    """Check a certificate as typed: level (value or label), year, number. Raises ValidationError by field."""
    errors: dict[str, str] = {}
    level_text = _text(data, "level")
    level = None
    labels = {str(label): value for value, label in CertLevel.choices}
    if not level_text:
        errors["level"] = _("This field is required.")
    elif level_text.isdigit() and int(level_text) in CertLevel.values:
        level = int(level_text)
    elif level_text in labels:
        level = labels[level_text]
    else:
        errors["level"] = _("“%(value)s” is not one of: %(choices)s") % {
            "value": level_text,
            "choices": "、".join(str(label) for label in CertLevel.labels),
        }
    year_text = _text(data, "year")
    year = None
    if not year_text:
        errors["year"] = _("This field is required.")
    else:
        try:
            year = int(float(year_text))
        except ValueError:
            errors["year"] = _("should be a whole number, not “%(value)s”") % {"value": year_text}
        else:
            # The national examination began in 2008.
            if not 2008 <= year <= today().year:
                errors["year"] = _("The year should be between 2008 and this year.")
    number = _text(data, "number").upper()
    if not number:
        errors["number"] = _("This field is required.")
    elif len(number) > 40:
        errors["number"] = _("At most 40 characters.")
    if errors:
        raise ValidationError(errors)
    return {"level": level, "year": year, "number": number}


def _certificate_set(
    certificate: Certificate, *, year: int, number: str, obtained_on: dt.date | None
) -> None:
    """The rules of recording a certificate, for one (certificate_save) or many (certificates_save_many)."""
    if obtained_on is not None:
        if obtained_on > today():
            raise ValidationError({"obtained_on": _("The date is in the future.")})
        year = obtained_on.year
    certificate.year = year
    if number or not certificate.number:  # an empty number (still to be collected) never erases one on file
        certificate.number = number
    if obtained_on is not None or certificate.year != getattr(certificate.obtained_on, "year", year):
        certificate.obtained_on = obtained_on


@transaction.atomic
def certificate_save(
    *, actor, worker: Worker, level: int, year: int, number: str, obtained_on: dt.date | None = None
) -> Certificate:
    """Record a worker's certificate of a level; recording the same level again corrects it (an import of the
    same sheet twice changes nothing). ``obtained_on``, the date on the certificate, gives the year. An empty
    ``number`` is a number still to be collected (the workbench lists it as a to-do); it never erases a number
    already on file."""
    require(actor, Cap.DATA_EDIT, worker.region_id)
    certificate = Certificate.objects.filter(worker=worker, level=level).first() or Certificate(
        worker=worker, level=level
    )
    _certificate_set(certificate, year=year, number=number, obtained_on=obtained_on)
    return save_valid(certificate)


@transaction.atomic
def certificates_save_many(*, actor, entries: list[dict]) -> tuple[list[Certificate], list[Certificate]]:
    """Many certificates at once (the certificate ledger's batches): each entry holds the arguments of
    :func:`certificate_save` (worker, level, year, number, obtained_on) and is recorded by the same rules
    (_certificate_set, full_clean); the certificates on file and the numbers taken are looked up once for all,
    then new ones are inserted and those on file corrected in one statement each, with their audit-trail rows.
    Any entry that fails raises its ValidationError and nothing is written. Returns (created, updated)."""
    require(actor, Cap.DATA_EDIT)
    for code in {entry["worker"].region_id for entry in entries}:
        require(actor, Cap.DATA_EDIT, code)
    keys = [(entry["worker"].pk, entry["level"]) for entry in entries]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("This worker already has a certificate of this level."))
    on_file = {
        (c.worker_id, c.level): c
        for c in Certificate.objects.filter(worker__in={entry["worker"].pk for entry in entries})
    }
    created, updated, olds = [], [], []
    for entry, key in zip(entries, keys, strict=True):
        certificate = on_file.get(key)
        if certificate is None:
            certificate = Certificate(worker=entry["worker"], level=entry["level"])
            created.append(certificate)
        else:
            certificate.worker = entry["worker"]
            olds.append(copy.copy(certificate))
            updated.append(certificate)
        _certificate_set(
            certificate, year=entry["year"], number=entry["number"], obtained_on=entry.get("obtained_on")
        )
        certificate.full_clean(exclude=["worker"], validate_constraints=False)
    numbers = [c.number for c in (*created, *updated) if c.number]
    if len(set(numbers)) != len(numbers) or (
        Certificate.objects.filter(number__in=numbers).exclude(pk__in=[c.pk for c in updated]).exists()
    ):
        raise ValidationError({"number": _("A certificate with this number is already registered.")})
    Certificate.objects.bulk_create(created, batch_size=500)
    bulk.update(Certificate, updated, ["year", "number", "obtained_on"])
    audit(created)
    audit(updated, olds=olds, fields=["year", "number", "obtained_on"])
    return created, updated


@transaction.atomic
def certificate_delete(*, actor, certificate: Certificate) -> None:
    require(actor, Cap.DATA_EDIT, certificate.worker.region_id)
    if certificate.worker.payments.filter(rule__level=certificate.level, period="").exists():
        raise ValidationError(_("An award has been paid for this certificate; it cannot be deleted."))
    certificate.delete()


@transaction.atomic
def education_hours_set(*, actor, worker: Worker, year: int, hours, note: str = "") -> EducationHours:
    require(actor, Cap.DATA_EDIT, worker.region_id)
    try:
        hours = Decimal(str(hours))
    except InvalidOperation as exc:
        raise ValidationError({"hours": _("Enter a number of hours.")}) from exc
    if hours < 0 or hours > 1000:
        raise ValidationError({"hours": _("Enter between 0 and 1000 hours.")})
    if not 2000 <= year <= today().year:
        raise ValidationError({"year": _("The year should be between 2000 and this year.")})
    record = EducationHours.objects.filter(worker=worker, year=year).first() or EducationHours(
        worker=worker, year=year
    )
    record.hours = hours
    record.note = note[:200]
    return save_valid(record)


# --- Staffing rules and targets -------------------------------------------------------------------


@transaction.atomic
def staffing_rule_set(*, actor, region: Region, minimum: int | None, note: str = "") -> StaffingRule | None:
    """Set the minimum full-time workers per station of a region; ``None`` removes the region's rule, so the
    rule of the region above applies again."""
    require(actor, Cap.DATA_EDIT)
    require_choice(actor, region, "minimum")
    rule = StaffingRule.objects.filter(region=region).first()
    if minimum is None:
        if rule is not None:
            rule.delete()
        return None
    if not 0 <= minimum <= 50:
        raise ValidationError({"minimum": _("Enter between 0 and 50.")})
    rule = rule or StaffingRule(region=region)
    rule.minimum = minimum
    rule.note = note[:200]
    return save_valid(rule)


@transaction.atomic
def talent_target_create(
    *, actor, region: Region, indicator: str, value: int, deadline: dt.date, note: str = ""
) -> TalentTarget:
    require(actor, Cap.DATA_EDIT)
    fields = {"indicator": indicator, "value": value, "deadline": deadline, "note": note}
    return save_valid(_talent_target_new(actor=actor, region=region, **fields))


def _talent_target_new(*, actor, region, **fields) -> TalentTarget:
    """A new target of a division in the actor's jurisdiction: the one rule of :func:`talent_target_create`
    and :func:`talent_targets_create_many`."""
    require_choice(actor, region, "region")
    return TalentTarget(region=region, **fields)


@transaction.atomic
def talent_targets_create_many(*, actor, entries: list[dict]) -> list[TalentTarget]:
    """Many talent targets at once (the target ledger's batches): each entry holds the arguments of
    :func:`talent_target_create`, checked by the same rules without a look-up per row of its division
    (given, on file); then one insert, with the audit-trail rows. Any entry that fails raises its
    ValidationError and nothing is written."""
    require(actor, Cap.DATA_EDIT)
    targets = (_talent_target_new(actor=actor, **entry) for entry in entries)
    return create_checked(TalentTarget, targets, audited=True, exclude=["region"])


@transaction.atomic
def talent_target_delete(*, actor, target: TalentTarget) -> None:
    require(actor, Cap.DATA_EDIT, target.region_id)
    target.delete()
