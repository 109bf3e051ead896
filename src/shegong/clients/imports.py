"""Background jobs of people served that are not ledger imports: the visit intervals after a rule change,
and the roster reconciliation. The people ledger and the visit ledger are imported through the one import
engine (clients/ledgers_people.py, clients/ledgers.py).
"""

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.clients import selectors, visiting
from shegong.clients.models import Person
from shegong.jobs.models import Job
from shegong.jobs.registry import JobError, job_handler
from shegong.lib.excel import Column, RowError, SheetError, build_workbook, neutralise, read_rows
from shegong.lib.pii import by_lookup_hash, lookup_hash, parse_resident_id
from shegong.lib.scoping import code_prefix_q


def roster_columns() -> list[Column]:
    return [
        Column("id_number", str(_("ID number")), required=True, width=22),
        Column("name", str(_("Name of the person")), width=12),
    ]


def _stream(job: Job, columns, progress) -> Iterator[tuple[int, dict, list[RowError]]]:
    try:
        with job.open_input() as upload:
            yield from read_rows(upload, columns, progress=progress)
    except SheetError as exc:
        raise JobError(str(exc)) from exc


@job_handler("clients.visit_intervals", retry_safe=True)
def visit_intervals(job, progress) -> dict:
    """After a rule change in a large region: the visit interval of its people, 20,000 at a time."""

    code = job.params.get("region", "")
    people = Person.objects.filter(code_prefix_q("region_id", code)) if code else Person.objects.all()
    bounds = people.aggregate(low=Min("id"), high=Max("id"))
    changed = 0
    if bounds["low"] is not None:
        span = bounds["high"] - bounds["low"] + 1
        for start in range(bounds["low"], bounds["high"] + 1, 20_000):
            progress(start - bounds["low"], span)
            with transaction.atomic():
                batch = people.filter(id__gte=start, id__lt=start + 20_000)
                changed += visiting.refresh_intervals(batch, area=code)
        progress(span, span)
    return {
        "ok": True,
        "message": _("%(n)d people have a new visit interval.") % {"n": changed},
        "rows": changed,
    }


# --- Roster reconciliation ----------------------------------------------------------------------


def _roster_ids(parsed, headers: dict, findings: list) -> dict[int, tuple[str, str, str]]:
    """Row number → (lookup hash, name, ID number) of each roster row whose ID number is valid; the others'
    errors go to ``findings``."""
    hashes = {}
    for number, values, row_errors in parsed:
        if row_errors:
            findings.extend(row_errors)
            continue
        try:
            parsed_id = parse_resident_id(values["id_number"])
        except ValidationError as exc:
            findings.append(RowError(number, headers["id_number"], exc.messages[0]))
            continue
        hashes[number] = (lookup_hash(parsed_id.number), values.get("name") or "", parsed_id.number)
    return hashes


def _roster_problems(person, since: dt.date, days: int, category_id, with_category: set, counts) -> list:
    if person is None:
        counts["missing"] += 1
        return [_("no file")]
    problems = []
    if not person.last_visit or person.last_visit < since:
        counts["not_visited"] += 1
        problems.append(_("not visited within %(days)d days") % {"days": days})
    if category_id and person.pk not in with_category:
        counts["no_category"] += 1
        problems.append(_("lacks the category"))
    return problems


def _roster_workbook(job, rows: list) -> None:
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


@job_handler("clients.roster_check", retry_safe=True)
def roster_check(job, progress) -> dict:
    """Compare an official roster (ID numbers and names) with the files: who has no file, who was not visited
    within N days, who lacks the roster's category. Nothing is written."""
    columns = roster_columns()
    headers = {c.key: c.header for c in columns}
    parsed = list(_stream(job, columns, progress))
    if not parsed:
        raise JobError(_("The sheet has no data rows."))
    days = int(job.params.get("days") or 90)
    category_id = job.params.get("category")
    since = timezone.localdate() - dt.timedelta(days=days)
    findings: list[RowError] = []
    hashes = _roster_ids(parsed, headers, findings)
    people = by_lookup_hash(
        selectors.person_list(user=job.created_by, active=None).annotate(
            last_visit=Max("visits__visited_on")
        ),
        "id_number_hash",
        [text for _h, _n, text in hashes.values()],
    )
    with_category = set()
    if category_id:
        with_category = set(
            Person.categories.through.objects.filter(
                category_id=category_id, person_id__in=[p.pk for p in people.values()]
            ).values_list("person_id", flat=True)
        )
    counts = {"missing": 0, "not_visited": 0, "no_category": 0, "ok": 0}
    rows = []
    for number, (digest, name, _text) in hashes.items():
        person = people.get(digest)
        label = name or (person.name if person else "")
        problems = _roster_problems(person, since, days, category_id, with_category, counts)
        if not problems:
            counts["ok"] += 1
            continue
        text = "；".join(problems)
        findings.append(RowError(number, label or headers["id_number"], text))
        rows.append([number, neutralise(label), text])
    _roster_workbook(job, rows)
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
