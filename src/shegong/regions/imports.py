"""Population import: an Excel sheet of division codes and resident populations, all or nothing."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.models import User
from shegong.audit.services import Event
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.excel import Column, RowError, SheetError, build_workbook, read_rows
from shegong.regions.models import CODE_LENGTHS, Level
from shegong.regions.selectors import region_list
from shegong.regions.services import region_set_population, statistics_years

POPULATION_COLUMNS = [
    Column("code", gettext_lazy("Division code"), kind="code", required=True, width=16),
    Column("name", gettext_lazy("Name"), width=24),
    Column(
        "population",
        gettext_lazy("Resident population"),
        kind="int",
        min_value=0,
        max_value=200_000_000,
        width=14,
    ),
    # Plausible statistics years only (regions.services.statistics_years), bounded when the sheet is read.
    Column("year", gettext_lazy("Statistics year"), kind="int", width=10),
]


def _columns():
    # Headers are translated when the sheet is read or written, in the user's language.
    years = statistics_years()
    bounds = {"year": (years[0], years[-1])}
    return [
        Column(
            c.key,
            str(c.header),
            c.kind,
            c.required,
            c.choices,
            *bounds.get(c.key, (c.min_value, c.max_value)),
            c.width,
        )
        for c in POPULATION_COLUMNS
    ]


def population_template(*, user: User) -> bytes:
    """The template, prefilled with the divisions two levels below the user's jurisdiction, so the user
    types only numbers."""
    top = user.jurisdiction.level if user.jurisdiction_id else 0
    deepest = min(top + 2, Level.VILLAGE)
    qs = region_list(user=user).filter(level__gt=top, level__lte=deepest).order_by("code")
    rows = [[r.code, r.name, r.population, r.population_year] for r in qs.iterator()]
    note = _(
        "Fill in the resident population of each division. Keep the division code column as it is; "
        "rows left without a population are skipped. If any row has an error, nothing is written."
    )
    return build_workbook(_("Population"), _columns(), rows, note)


@job_handler("regions.population_import", audit=Event.IMPORT)
def population_import(job, progress) -> dict:
    user = job.created_by
    try:
        with job.open_input() as upload:
            parsed = list(read_rows(upload, _columns(), progress=lambda d, t: progress(d, t * 2)))
    except SheetError as exc:
        raise JobError(str(exc)) from exc
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    codes = [values["code"] for _, values, _errs in parsed if values.get("code")]
    visible = (
        set(region_list(user=user).filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    )
    header = {c.key: str(c.header) for c in POPULATION_COLUMNS}
    for number, values, row_errors in parsed:
        errors.extend(row_errors)
        code = values.get("code")
        if not code:
            continue
        if len(code) not in CODE_LENGTHS.values():
            errors.append(
                RowError(number, header["code"], _("“%(code)s” is not a division code") % {"code": code})
            )
        elif code not in visible:
            errors.append(
                RowError(
                    number, header["code"], _("no division %(code)s in your jurisdiction") % {"code": code}
                )
            )
        if code in seen:
            errors.append(
                RowError(
                    number,
                    header["code"],
                    _("%(code)s is already on row %(row)d") % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
    if not parsed:
        raise JobError(_("The sheet has no data rows."))
    skipped = sum(1 for _n, values, errs in parsed if not errs and values.get("population") is None)
    parsed = [row for row in parsed if row[2] or row[1].get("population") is not None]
    if not parsed and not errors:
        raise JobError(_("No row has a population filled in; nothing was written."))
    if errors:
        return {
            "ok": False,
            "message": _("%(count)d errors found; nothing was written. Correct the file and upload it again.")
            % {"count": len(errors)},
            "errors": [e.as_dict() for e in errors[:1000]],
            "error_count": len(errors),
            "rows": len(parsed),
        }
    total = len(parsed)
    regions = {r.code: r for r in region_list(user=user).filter(code__in=codes)}
    changed = 0
    with transaction.atomic():
        for index, (_number, values, _errs) in enumerate(parsed):
            region = regions[values["code"]]
            if region.population != values["population"] or region.population_year != values["year"]:
                region_set_population(
                    actor=user, region=region, population=values["population"], year=values["year"]
                )
                changed += 1
            if index % 200 == 0:
                progress(total + index, total * 2)
    progress(total * 2, total * 2)
    return {
        "ok": True,
        "message": _(
            "%(rows)d rows read, %(changed)d populations changed, %(skipped)d rows without a population skipped."
        )
        % {"rows": total + skipped, "changed": changed, "skipped": skipped},
        "rows": total + skipped,
        "skipped": skipped,
        "changed": changed,
        "errors": [],
    }
