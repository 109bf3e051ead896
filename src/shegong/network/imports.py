"""Stations in bulk from Excel: the template, and the import that first previews every row's errors and then,
when the user confirms, writes all rows in one transaction or none.

Both steps run as background jobs (jobs/), so a file of thousands of rows shows a progress bar instead of
holding a request. Each row is checked by services.facility_validate, the same function the pages and the
API go through, plus the checks only a file needs (a code repeated within the file).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.models import User
from shegong.accounts.roles import Cap
from shegong.audit.services import Event
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.excel import Column, RowError, SheetError, build_workbook, read_rows
from shegong.network import selectors, services
from shegong.network.inputs import FACILITY
from shegong.network.models import Facility, FacilityStatus, Kind, OperatingMode, Premises

IMPORT_KIND = "network.station_import"
PREVIEW_ROWS = 200

# key, header, kind, required, choices (a TextChoices class), extra
_SPEC = [
    ("kind", gettext_lazy("Level of facility"), "choice", True, Kind, {"width": 18}),
    ("region_code", gettext_lazy("Division code"), "code", True, None, {"width": 14}),
    ("name", gettext_lazy("Name"), "text", True, None, {"width": 28}),
    ("status", gettext_lazy("Status"), "choice", True, FacilityStatus, {"width": 10}),
    ("status_date", gettext_lazy("Status since"), "date", False, None, {"width": 12}),
    ("address", gettext_lazy("Address"), "text", False, None, {"width": 28}),
    ("premises", gettext_lazy("Premises"), "choice", False, Premises, {"width": 12}),
    ("shared_with", gettext_lazy("Shared with"), "text", False, None, {"width": 16}),
    ("floor_area", FACILITY.limits("floor_area").label, "int", False, None, FACILITY.bounds("floor_area")),
    ("opened_on", gettext_lazy("Opening date"), "date", False, None, {"width": 12}),
    ("operating_mode", gettext_lazy("Operating mode"), "choice", False, OperatingMode, {"width": 20}),
    ("agency_name", gettext_lazy("Operating agency"), "text", False, None, {"width": 24}),
    ("agency_credit_code", gettext_lazy("Agency credit code"), "text", False, None, {"width": 20}),
    ("contact_name", gettext_lazy("Contact person"), "text", False, None, {"width": 10}),
    ("contact_phone", gettext_lazy("Contact phone"), "text", False, None, {"width": 14}),
    ("brand", gettext_lazy("Brand (one station, one brand)"), "text", False, None, {"width": 18}),
    ("built_on", gettext_lazy("Built on"), "date", False, None, {"width": 12}),
]
CHOICES = {key: choices for key, _h, _k, _r, choices, _x in _SPEC if choices}


def columns() -> list[Column]:
    """The template's columns, headers and dropdown values in the current language."""
    result = []
    for key, header, kind, required, choices, extra in _SPEC:
        result.append(
            Column(
                key,
                str(header),
                kind=kind,
                required=required,
                choices=[str(label) for label in choices.labels] if choices else [],
                min_value=extra.get("min_value"),
                max_value=extra.get("max_value"),
                width=extra.get("width", 16),
            )
        )
    return result


def station_template() -> bytes:
    example = [
        str(Kind.TOWNSHIP_STATION.label),
        "522301001",
        "（示例，请删除）黄草街道社会工作服务站",
        str(FacilityStatus.OPERATING.label),
        "2023-06-30",
        "",
        str(Premises.SHARED.label),
        "",
        120,
        "2023-06-30",
        str(OperatingMode.COMMISSIONED.label),
        "",
        "",
        "",
        "",
        "",
        "2023-03-15",
    ]
    note = _(
        "One row per facility. Choose the level, status, premises and operating mode from the dropdowns. "
        "The division code is the 12-digit statistical code without trailing zeros: 6 digits for a county, "
        "9 for a township, 12 for a village. Delete the example row. The upload is checked first and shows "
        "every row's problems; nothing is written until you confirm, and then all rows are written or none."
    )
    return build_workbook(_("Facilities"), columns(), [example], note)


def _values_from_labels(values: dict) -> dict:
    """Turn dropdown labels back into stored values (read_rows has already refused anything off the list)."""
    converted = dict(values)
    for key, choices in CHOICES.items():
        label = values.get(key)
        if label:
            converted[key] = {str(lab): value for value, lab in choices.choices}[label]
        elif label is None:
            converted[key] = ""
    return converted


def check_rows(*, user: User, data, progress=None) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Read and check every row. Returns the rows ready for facility_create (with their Excel row numbers)
    and the list of every problem found; the rows are to be written only if there are no problems."""
    cols = columns()
    header = {c.key: c.header for c in cols}
    try:
        parsed = list(read_rows(data, cols, progress=progress))
    except SheetError as exc:
        raise JobError(str(exc)) from exc
    if not parsed:
        raise JobError(_("The sheet has no data rows."))
    codes = {values["region_code"] for _n, values, _e in parsed if values.get("region_code")}
    regions = selectors.network_regions_by_code(user=user, codes=codes, capability=Cap.NETWORK_MANAGE)
    errors: list[RowError] = []
    ready: list[tuple[int, dict]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw, row_errors in parsed:
        errors.extend(row_errors)
        if row_errors:
            continue
        values = _values_from_labels(raw)
        code = values.pop("region_code")
        region = regions.get(code)
        if region is None:
            errors.append(
                RowError(
                    number,
                    header["region_code"],
                    _("no division %(code)s in your jurisdiction") % {"code": code},
                )
            )
            continue
        key = (values["kind"], code)
        if values["kind"] != Kind.UNIT_STATION and values["status"] != FacilityStatus.CLOSED:
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        header["region_code"],
                        _("%(code)s already has a %(kind)s on row %(row)d")
                        % {"code": code, "kind": Kind(values["kind"]).label, "row": seen[key]},
                    )
                )
                continue
            seen[key] = number
        kwargs = {"region": region, **values}
        try:
            _validate(user, kwargs)
        except ValidationError as exc:
            errors.extend(_row_errors(number, exc, header))
            continue
        ready.append((number, kwargs))
    return ready, errors


def _validate(user, kwargs: dict, *, given: bool = False) -> Facility:
    FACILITY.check(kwargs)  # the contact phone, as the page and the API check it
    values = dict(kwargs)
    status = values.pop("status")
    status_date = values.pop("status_date")
    services.check_built_on(
        status=status, status_date=status_date or services.today(), built_on=values.pop("built_on", None)
    )
    facility = services.facility_build(
        kind=values.pop("kind"), region=values.pop("region"), name=values.pop("name"), **values
    )
    facility.status = status
    facility.status_since = status_date or services.today()
    if status_date and status_date > services.today():
        raise ValidationError({"status_date": _("The date is in the future.")})
    services.facility_validate(facility, actor=user, given=given)
    return facility


# Model fields named in a ValidationError map to the template's columns.
_FIELD_COLUMNS = {"region": "region_code", "status_since": "status_date", "__all__": "region_code"}


def _row_errors(number: int, exc: ValidationError, header: dict) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, header["name"], message) for message in exc.messages]
    result = []
    for field, messages in exc.message_dict.items():
        column = header.get(_FIELD_COLUMNS.get(field, field), header["name"])
        result.extend(RowError(number, column, message) for message in messages)
    return result


def _preview(ready: list[tuple[int, dict]]) -> list[dict]:
    rows = []
    for number, kwargs in ready[:PREVIEW_ROWS]:
        rows.append(
            {
                "row": number,
                "kind": str(Kind(kwargs["kind"]).label),
                "code": kwargs["region"].code,
                "division": kwargs["region"].name,
                "name": kwargs["name"],
                "status": str(FacilityStatus(kwargs["status"]).label),
            }
        )
    return rows


@job_handler(IMPORT_KIND, audit=Event.IMPORT)
def station_import(job, progress) -> dict:
    """Check the file (params.commit false: the preview) or check it again and write it (commit true)."""
    user = job.created_by
    commit = bool(job.params.get("commit"))
    with job.open_input() as upload:
        ready, errors = check_rows(
            user=user, data=upload, progress=lambda d, t: progress(d, t * 2 if commit else t)
        )
    rows = len(ready) + len({e.row for e in errors})
    if errors:
        return {
            "ok": False,
            "commit": commit,
            "message": _("%(count)d errors found; nothing was written. Correct the file and upload it again.")
            % {"count": len(errors)},
            "errors": [e.as_dict() for e in errors[:1000]],
            "error_count": len(errors),
            "rows": rows,
        }
    if not commit:
        return {
            "ok": True,
            "commit": False,
            "keep_input": True,  # the confirmation job reads the checked file again
            "audit": False,  # a preview writes nothing: the confirmed write is the import on record
            "message": _("All %(rows)d rows are valid. Check the preview and confirm to write them.")
            % {"rows": rows},
            "rows": rows,
            "preview": _preview(ready),
            "errors": [],
        }
    total = len(ready)
    created = 0
    try:
        with transaction.atomic():
            for index, (number, kwargs) in enumerate(ready):
                try:
                    services.facility_create(actor=user, **kwargs)
                except ValidationError as exc:
                    raise _RowFailed(_row_errors(number, exc, {c.key: c.header for c in columns()})) from exc
                created += 1
                if index % 50 == 0:
                    progress(total + index, total * 2)
    except _RowFailed as failed:
        return {
            "ok": False,
            "commit": True,
            "message": _("A row could not be written; nothing was written."),
            "errors": [e.as_dict() for e in failed.errors],
            "error_count": len(failed.errors),
            "rows": rows,
        }
    progress(total * 2, total * 2)
    return {
        "ok": True,
        "commit": True,
        "message": _("%(count)d facilities registered.") % {"count": created},
        "created": created,
        "rows": rows,
        "errors": [],
    }


class _RowFailed(Exception):
    def __init__(self, errors):
        super().__init__("row failed")
        self.errors = errors
