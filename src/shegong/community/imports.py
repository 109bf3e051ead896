"""Excel templates, imports (background jobs) and exports of volunteers, hours and donations.

Imports are all or nothing: every row is checked first with the same functions the forms and the API use,
each error names its Excel row and the column's Chinese header, and only a file without errors is written, in
one transaction. A volunteer is matched by the lookup hash of the ID number, so importing the same sheet twice
updates the files and never duplicates them. The uploaded file holds ID numbers in clear, so the job drops it
once it is read.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.audit.services import Event
from shegong.community import charity, selectors, volunteers
from shegong.community.models import DonationForm, DonorKind, VolunteerStatus
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.excel import Column, RowError, SheetError, build_workbook, read_rows
from shegong.lib.pii import by_lookup_hash, lookup_hash
from shegong.network.selectors import station_choices
from shegong.regions.selectors import region_find

VOLUNTEER_COLUMNS = [
    Column("name", gettext_lazy("Full name"), required=True, width=12),
    Column("id_number", gettext_lazy("ID number"), required=True, width=22),
    Column("phone", gettext_lazy("Phone"), width=14),
    Column("region", gettext_lazy("Division code where registered"), kind="code", required=True, width=16),
    Column("station", gettext_lazy("Station"), width=24),
    Column("skills", gettext_lazy("Skills"), width=20),
    Column("note", gettext_lazy("Note"), width=20),
    Column("registered_on", gettext_lazy("Registered on"), kind="date", width=12),
]
HOURS_COLUMNS = [
    Column("activity", gettext_lazy("Activity number"), kind="int", required=True, min_value=1, width=12),
    Column("id_number", gettext_lazy("ID number"), required=True, width=22),
    Column("name", gettext_lazy("Full name"), width=12),
    Column("hours", gettext_lazy("Hours"), required=True, width=10),
    Column("note", gettext_lazy("Note"), width=20),
]
DONATION_COLUMNS = [
    Column("station", gettext_lazy("Receiving station"), required=True, width=24),
    Column("station_code", gettext_lazy("Station division code"), kind="code", width=14),
    Column("donor", gettext_lazy("Donor"), required=True, width=20),
    Column(
        "donor_kind", gettext_lazy("Source"), kind="choice", required=True, choices=DonorKind.labels, width=14
    ),
    Column("form", gettext_lazy("Form"), kind="choice", required=True, choices=DonationForm.labels, width=10),
    Column("value", gettext_lazy("Value (yuan)"), required=True, width=12),
    Column("items", gettext_lazy("Items"), width=20),
    Column("received_on", gettext_lazy("Received on"), kind="date", required=True, width=12),
    Column("beneficiaries", gettext_lazy("Who benefited"), width=20),
    Column("beneficiary_count", gettext_lazy("People who benefited"), kind="int", min_value=0, width=10),
]

NOTES = {
    "volunteers": gettext_lazy(
        "One row per volunteer. The ID number is checked (its last character is a check digit); sex and date "
        "of birth come from it. A volunteer already registered (same ID number) is updated, never registered "
        "twice. The division code is that of the village, community or township where they register. If any "
        "row has an error, nothing is written."
    ),
    "hours": gettext_lazy(
        "One row per volunteer and activity: the activity number is shown on the activity's page. The hours "
        "are confirmed as they are written, and earn points by the region's rule; hours already confirmed are "
        "refused, never counted twice. If any row has an error, nothing is written."
    ),
    "donations": gettext_lazy(
        "One row per donation. Name the receiving station as in the station registry, with its division code "
        "if two stations share a name. Goods are recorded with their estimated value in yuan. If any row has "
        "an error, nothing is written."
    ),
}
COLUMNS = {"volunteers": VOLUNTEER_COLUMNS, "hours": HOURS_COLUMNS, "donations": DONATION_COLUMNS}
TITLES = {
    "volunteers": gettext_lazy("Volunteers"),
    "hours": gettext_lazy("Volunteer hours"),
    "donations": gettext_lazy("Donations"),
}


def _columns(columns: list[Column]) -> list[Column]:
    return [
        Column(
            c.key,
            str(c.header),
            c.kind,
            c.required,
            [str(x) for x in c.choices],
            c.min_value,
            c.max_value,
            c.width,
        )
        for c in columns
    ]


def template(kind: str) -> bytes:
    return build_workbook(str(TITLES[kind]), _columns(COLUMNS[kind]), [], str(NOTES[kind]))


def _read(job, columns, progress) -> tuple[list, dict[str, str]]:
    try:
        with job.open_input() as upload:
            rows = list(read_rows(upload, _columns(columns), progress=lambda d, t: progress(d, t * 2)))
    except SheetError as exc:
        raise JobError(str(exc)) from exc
    finally:
        # The file may hold ID numbers in clear: it is not kept once read.
        job.forget_input()
    if not rows:
        raise JobError(_("The sheet has no data rows."))
    return rows, {c.key: str(c.header) for c in columns}


def _field_errors(number: int, header: dict[str, str], exc: ValidationError, default: str) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, header[default], m) for m in exc.messages]
    return [
        RowError(number, header.get(field, header[default]), message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


def _failed(errors: list[RowError], rows: int) -> dict:
    return {
        "ok": False,
        "message": _("%(count)d errors found; nothing was written. Correct the file and upload it again.")
        % {"count": len(errors)},
        "errors": [e.as_dict() for e in errors[:1000]],
        "error_count": len(errors),
        "rows": rows,
    }


def _stations(user) -> dict[str, list]:
    found: dict[str, list] = {}
    for facility in station_choices(user=user):
        found.setdefault(facility.name, []).append(facility)
    return found


def _station(values, stations, number, header, errors, key="station", code_key=None):
    name = values.get(key) or ""
    if not name:
        return None
    candidates = stations.get(name, [])
    code = values.get(code_key) if code_key else ""
    if code:
        candidates = [f for f in candidates if f.region_id == code]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        errors.append(
            RowError(number, header[key], _("no station “%(name)s” in your jurisdiction") % {"name": name})
        )
    else:
        errors.append(
            RowError(
                number,
                header[code_key or key],
                _("several stations are called “%(name)s”; give the division code") % {"name": name},
            )
        )
    return None


@job_handler("community.volunteer_import", audit=Event.IMPORT)
def volunteer_import(job, progress) -> dict:
    user = job.created_by
    parsed, header = _read(job, VOLUNTEER_COLUMNS, progress)
    stations = _stations(user)
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    registered: dict[int, object] = {}  # row number -> the registration date the row gives
    plan = []
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        try:
            fields = volunteers.volunteer_parse(values)
        except ValidationError as exc:
            errors.extend(_field_errors(number, header, exc, "name"))
            fields = None
        region = (
            region_find(user=user, code=values.get("region") or "", levels=(4, 5))
            if values.get("region")
            else None
        )
        if values.get("region") and region is None:
            errors.append(
                RowError(
                    number,
                    header["region"],
                    _("no township, village or community with this code in your jurisdiction"),
                )
            )
        station = _station(values, stations, number, header, errors)
        if fields is None or row_errors or region is None:
            continue
        digest = lookup_hash(fields["id_number"])
        if digest in seen:
            errors.append(
                RowError(
                    number,
                    header["id_number"],
                    _("the same ID number is on row %(row)d") % {"row": seen[digest]},
                )
            )
            continue
        seen[digest] = number
        if values.get("registered_on"):
            if values["registered_on"] > timezone.localdate():
                errors.append(RowError(number, header["registered_on"], _("the date is in the future")))
                continue
            registered[number] = values["registered_on"]
        plan.append((number, fields, region, station, digest))
    id_numbers = {digest: fields["id_number"] for _n, fields, *_rest, digest in plan}
    existing = selectors.volunteers_by_id_number(user=user, id_numbers=id_numbers.values())
    from shegong.community.models import Volunteer

    outside = [text for digest, text in id_numbers.items() if digest not in existing]
    elsewhere = set(by_lookup_hash(Volunteer.objects.only("id_number_hash"), "id_number_hash", outside))
    for number, *_rest, digest in plan:
        if digest in elsewhere:
            errors.append(
                RowError(
                    number, header["id_number"], _("this volunteer is registered outside your jurisdiction")
                )
            )
    if errors:
        return _failed(errors, len(parsed))
    created = updated = 0
    with transaction.atomic():
        for index, (number, fields, region, station, digest) in enumerate(plan):
            try:
                volunteer = existing.get(digest)
                if volunteer is None:
                    volunteers.volunteer_create(
                        actor=user,
                        values=fields,
                        region=region,
                        station=station,
                        registered_on=registered.get(number),
                    )
                    created += 1
                else:
                    volunteers.volunteer_update(
                        actor=user,
                        volunteer=volunteer,
                        values=fields,
                        region=region,
                        station=station or volunteer.station,
                    )
                    updated += 1
            except ValidationError as exc:
                transaction.set_rollback(True)
                return _failed(_field_errors(number, header, exc, "name"), len(parsed))
            if index % 100 == 0:
                progress(len(plan) + index, len(plan) * 2)
    return {
        "ok": True,
        "message": _("%(rows)d rows read: %(created)d volunteers registered, %(updated)d updated.")
        % {"rows": len(plan), "created": created, "updated": updated},
        "rows": len(plan),
    }


def _decimal(text, number, header, key, errors) -> Decimal | None:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        errors.append(
            RowError(number, header[key], _("should be a number, not “%(value)s”") % {"value": text})
        )
        return None
    if not value.is_finite() or value <= 0:
        errors.append(
            RowError(number, header[key], _("should be more than 0, not %(value)s") % {"value": text})
        )
        return None
    return value


@job_handler("community.hours_import", audit=Event.IMPORT)
def hours_import(job, progress) -> dict:
    user = job.created_by
    parsed, header = _read(job, HOURS_COLUMNS, progress)
    errors: list[RowError] = []
    id_numbers = [v["id_number"].replace(" ", "") for _n, v, _e in parsed if v.get("id_number")]
    known = selectors.volunteers_by_id_number(user=user, id_numbers=id_numbers)
    activities = {
        a.pk: a
        for a in selectors.activity_list(user=user, capability=Cap.DATA_EDIT).filter(
            pk__in=[v.get("activity") for _n, v, _e in parsed if v.get("activity")]
        )
    }
    seen: dict[tuple, int] = {}
    plan = []
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        if row_errors:
            continue
        activity = activities.get(values["activity"])
        if activity is None:
            errors.append(
                RowError(
                    number,
                    header["activity"],
                    _("no activity number %(n)d in your jurisdiction") % {"n": values["activity"]},
                )
            )
        volunteer = known.get(lookup_hash(values["id_number"].replace(" ", "")))
        if volunteer is None:
            errors.append(
                RowError(
                    number, header["id_number"], _("no volunteer with this ID number in your jurisdiction")
                )
            )
        elif values.get("name") and values["name"] != volunteer.name:
            errors.append(
                RowError(
                    number, header["name"], _("the ID number belongs to %(name)s") % {"name": volunteer.name}
                )
            )
        elif volunteer.status != VolunteerStatus.ACTIVE:
            errors.append(RowError(number, header["id_number"], _("this volunteer is no longer serving")))
        hours = _decimal(values["hours"], number, header, "hours", errors)
        if hours is not None and hours > 24:
            errors.append(
                RowError(
                    number,
                    header["hours"],
                    _("should be at most 24, not %(value)s") % {"value": values["hours"]},
                )
            )
            hours = None
        if activity is None or volunteer is None or hours is None:
            continue
        key = (activity.pk, volunteer.pk)
        if key in seen:
            errors.append(
                RowError(
                    number,
                    header["id_number"],
                    _("the same volunteer and activity are on row %(row)d") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        plan.append((number, activity, volunteer, hours, values.get("note") or ""))
    if errors:
        return _failed(errors, len(parsed))
    total = Decimal("0")
    with transaction.atomic():
        for number, activity, volunteer, hours, note in plan:
            try:
                volunteers.hours_record(
                    actor=user, activity=activity, volunteer=volunteer, hours=hours, note=note
                )
            except ValidationError as exc:
                transaction.set_rollback(True)
                return _failed(
                    _field_errors(number, {**header, "volunteer": header["id_number"]}, exc, "hours"),
                    len(parsed),
                )
            total += hours
    return {
        "ok": True,
        "message": _("%(rows)d rows read: %(hours)s hours confirmed.")
        % {"rows": len(plan), "hours": f"{total.normalize():f}"},
        "rows": len(plan),
    }


@job_handler("community.donation_import", audit=Event.IMPORT)
def donation_import(job, progress) -> dict:
    user = job.created_by
    parsed, header = _read(job, DONATION_COLUMNS, progress)
    stations = _stations(user)
    kinds = {str(label): value for value, label in DonorKind.choices}
    forms = {str(label): value for value, label in DonationForm.choices}
    errors: list[RowError] = []
    plan = []
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        station = _station(values, stations, number, header, errors, code_key="station_code")
        value = _decimal(values["value"], number, header, "value", errors) if values.get("value") else None
        if row_errors or station is None or value is None:
            continue
        plan.append(
            (
                number,
                {
                    "station": station,
                    "donor": values["donor"],
                    "donor_kind": kinds[values["donor_kind"]],
                    "form": forms[values["form"]],
                    "value": value,
                    "items": values.get("items") or "",
                    "received_on": values["received_on"],
                    "beneficiaries": values.get("beneficiaries") or "",
                    "beneficiary_count": values.get("beneficiary_count") or 0,
                },
            )
        )
    errors.extend(_repeated_donations(plan, header))
    if errors:
        return _failed(errors, len(parsed))
    # Each row through the service in a savepoint, so every rule the service checks names its row.
    with transaction.atomic():
        for number, data in plan:
            try:
                with transaction.atomic():
                    charity.donation_create(actor=user, **data)
            except ValidationError as exc:
                errors.extend(_field_errors(number, header, exc, "donor"))
        if errors:
            transaction.set_rollback(True)
            return _failed(errors, len(parsed))
    total = sum((d["value"] for _n, d in plan), Decimal("0"))
    return {
        "ok": True,
        "message": _("%(rows)d donations recorded, %(value)s yuan in all.")
        % {"rows": len(plan), "value": total},
        "rows": len(plan),
    }


def _donation_key(data: dict) -> tuple:
    return tuple(data[key] for key in DONATION_KEY)


DONATION_KEY = ("station", "donor", "donor_kind", "form", "value", "items", "received_on", "beneficiaries")


def _repeated_donations(plan: list[tuple[int, dict]], header: dict[str, str]) -> list[RowError]:
    """A donation is recorded once. A row identical to an earlier row of the file, or to a donation already on
    record (the same file uploaded twice), is refused with the row it repeats: counted twice it would double
    the station's receipts in the charity ledger. Two real gifts that look alike differ in their items or
    beneficiaries, which the clerk can say."""
    from shegong.community.models import Donation

    errors, first = [], {}
    on_record = {
        _donation_key({key: getattr(d, key) for key in DONATION_KEY} | {"station": d.station})
        for d in Donation.objects.filter(
            station__in={data["station"] for _n, data in plan},
            received_on__in={data["received_on"] for _n, data in plan},
        ).select_related("station")
    }
    for number, data in plan:
        key = _donation_key(data)
        if key in first:
            message = _("the same donation as row %(row)d; a donation is recorded once") % {"row": first[key]}
        elif key in on_record:
            message = _("this donation is already recorded; a donation is recorded once")
        else:
            first[key] = number
            continue
        errors.append(RowError(number, header["donor"], message))
    return errors
