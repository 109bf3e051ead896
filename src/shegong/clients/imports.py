"""Excel templates, imports, exports and roster reconciliation for people served, run as background jobs.

Imports are all or nothing: every row goes through the same service the pages use, inside one transaction;
if any row fails, the transaction is rolled back and every failing row is reported by its Excel row number
and the column's Chinese header. Importing the same ledger twice changes nothing the second time: a row
whose ID number is on file updates that file, and a visit already recorded (same person, day and mode) is
skipped.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.clients import selectors, services
from shegong.clients.models import CareAbility, Disability, Person, RiskLevel, Sex, Visit, VisitMode
from shegong.jobs.models import Job
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.excel import Column, RowError, SheetError, build_workbook, neutralise, read_rows
from shegong.lib.pii import lookup_hash, mask_id_number, mask_phone, parse_resident_id
from shegong.lib.scoping import in_jurisdiction, scope_to_user
from shegong.regions.models import Level, Region

YES, NO = gettext_lazy("Yes"), gettext_lazy("No")
SPLIT = re.compile(r"[、,，;；/\s]+")


def _choices(choices) -> list[str]:
    return [str(label) for _value, label in choices]


def _value_of(choices, label):
    for value, text in choices:
        if str(text) == label:
            return value
    return ""


def person_columns() -> list[Column]:
    return [
        Column("name", str(_("Name of the person")), required=True, width=12),
        Column("id_number", str(_("ID number")), width=22),
        Column("sex", str(_("Sex")), kind="choice", choices=_choices(Sex.choices), width=8),
        Column("birth_date", str(_("Date of birth")), kind="date", width=12),
        Column("phone", str(_("Phone")), width=14),
        Column("region", str(_("Village code")), kind="code", required=True, width=16),
        Column("address", str(_("Address")), width=24),
        Column("categories", str(_("Categories")), width=24),
        Column(
            "risk_level", str(_("Risk level")), kind="choice", choices=_choices(RiskLevel.choices), width=8
        ),
        Column("risk_reason", str(_("Reason for the risk level")), width=20),
        Column(
            "care_ability",
            str(_("Care ability")),
            kind="choice",
            choices=_choices(CareAbility.choices),
            width=10,
        ),
        Column(
            "disability",
            str(_("Disability category")),
            kind="choice",
            choices=_choices(Disability.choices),
            width=10,
        ),
        Column("disability_grade", str(_("Disability grade")), kind="int", min_value=1, max_value=4, width=8),
        Column("guardian_name", str(_("Guardian")), width=10),
        Column("guardian_relation", str(_("Guardian's relation")), width=10),
        Column("guardian_phone", str(_("Guardian's phone")), width=14),
        Column(
            "guardian_consent",
            str(_("Guardian consented")),
            kind="choice",
            choices=[str(YES), str(NO)],
            width=8,
        ),
        Column("guardian_consent_on", str(_("Date of consent")), kind="date", width=12),
        Column("note", str(_("Note")), width=24),
    ]


def visit_columns() -> list[Column]:
    return [
        Column("id_number", str(_("ID number")), width=22),
        Column("name", str(_("Name of the person")), width=12),
        Column("region", str(_("Village code")), kind="code", width=16),
        Column("visited_on", str(_("Date of visit")), kind="date", required=True, width=12),
        Column(
            "mode",
            str(_("Mode")),
            kind="choice",
            choices=_choices(VisitMode.choices),
            required=True,
            width=10,
        ),
        Column("findings", str(_("Findings")), width=30),
        Column("needs", str(_("Needs spotted")), width=30),
        Column("next_due", str(_("Next visit due")), kind="date", width=12),
    ]


def roster_columns() -> list[Column]:
    return [
        Column("id_number", str(_("ID number")), required=True, width=22),
        Column("name", str(_("Name of the person")), width=12),
    ]


def person_template(*, user) -> bytes:
    villages = selectors.village_choices(user=user)[:3]
    example = [
        "张三",
        "",
        "",
        "",
        "",
        villages[0].code if villages else "",
        "",
        "低保、独居",
        str(RiskLevel.KEY.label),
        "独居高龄",
    ]
    note = _(
        "One row per person. The ID number is checked (check character); birth date and sex are taken from it. "
        "The village code is the 12-digit division code of the village or community, inside your jurisdiction. "
        "Categories are separated by 、 and must be names from the category table. Children need a guardian; "
        "under-14s need the guardian's consent and its date. A row whose ID number is already on file updates "
        "that file. If any row has an error, nothing is written."
    )
    return build_workbook(_("People served"), person_columns(), [example], note)


def visit_template(*, user) -> bytes:
    note = _(
        "One row per visit. Give the ID number, or for people without one the name and the village code. A visit "
        "already recorded (same person, date and mode) is skipped. If any row has an error, nothing is written."
    )
    return build_workbook(_("Visits"), visit_columns(), [], note)


def roster_template(*, user) -> bytes:
    return build_workbook(_("Roster"), roster_columns(), [], _("One row per person on the official roster."))


def _read(job: Job, columns, progress):
    try:
        return list(read_rows(bytes(job.input_data), columns, progress=progress))
    except SheetError as exc:
        raise JobError(str(exc)) from exc


def _service_errors(number: int, exc: ValidationError, headers: dict[str, str]) -> list[RowError]:
    out = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            column = headers.get(field, headers.get("name"))
            for message in messages:
                out.append(RowError(number, column, message))
    else:
        out.extend(RowError(number, headers.get("name", ""), m) for m in exc.messages)
    return out


class _Rollback(Exception):
    pass


def _failed(errors: list[RowError], rows: int) -> dict:
    return {
        "ok": False,
        "message": _("%(count)d errors found; nothing was written. Correct the file and upload it again.")
        % {"count": len(errors)},
        "errors": [e.as_dict() for e in errors[:1000]],
        "error_count": len(errors),
        "rows": rows,
    }


@job_handler("clients.person_import")
def person_import(job, progress) -> dict:
    user = job.created_by
    columns = person_columns()
    headers = {c.key: c.header for c in columns}
    parsed = _read(job, columns, lambda d, t: progress(d, t * 2))
    if not parsed:
        raise JobError(_("The sheet has no data rows."))
    categories = {c.name: c for c in selectors.category_list(user=user)}
    codes = {v["region"] for _n, v, _e in parsed if v.get("region")}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    errors: list[RowError] = []
    seen_ids: dict[str, int] = {}
    created = updated = 0
    total = len(parsed)
    try:
        with transaction.atomic():
            for index, (number, values, row_errors) in enumerate(parsed):
                errors.extend(row_errors)
                if index % 100 == 0:
                    progress(total + index, total * 2)
                region = regions.get(values.get("region") or "")
                if values.get("region") and (region is None or region.level != Level.VILLAGE):
                    errors.append(
                        RowError(
                            number,
                            headers["region"],
                            _("“%(code)s” is not a village code") % {"code": values["region"]},
                        )
                    )
                    continue
                if region is not None and not in_jurisdiction(user, region.code):
                    errors.append(
                        RowError(
                            number,
                            headers["region"],
                            _("village %(code)s is outside your jurisdiction") % {"code": region.code},
                        )
                    )
                    continue
                wanted, unknown = [], []
                for name in SPLIT.split(values.get("categories") or ""):
                    if name:
                        (wanted.append(categories[name]) if name in categories else unknown.append(name))
                if unknown:
                    errors.append(
                        RowError(
                            number,
                            headers["categories"],
                            _("unknown category: %(names)s") % {"names": "、".join(unknown)},
                        )
                    )
                number_text = (values.get("id_number") or "").strip().upper()
                if number_text:
                    if number_text in seen_ids:
                        errors.append(
                            RowError(
                                number,
                                headers["id_number"],
                                _("the same ID number is on row %(row)d") % {"row": seen_ids[number_text]},
                            )
                        )
                        continue
                    seen_ids[number_text] = number
                if row_errors or unknown or region is None:
                    continue
                fields = _person_fields(values)
                try:
                    with transaction.atomic():
                        existing = _existing(user, values, region)
                        if existing is None:
                            services.person_create(
                                actor=user,
                                name=values["name"],
                                region=region,
                                categories=wanted,
                                confirm_duplicates=True,
                                **fields,
                            )
                            created += 1
                        else:
                            services.person_update(
                                actor=user, person=existing, name=values["name"], region=region, **fields
                            )
                            services.person_add_categories(actor=user, person=existing, categories=wanted)
                            updated += 1
                except ValidationError as exc:
                    errors.extend(_service_errors(number, exc, headers))
            if errors:
                raise _Rollback
    except _Rollback:
        return _failed(errors, total)
    progress(total * 2, total * 2)
    audit_event(event=Event.IMPORT, user=user, obj=job, detail={"kind": job.kind, "rows": total})
    return {
        "ok": True,
        "message": _("%(rows)d rows read: %(created)d files opened, %(updated)d files updated.")
        % {"rows": total, "created": created, "updated": updated},
        "rows": total,
        "created": created,
        "updated": updated,
        "errors": [],
    }


def _person_fields(values: dict) -> dict:
    fields = {}
    for key in (
        "id_number",
        "phone",
        "address",
        "risk_reason",
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
        "note",
        "birth_date",
        "disability_grade",
        "guardian_consent_on",
    ):
        if values.get(key) not in (None, ""):
            fields[key] = values[key]
    for key, choices in (
        ("sex", Sex.choices),
        ("risk_level", RiskLevel.choices),
        ("care_ability", CareAbility.choices),
        ("disability", Disability.choices),
    ):
        if values.get(key):
            fields[key] = _value_of(choices, values[key])
    if values.get("guardian_consent"):
        fields["guardian_consent"] = values["guardian_consent"] == str(YES)
    return fields


def _existing(user, values: dict, region: Region) -> Person | None:
    """The file a row describes: by ID number, or for people without one by name, birth date and village."""
    number = (values.get("id_number") or "").strip().upper()
    if number:
        found = Person.objects.filter(id_number_hash=lookup_hash(number)).first()
        if found is not None and not in_jurisdiction(user, found.region_id):
            raise ValidationError(
                {
                    "id_number": _(
                        "A file with this ID number exists outside your jurisdiction; ask that region to transfer it."
                    )
                }
            )
        return found
    qs = scope_to_user(Person.objects.all(), user, Cap.DATA_EDIT).filter(
        name=values["name"], region=region, id_number_hash=""
    )
    if values.get("birth_date"):
        qs = qs.filter(birth_date=values["birth_date"])
    return qs.first()


@job_handler("clients.visit_import")
def visit_import(job, progress) -> dict:
    user = job.created_by
    columns = visit_columns()
    headers = {c.key: c.header for c in columns}
    parsed = _read(job, columns, lambda d, t: progress(d, t * 2))
    if not parsed:
        raise JobError(_("The sheet has no data rows."))
    errors: list[RowError] = []
    created = skipped = 0
    total = len(parsed)
    people = scope_to_user(Person.objects.all(), user, Cap.DATA_EDIT)
    try:
        with transaction.atomic():
            for index, (number, values, row_errors) in enumerate(parsed):
                errors.extend(row_errors)
                if index % 100 == 0:
                    progress(total + index, total * 2)
                if row_errors:
                    continue
                person = None
                id_text = (values.get("id_number") or "").strip().upper()
                if id_text:
                    try:
                        parse_resident_id(id_text)
                    except ValidationError as exc:
                        errors.append(RowError(number, headers["id_number"], exc.messages[0]))
                        continue
                    person = people.filter(id_number_hash=lookup_hash(id_text)).first()
                elif values.get("name") and values.get("region"):
                    matches = list(people.filter(name=values["name"], region_id=values["region"])[:2])
                    if len(matches) > 1:
                        errors.append(
                            RowError(number, headers["name"], _("several files match; give the ID number"))
                        )
                        continue
                    person = matches[0] if matches else None
                else:
                    errors.append(
                        RowError(
                            number,
                            headers["id_number"],
                            _("give the ID number, or the name and village code"),
                        )
                    )
                    continue
                if person is None:
                    errors.append(RowError(number, headers["id_number"], _("no file in your jurisdiction")))
                    continue
                mode = _value_of(VisitMode.choices, values["mode"])
                if Visit.objects.filter(person=person, visited_on=values["visited_on"], mode=mode).exists():
                    skipped += 1
                    continue
                try:
                    with transaction.atomic():
                        services.visit_create(
                            actor=user,
                            person=person,
                            visited_on=values["visited_on"],
                            mode=mode,
                            findings=values.get("findings") or "",
                            needs=values.get("needs") or "",
                            next_due=values.get("next_due"),
                        )
                        created += 1
                except ValidationError as exc:
                    errors.extend(_service_errors(number, exc, headers))
            if errors:
                raise _Rollback
    except _Rollback:
        return _failed(errors, total)
    progress(total * 2, total * 2)
    audit_event(event=Event.IMPORT, user=user, obj=job, detail={"kind": job.kind, "rows": total})
    return {
        "ok": True,
        "message": _("%(rows)d rows read: %(created)d visits recorded, %(skipped)d already on file skipped.")
        % {"rows": total, "created": created, "skipped": skipped},
        "rows": total,
        "errors": [],
    }


# --- Export -------------------------------------------------------------------------------------


def export_columns() -> list[Column]:
    return [
        Column("name", str(_("Name of the person")), width=12),
        Column("id_number", str(_("ID number")), width=22),
        Column("sex", str(_("Sex")), width=8),
        Column("birth_date", str(_("Date of birth")), width=12),
        Column("phone", str(_("Phone")), width=14),
        Column("region", str(_("Village code")), width=16),
        Column("village", str(_("Village or community")), width=16),
        Column("address", str(_("Address")), width=24),
        Column("categories", str(_("Categories")), width=24),
        Column("risk_level", str(_("Risk level")), width=8),
        Column("risk_reason", str(_("Reason for the risk level")), width=20),
        Column("last_visit", str(_("Last visit")), width=12),
    ]


@job_handler("clients.person_export")
def person_export(job, progress) -> dict:
    """The people of the user's jurisdiction (or a region in it) as a workbook. ID numbers and phones are
    masked unless the exporter's role may see them; every text cell is neutralised against formulas."""
    user = job.created_by
    clear = user.can(Cap.PII_VIEW)
    qs = (
        selectors.person_list(user=user, region=job.params.get("region", ""))
        .prefetch_related("categories")
        .annotate(last_visit=Max("visits__visited_on"))
    )
    total = qs.count()
    rows = []
    for index, p in enumerate(qs.iterator(chunk_size=500)):
        if index % 500 == 0:
            progress(index, total)
        rows.append(
            [
                neutralise(v)
                for v in (
                    p.name,
                    p.id_number if clear else mask_id_number(p.id_number),
                    p.get_sex_display(),
                    p.birth_date.isoformat() if p.birth_date else "",
                    p.phone if clear else mask_phone(p.phone),
                    p.region_id,
                    p.region.name,
                    p.address,
                    "、".join(c.name for c in p.categories.all()),
                    p.get_risk_level_display(),
                    p.risk_reason,
                    p.last_visit.isoformat() if p.last_visit else "",
                )
            ]
        )
    progress(total, total)
    job.output_name = f"people-{timezone.localdate():%Y%m%d}.xlsx"
    job.output_data = build_workbook(_("People served"), export_columns(), rows)
    job.save(update_fields=["output_name", "output_data"])
    audit_event(event=Event.EXPORT, user=user, obj=job, detail={"rows": total, "clear_pii": clear})
    return {"ok": True, "message": _("%(rows)d people exported.") % {"rows": total}, "rows": total}


# --- Roster reconciliation ----------------------------------------------------------------------


@job_handler("clients.roster_check")
def roster_check(job, progress) -> dict:
    """Compare an official roster (ID numbers and names) with the files: who has no file, who was not visited
    within N days, who lacks the roster's category. Nothing is written."""
    user = job.created_by
    columns = roster_columns()
    headers = {c.key: c.header for c in columns}
    parsed = _read(job, columns, progress)
    if not parsed:
        raise JobError(_("The sheet has no data rows."))
    days = int(job.params.get("days") or 90)
    category_id = job.params.get("category")
    since = timezone.localdate() - dt.timedelta(days=days)
    hashes = {}
    findings: list[RowError] = []
    for number, values, row_errors in parsed:
        if row_errors:
            findings.extend(row_errors)
            continue
        try:
            parsed_id = parse_resident_id(values["id_number"])
        except ValidationError as exc:
            findings.append(RowError(number, headers["id_number"], exc.messages[0]))
            continue
        hashes[number] = (lookup_hash(parsed_id.number), values.get("name") or "")
    people = {
        p.id_number_hash: p
        for p in selectors.person_list(user=user, active=None)
        .filter(id_number_hash__in={h for h, _n in hashes.values()})
        .annotate(last_visit=Max("visits__visited_on"))
    }
    with_category = set()
    if category_id:
        with_category = set(
            Person.categories.through.objects.filter(
                category_id=category_id, person_id__in=[p.pk for p in people.values()]
            ).values_list("person_id", flat=True)
        )
    counts = {"missing": 0, "not_visited": 0, "no_category": 0, "ok": 0}
    rows = []
    for number, (digest, name) in hashes.items():
        person = people.get(digest)
        label = name or (person.name if person else "")
        problems = []
        if person is None:
            counts["missing"] += 1
            problems.append(_("no file"))
        else:
            if not person.last_visit or person.last_visit < since:
                counts["not_visited"] += 1
                problems.append(_("not visited within %(days)d days") % {"days": days})
            if category_id and person.pk not in with_category:
                counts["no_category"] += 1
                problems.append(_("lacks the category"))
        if not problems:
            counts["ok"] += 1
            continue
        text = "；".join(problems)
        findings.append(RowError(number, label or headers["id_number"], text))
        rows.append([number, neutralise(label), text])
    job.output_name = f"roster-check-{timezone.localdate():%Y%m%d}.xlsx"
    job.output_data = build_workbook(
        _("Roster check"),
        [
            Column("row", str(_("Row")), width=8),
            Column("name", str(_("Name of the person")), width=14),
            Column("problem", str(_("Problem")), width=40),
        ],
        rows,
    )
    job.save(update_fields=["output_name", "output_data"])
    progress(1, 1)
    return {
        "ok": True,
        "message": _(
            "%(rows)d people on the roster: %(missing)d without a file, %(not_visited)d not visited within "
            "%(days)d days, %(no_category)d lacking the category, %(ok)d in order."
        )
        % {"rows": len(parsed), "days": days, **counts},
        "errors": [f.as_dict() for f in findings[:1000]],
        "error_count": len(findings),
        "counts": counts,
    }
