"""Excel templates, imports and the export of the worker registry.

Imports are background jobs and all or nothing: every row is checked first with the same functions the form
and the API use (services.worker_parse, services.certificate_parse), every error names its Excel row and the
column's Chinese header, and only a file without errors is written, in one transaction. A worker is matched by
the lookup hash of the ID number, so importing the same sheet twice updates the files and never duplicates
them. The uploaded file holds ID numbers in clear, so the job drops it once it is read.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.audit.services import Event
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.excel import Column, RowError, SheetError, build_workbook, read_rows
from shegong.lib.pii import by_lookup_hash, lookup_hash
from shegong.workforce import selectors, services, services_training
from shegong.workforce.models import CertLevel, Education, EmploymentType, Post

WORKER_COLUMNS = [
    Column("name", gettext_lazy("Full name"), required=True, width=12),
    Column("id_number", gettext_lazy("ID number"), kind="text", required=True, width=22),
    Column("phone", gettext_lazy("Phone"), kind="text", width=14),
    Column("education", gettext_lazy("Education"), kind="choice", choices=Education.labels, width=16),
    Column("major", gettext_lazy("Major"), width=14),
    Column(
        "employment_type",
        gettext_lazy("Employment type"),
        kind="choice",
        required=True,
        choices=EmploymentType.labels,
        width=14,
    ),
    Column("post", gettext_lazy("Post"), kind="choice", choices=Post.labels, width=10),
    Column("station", gettext_lazy("Station"), width=24),
    Column("station_code", gettext_lazy("Station division code"), kind="code", width=14),
    Column("joined_on", gettext_lazy("Joined on"), kind="date", width=12),
    Column("note", gettext_lazy("Note"), width=20),
]

CERTIFICATE_COLUMNS = [
    Column("id_number", gettext_lazy("ID number"), kind="text", required=True, width=22),
    Column("name", gettext_lazy("Full name"), width=12),
    Column(
        "level",
        gettext_lazy("Certificate level"),
        kind="choice",
        required=True,
        choices=CertLevel.labels,
        width=22,
    ),
    Column("year", gettext_lazy("Year obtained"), kind="text", required=True, width=10),
    Column("number", gettext_lazy("Certificate number"), required=True, width=22),
]

ATTENDANCE_COLUMNS = [
    Column("id_number", gettext_lazy("ID number"), kind="text", required=True, width=22),
    Column("name", gettext_lazy("Full name"), width=12),
]


def _columns(columns: list[Column], *, reading: bool = False) -> list[Column]:
    """Columns with headers translated now. For reading, choice columns are read as text and nothing is
    required: the services' parse functions judge every value, with the messages the form gives."""
    return [
        Column(
            c.key,
            str(c.header),
            "text" if reading and c.kind == "choice" else c.kind,
            c.required and not reading,
            [str(choice) for choice in c.choices],
            c.min_value,
            c.max_value,
            c.width,
        )
        for c in columns
    ]


def worker_template() -> bytes:
    note = _(
        "One row per worker. The ID number is checked (its last character is a check digit); sex and birth "
        "date come from it. A worker already registered (same ID number) is updated, never registered twice; "
        "a different station moves the worker there today. Name the station as in the station registry, and "
        "add its division code if two stations share a name. If any row has an error, nothing is written."
    )
    return build_workbook(_("Social workers"), _columns(WORKER_COLUMNS), [], note)


def certificate_template() -> bytes:
    note = _(
        "One row per certificate of a registered worker, found by the ID number. Recording a level again "
        "corrects it. If any row has an error, nothing is written."
    )
    return build_workbook(_("Certificates"), _columns(CERTIFICATE_COLUMNS), [], note)


def attendance_template() -> bytes:
    note = _(
        "One row per registered worker who attended the session. If any row has an error, nothing is written."
    )
    return build_workbook(_("Attendance"), _columns(ATTENDANCE_COLUMNS), [], note)


def _read(job, columns, progress) -> tuple[list, dict[str, str]]:
    try:
        with job.open_input() as upload:
            rows = list(
                read_rows(upload, _columns(columns, reading=True), progress=lambda d, t: progress(d, t * 2))
            )
    except SheetError as exc:
        raise JobError(str(exc)) from exc
    finally:
        # The file holds ID numbers in clear: it is not kept once read.
        job.forget_input()
    if not rows:
        raise JobError(_("The sheet has no data rows."))
    return rows, {c.key: str(c.header) for c in columns}


def _field_errors(number: int, header: dict[str, str], exc: ValidationError) -> list[RowError]:
    errors = []
    for field, messages in exc.message_dict.items():
        for message in messages:
            errors.append(RowError(number, header.get(field, header.get("name", "")), message))
    return errors


def _failed(errors: list[RowError], rows: int) -> dict:
    return {
        "ok": False,
        "message": _("%(count)d errors found; nothing was written. Correct the file and upload it again.")
        % {"count": len(errors)},
        "errors": [e.as_dict() for e in errors[:1000]],
        "error_count": len(errors),
        "rows": rows,
    }


def _resolve_station(values: dict, stations: dict, number: int, header: dict, errors: list):
    name = values.get("station") or ""
    if not name:
        return None
    candidates = stations.get(name, [])
    code = values.get("station_code") or ""
    if code:
        candidates = [f for f in candidates if f.region_id == code]
    if not candidates:
        errors.append(
            RowError(
                number, header["station"], _("no station “%(name)s” in your jurisdiction") % {"name": name}
            )
        )
        return None
    if len(candidates) > 1:
        errors.append(
            RowError(
                number,
                header["station_code"],
                _("several stations are called “%(name)s”; give the division code") % {"name": name},
            )
        )
        return None
    return candidates[0]


@job_handler("workforce.worker_import", audit=Event.IMPORT)
def worker_import(job, progress) -> dict:
    user = job.created_by
    parsed, header = _read(job, WORKER_COLUMNS, progress)
    errors: list[RowError] = []
    stations = selectors.facilities_by_name(user=user)
    seen: dict[str, int] = {}
    plan = []
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        try:
            fields = services.worker_parse(values)
        except ValidationError as exc:
            errors.extend(_field_errors(number, header, exc))
            fields = None
        facility = _resolve_station(values, stations, number, header, errors)
        if fields is None or row_errors:
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
        plan.append((number, fields, facility, digest))
    id_numbers = {digest: fields["id_number"] for _n, fields, _f, digest in plan}
    existing = selectors.workers_by_id_number(user=user, id_numbers=id_numbers.values())
    elsewhere = [text for digest, text in id_numbers.items() if digest not in existing]
    if elsewhere:
        # Files kept outside the user's jurisdiction: one person has one file, which only its keepers change.
        from shegong.workforce.models import Worker

        taken = set(by_lookup_hash(Worker.objects.only("id_number_hash"), "id_number_hash", elsewhere))
        for number, _fields, _facility, digest in plan:
            if digest in taken:
                errors.append(
                    RowError(
                        number,
                        header["id_number"],
                        _(
                            "this person's file is kept outside your jurisdiction; ask its keepers to move them"
                        ),
                    )
                )
    if errors:
        return _failed(errors, len(parsed))
    created = updated = moved = 0
    total = len(plan)
    with transaction.atomic():
        for index, (number, fields, facility, digest) in enumerate(plan):
            try:
                worker = existing.get(digest)
                if worker is None:
                    services.worker_create(
                        actor=user,
                        values=fields,
                        region=None if facility else user.jurisdiction,
                        facility=facility,
                        start_date=fields.get("joined_on"),
                    )
                    created += 1
                    continue
                services.worker_update(actor=user, worker=worker, values=fields)
                updated += 1
                current = worker.assignments.filter(end_date__isnull=True).first()
                if facility is not None and (current is None or current.facility_id != facility.pk):
                    if worker.status != "active":
                        services.worker_return(actor=user, worker=worker)
                    services.worker_move(actor=user, worker=worker, facility=facility)
                    moved += 1
            except ValidationError as exc:
                # A rule only the database can check (a race with another user): nothing is written.
                transaction.set_rollback(True)
                return _failed(_field_errors(number, header, exc), len(parsed))
            if index % 100 == 0:
                progress(total + index, total * 2)
    progress(total * 2, total * 2)
    return {
        "ok": True,
        "message": _(
            "%(rows)d rows read: %(created)d workers registered, %(updated)d updated, %(moved)d moved."
        )
        % {"rows": total, "created": created, "updated": updated, "moved": moved},
        "rows": total,
        "created": created,
        "updated": updated,
        "moved": moved,
        "errors": [],
    }


@job_handler("workforce.certificate_import", audit=Event.IMPORT)
def certificate_import(job, progress) -> dict:
    user = job.created_by
    parsed, header = _read(job, CERTIFICATE_COLUMNS, progress)
    errors: list[RowError] = []
    id_numbers = {v["id_number"] for _n, v, _e in parsed if v.get("id_number")}
    workers = selectors.workers_by_id_number(user=user, id_numbers=id_numbers)
    numbers: dict[str, int] = {}
    keys: dict[tuple, int] = {}
    plan = []
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        worker = None
        if values.get("id_number"):
            worker = workers.get(lookup_hash(values["id_number"].strip().upper()))
            if worker is None:
                errors.append(
                    RowError(
                        number, header["id_number"], _("no worker with this ID number in your jurisdiction")
                    )
                )
            elif values.get("name") and values["name"] != worker.name:
                errors.append(
                    RowError(
                        number,
                        header["name"],
                        _("the worker with this ID number is called %(name)s") % {"name": worker.name},
                    )
                )
        try:
            fields = services.certificate_parse(values)
        except ValidationError as exc:
            errors.extend(_field_errors(number, header, exc))
            continue
        if fields["number"] in numbers:
            errors.append(
                RowError(
                    number,
                    header["number"],
                    _("the same certificate number is on row %(row)d") % {"row": numbers[fields["number"]]},
                )
            )
        numbers.setdefault(fields["number"], number)
        if worker is not None:
            key = (worker.pk, fields["level"])
            if key in keys:
                errors.append(
                    RowError(
                        number,
                        header["level"],
                        _("this worker's certificate of this level is on row %(row)d") % {"row": keys[key]},
                    )
                )
            keys.setdefault(key, number)
            plan.append((number, worker, fields))
    if not errors:
        from shegong.workforce.models import Certificate

        taken = dict(Certificate.objects.filter(number__in=list(numbers)).values_list("number", "worker_id"))
        for number, worker, fields in plan:
            owner = taken.get(fields["number"])
            if owner is not None and owner != worker.pk:
                errors.append(
                    RowError(
                        number, header["number"], _("this certificate number is registered to another worker")
                    )
                )
    if errors:
        return _failed(errors, len(parsed))
    with transaction.atomic():
        for number, worker, fields in plan:
            try:
                services.certificate_save(actor=user, worker=worker, **fields)
            except ValidationError as exc:
                transaction.set_rollback(True)
                return _failed(_field_errors(number, header, exc), len(parsed))
    progress(1, 1)
    return {
        "ok": True,
        "message": _("%(rows)d certificates recorded.") % {"rows": len(plan)},
        "rows": len(plan),
        "errors": [],
    }


@job_handler("workforce.attendance_import", audit=Event.IMPORT)
def attendance_import(job, progress) -> dict:
    user = job.created_by
    session = selectors.training_get(user=user, pk=job.params["session"], capability="data.edit")
    parsed, header = _read(job, ATTENDANCE_COLUMNS, progress)
    errors: list[RowError] = []
    id_numbers = {v["id_number"] for _n, v, _e in parsed if v.get("id_number")}
    workers = selectors.workers_by_id_number(user=user, id_numbers=id_numbers)
    plan = []
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        if not values.get("id_number"):
            continue
        worker = workers.get(lookup_hash(values["id_number"].strip().upper()))
        if worker is None:
            errors.append(
                RowError(number, header["id_number"], _("no worker with this ID number in your jurisdiction"))
            )
        elif values.get("name") and values["name"] != worker.name:
            # A mistyped ID number that happens to be another worker's would credit the wrong person.
            errors.append(
                RowError(
                    number,
                    header["name"],
                    _("the worker with this ID number is called %(name)s") % {"name": worker.name},
                )
            )
        else:
            plan.append(worker)
    if errors:
        return _failed(errors, len(parsed))
    added = 0
    with transaction.atomic():
        for worker in plan:
            _attendance, created = services_training.attendance_add(
                actor=user, session=session, worker=worker
            )
            added += 1 if created else 0
    return {
        "ok": True,
        "message": _("%(rows)d rows read, %(added)d attendances added.")
        % {"rows": len(plan), "added": added},
        "rows": len(plan),
        "errors": [],
    }
