"""Excel templates, imports, exports and roster reconciliation for people served, run as background jobs.

Imports are all or nothing: every row goes through the same rules the pages use; if any row fails, nothing
is written and every failing row is reported by its Excel row number and the column's Chinese header. On
PostgreSQL the people ledger is checked and written in one transaction (others read and write meanwhile). On
SQLite, where a write transaction stops every other user's writes, it is checked first without writing, then
written a batch per short transaction with a journal that takes the batches back if a later one fails or the
worker dies (jobs/journal.py). The sheet is streamed and handled a batch of rows at a time, so memory does
not grow with the ledger and the queries grow with the batches, not the rows. Importing the same ledger
twice changes nothing the second time: a row whose ID number is on file updates that file. Visits are a
ledger of the import engine (clients/ledgers.py).
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, id_ranges
from shegong.clients import selectors, services, tallies, visiting
from shegong.clients.models import CareAbility, Disability, Person, RiskLevel, Sex
from shegong.jobs import journal
from shegong.jobs.models import Job
from shegong.jobs.registry import JobError, job_handler
from shegong.lib import bulk
from shegong.lib.excel import (
    Column,
    RowError,
    SheetError,
    build_workbook,
    neutralise,
    read_rows,
)
from shegong.lib.pii import by_lookup_hash, lookup_hash, parse_resident_id
from shegong.lib.scoping import code_prefix_q, in_jurisdiction, scope_to_user
from shegong.regions.models import Level, Region

YES, NO = gettext_lazy("Yes"), gettext_lazy("No")
SPLIT = re.compile(r"[、,，;；/\s]+")


def _choices(choices) -> list[str]:
    return [str(label) for _value, label in choices]


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


# Rows are checked and written this many at a time. A batch costs the same few queries whatever its size (the
# files already on file, the village codes not seen before, one insert, one update, the categories, one audit
# row), so a ledger of any length runs in bounded memory at bulk speed.
BATCH_ROWS = 1000
# SQLite writes a batch per transaction, during which no one else writes: smaller batches, shorter waits.
SHORT_BATCH_ROWS = 250


def written_batch_rows() -> int:
    """The rows written per batch (per transaction on SQLite)."""
    return min(BATCH_ROWS, SHORT_BATCH_ROWS) if journal.short_transactions() else BATCH_ROWS


# A failed import lists this many errors and counts the rest.
ERROR_LIMIT = 1000


def _stream(job: Job, columns, progress) -> Iterator[tuple[int, dict, list[RowError]]]:
    try:
        with job.open_input() as upload:
            yield from read_rows(upload, columns, progress=progress)
    except SheetError as exc:
        raise JobError(str(exc)) from exc


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(rows, size)):
        yield batch


class _Errors:
    """Every error counted, the first ERROR_LIMIT kept for the report."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.count = 0

    def extend(self, errors) -> None:
        for error in errors:
            self.count += 1
            if len(self.kept) < ERROR_LIMIT:
                self.kept.append(error)


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


def _failed(errors: _Errors, rows: int) -> dict:
    return {
        "ok": False,
        "message": _("%(count)d errors found; nothing was written. Correct the file and upload it again.")
        % {"count": errors.count},
        "errors": [e.as_dict() for e in errors.kept],
        "error_count": errors.count,
        "rows": rows,
    }


def _may_edit(user) -> None:
    if user is None or not user.can(Cap.DATA_EDIT):
        raise JobError(_("Your role may not change records of people served."))


def _villages_of(ids) -> set[str]:
    ids, villages = sorted(ids), set()
    for start in range(0, len(ids), journal.CHUNK):
        chunk = ids[start : start + journal.CHUNK]
        villages.update(Person.objects.filter(pk__in=chunk).values_list("region_id", flat=True))
    return villages


def undo_person_import(job) -> int:
    """Take back the batches a people import committed (SQLite) and recount the villages they touched. (The
    job's one audit row says it failed: jobs/registry.py, or jobs/recovery.py when its worker died.)"""
    with transaction.atomic():
        ids = journal.written_ids(job, Person)
        villages = _villages_of(ids)
        count = journal.undo(job)
        tallies.recount_villages(villages | _villages_of(ids))
    return count


def _people_in_one_transaction(job, columns, headers, progress) -> "_PeopleLedger":
    ledger = _PeopleLedger(job, headers)
    try:
        with transaction.atomic():
            for batch in _batches(_stream(job, columns, progress), BATCH_ROWS):
                ledger.take(batch)
            if ledger.errors.count:
                raise _Rollback
            # The per-village counts, once for every village the import touched (clients/tallies.py).
            tallies.recount_villages(ledger.villages)
    except _Rollback:
        pass
    if ledger.rows and not ledger.errors.count:
        progress(ledger.rows, ledger.rows)
    return ledger


def _people_in_short_transactions(job, columns, headers, progress) -> "_PeopleLedger":
    """SQLite: check every row without writing (reads take no lock), then write a batch per transaction of a
    few tens of milliseconds, journaled; the rows are checked again as they are written (someone may have
    changed a file in between), and any failure takes back what the job wrote."""
    check = _PeopleLedger(job, headers, write=False)
    for batch in _batches(_stream(job, columns, lambda done, total: progress(done, 2 * total)), BATCH_ROWS):
        check.take(batch)
    if check.errors.count or not check.rows:
        return check
    ledger = _PeopleLedger(job, headers, journal=journal.Journal(job))
    written = lambda done, total: progress(total + done, 2 * total)  # noqa: E731
    try:
        for batch in _batches(_stream(job, columns, written), written_batch_rows()):
            ledger.take(batch)  # checks the batch again, then writes it in a transaction of its own
            if ledger.errors.count:
                break
        if ledger.errors.count:
            undo_person_import(job)
            return ledger
        with transaction.atomic():
            tallies.recount_villages(ledger.villages)
            journal.forget(job)
    except BaseException:
        undo_person_import(job)
        raise
    return ledger


@job_handler("clients.person_import", audit=Event.IMPORT, undo=undo_person_import)
def person_import(job, progress) -> dict:
    """The people ledger, read, checked and written a batch at a time (see _PeopleLedger): in one transaction,
    or on SQLite in short journaled ones (see the module's docstring)."""
    user = job.created_by
    _may_edit(user)
    columns = person_columns()
    headers = {c.key: c.header for c in columns}
    run = _people_in_short_transactions if journal.short_transactions() else _people_in_one_transaction
    ledger = run(job, columns, headers, progress)
    if ledger.errors.count:
        return _failed(ledger.errors, ledger.rows)
    if not ledger.rows:
        raise JobError(_("The sheet has no data rows."))
    return {
        "audit": ledger.audit(),
        "ok": True,
        "message": _("%(rows)d rows read: %(created)d files opened, %(updated)d files updated.")
        % {"rows": ledger.rows, "created": ledger.created, "updated": ledger.updated},
        "rows": ledger.rows,
        "created": ledger.created,
        "updated": ledger.updated,
        "errors": [],
    }


def _choice_values() -> dict[str, dict[str, str]]:
    """For each choice column, its labels (in the current language) and the values they stand for."""
    return {
        key: {str(label): value for value, label in choices}
        for key, choices in (
            ("sex", Sex.choices),
            ("risk_level", RiskLevel.choices),
            ("care_ability", CareAbility.choices),
            ("disability", Disability.choices),
        )
    }


def _person_fields(values: dict, choice_values: dict[str, dict[str, str]], yes: str) -> dict:
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
    for key, values_of in choice_values.items():
        if values.get(key):
            fields[key] = values_of.get(values[key], "")
    if values.get("guardian_consent"):
        fields["guardian_consent"] = values["guardian_consent"] == yes
    return fields


# The columns an import may change on a file it meets again; compared before and after, so that a file the
# ledger leaves as it was is not written.
WRITTEN_FIELDS = (
    "name",
    "pinyin",
    "initials",
    "region_id",
    "id_number_hash",
    "id_number_last4",
    "phone_hash",
    "phone_last4",
    *services.PERSON_FIELDS,
)


@dataclass
class _Row:
    number: int
    values: dict
    region: Region
    categories: list[int]
    id_number: str  # normalised; "" for people without one
    id_hash: str  # its lookup hash; "" without one


class _PeopleLedger:
    """Checks and writes the people ledger a batch of rows at a time, inside the caller's transaction.

    Each row goes through the rules the pages use (services.person_validate); what needs the database is
    asked once per batch: the files already on file (by ID number hash, or for people without one by name
    and village), and the village codes not met before. New files are inserted and changed files updated in
    bulk, their categories added in one insert, and their stored visit status recomputed in one update. Once
    any row has failed nothing more is written (the caller rolls back), but every row is still checked so that
    the report names them all.

    Per-object audit entries would cost as much as the writes themselves: the ledger collects the ids of the
    files it opened and updated (as ranges) and the job's one audit row carries them (jobs/registry.py)."""

    def __init__(
        self, job: Job, headers: dict[str, str], *, write: bool = True, journal: journal.Journal | None = None
    ) -> None:
        self.job, self.user, self.headers = job, job.created_by, headers
        self.write, self.journal = write, journal
        # Checking without writing: new files without an ID number, met again by name in a later batch.
        self.unwritten: dict[tuple[str, str], list[Person]] = {}
        self.categories = {c.name: c.pk for c in selectors.category_list(user=self.user)}
        self.regions: dict[str, Region | None] = {}  # every code met so far; None for a code not on file
        self.seen: dict[str, int] = {}  # ID number → the row it first appeared on
        self.errors = _Errors()
        self.rows = self.created = self.updated = 0
        self.through = Person.categories.through
        self.choice_values = _choice_values()
        self.yes = str(YES)
        self.villages: set[str] = set()  # villages whose counts the import changes
        self.opened: list[int] = []  # ids of the files opened and updated, for the audit row
        self.changed: list[int] = []
        self.changed_fields: set[str] = set()
        self.categories_added = 0
        # The visit rules that may apply inside the importer's jurisdiction, for new files' intervals.
        self.rules = visiting.rules_for_area(self.user.jurisdiction_code)

    def take(self, batch: list[tuple[int, dict, list[RowError]]]) -> None:
        self.rows += len(batch)
        new_codes = {v["region"] for _n, v, _e in batch if v.get("region")} - self.regions.keys()
        if new_codes:
            found = {r.code: r for r in Region.objects.filter(code__in=new_codes).only("code", "level")}
            self.regions.update({code: found.get(code) for code in new_codes})
        rows = [row for row in (self._check(*item) for item in batch) if row is not None]
        by_hash, namesakes = self._on_file(rows)
        for key, people in self.unwritten.items():
            namesakes.setdefault(key, []).extend(people)
        created: list[Person] = []
        updated: dict[int, tuple[Person, set[str]]] = {}
        links: list[tuple[Person, list[int]]] = []
        villages = self.villages
        today = timezone.localdate()
        for row in rows:
            fields = _person_fields(row.values, self.choice_values, self.yes)
            if row.id_number:
                person = by_hash.get(row.id_hash)
                if person is not None and not in_jurisdiction(self.user, person.region_id):
                    message = _(
                        "A file with this ID number exists outside your jurisdiction; ask that region to "
                        "transfer it."
                    )
                    self.errors.extend([RowError(row.number, self.headers["id_number"], message)])
                    continue
            else:
                person = self._namesake(namesakes, row)
            new = person is None
            if new:
                person = Person(created_by_id=self.user.pk)
            before = None if person.pk is None else [getattr(person, f) for f in WRITTEN_FIELDS]
            if person.pk is not None:
                villages.add(person.region_id)  # its former village is recounted too
            try:
                services.person_validate(
                    person, name=row.values["name"], region=row.region, fields=fields, today=today
                )
            except ValidationError as exc:
                self.errors.extend(_service_errors(row.number, exc, self.headers))
                continue
            villages.add(row.region.code)
            if new:
                created.append(person)
                if not row.id_number:
                    namesakes.setdefault((person.name, row.region.code), []).append(person)
                    if not self.write:
                        self.unwritten.setdefault((person.name, row.region.code), []).append(person)
            if before is not None:
                changed = {
                    f for f, old in zip(WRITTEN_FIELDS, before, strict=True) if getattr(person, f) != old
                }
                updated.setdefault(person.pk, (person, set()))[1].update(changed)
            links.append((person, row.categories))
            self.created += new
            self.updated += not new
        if self.write and not self.errors.count:
            # Journaled (SQLite): the batch's own short transaction, opened only now that it is checked, as
            # BEGIN IMMEDIATE takes the write lock at once.
            with transaction.atomic() if self.journal is not None else nullcontext():
                self._write(created, updated, links)

    def _check(self, number: int, values: dict, row_errors: list[RowError]) -> _Row | None:
        """The import's own checks: the cells' conversion, the village, the categories, the same ID number
        twice in the file. A row failing them is not checked further (its errors would only follow from
        these)."""
        errors = list(row_errors)
        code = values.get("region") or ""
        region = self.regions.get(code)
        if code and (region is None or region.level != Level.VILLAGE):
            errors.append(
                RowError(
                    number, self.headers["region"], _("“%(code)s” is not a village code") % {"code": code}
                )
            )
        elif region is not None and not in_jurisdiction(self.user, region.code):
            errors.append(
                RowError(
                    number,
                    self.headers["region"],
                    _("village %(code)s is outside your jurisdiction") % {"code": region.code},
                )
            )
        wanted, unknown = [], []
        for name in SPLIT.split(values.get("categories") or ""):
            if name:
                (wanted.append(self.categories[name]) if name in self.categories else unknown.append(name))
        if unknown:
            errors.append(
                RowError(
                    number,
                    self.headers["categories"],
                    _("unknown category: %(names)s") % {"names": "、".join(unknown)},
                )
            )
        id_number = (values.get("id_number") or "").strip().upper().replace(" ", "")
        if id_number:
            first = self.seen.setdefault(id_number, number)
            if first != number:
                errors.append(
                    RowError(
                        number,
                        self.headers["id_number"],
                        _("the same ID number is on row %(row)d") % {"row": first},
                    )
                )
        if errors or region is None:
            self.errors.extend(errors)
            return None
        return _Row(number, values, region, wanted, id_number, lookup_hash(id_number) if id_number else "")

    def _on_file(self, rows: list[_Row]) -> tuple[dict[str, Person], dict[tuple[str, str], list[Person]]]:
        """The files the batch's rows describe, in two queries: by ID number hash across the whole country
        (one person, one file), and for people without an ID number by name and village in the
        jurisdiction."""
        by_hash = by_lookup_hash(
            Person.objects.all(), "id_number_hash", [r.id_number for r in rows if r.id_hash]
        )
        without = [row for row in rows if not row.id_number]
        namesakes: dict[tuple[str, str], list[Person]] = {}
        if without:
            candidates = (
                scope_to_user(Person.objects.all(), self.user, Cap.DATA_EDIT)
                .filter(
                    id_number_hash="",
                    name__in={row.values["name"] for row in without},
                    region_id__in={row.region.code for row in without},
                )
                .order_by("id")
            )
            for person in candidates:
                namesakes.setdefault((person.name, person.region_id), []).append(person)
        return by_hash, namesakes

    @staticmethod
    def _namesake(namesakes: dict, row: _Row) -> Person | None:
        """A file without an ID number: the same name in the same village, and the same birth date if given."""
        born = row.values.get("birth_date")
        for person in namesakes.get((row.values["name"], row.region.code), ()):
            if born is None or person.birth_date == born:
                return person
        return None

    def _write(self, created, updated, links) -> None:
        if created:
            # A new file has no visits: its stored visit status is the interval its rules give, worked out
            # here rather than by an UPDATE of the rows just written.
            categories = {id(person): set(ids) for person, ids in links}
            for person in created:
                person.visit_interval = visiting.interval_of(
                    self.rules,
                    region=person.region_id,
                    risk_level=person.risk_level,
                    category_ids=categories.get(id(person), set()),
                )
            bulk.insert(Person, created)
        if self.journal is not None:
            self.journal.inserted(Person, [p.pk for p in created])
            # Every file met again, changed or not: its visit status may follow a new category.
            self.journal.before_update(Person, list(updated))
        changed = [person for person, fields in updated.values() if fields]
        if changed:
            now = timezone.now()
            for person in changed:
                person.updated_at = now
            fields = set().union(*(fields for _p, fields in updated.values()))
            Person.objects.bulk_update(changed, [*sorted(fields), "updated_at"])
        wanted = {(person.pk, category) for person, categories in links for category in categories}
        if wanted and updated:
            wanted -= set(
                self.through.objects.filter(person_id__in=list(updated)).values_list(
                    "person_id", "category_id"
                )
            )
        if wanted:
            added = [
                self.through(person_id=person, category_id=category) for person, category in sorted(wanted)
            ]
            bulk.insert(self.through, added)
            if self.journal is not None:
                self.journal.inserted(self.through, [link.pk for link in added])
        # The stored visit status of files on record follows their risk level, categories and village, as
        # after the service's writes (one UPDATE per batch; new files got theirs before the insert).
        new = {p.pk for p in created}
        stale = {p.pk for p in changed} | {person for person, _c in wanted if person not in new}
        if stale:
            area = self.user.jurisdiction_code
            visiting.refresh_visit_status(Person.objects.filter(pk__in=stale), area=area)
        self.opened.extend(p.pk for p in created)
        self.changed.extend(updated)
        self.changed_fields.update(*(f for _p, f in updated.values()))
        self.categories_added += len(wanted)

    def audit(self) -> dict:
        """What the import's audit row records beyond its counts."""
        return {
            "files_opened": id_ranges(self.opened),
            "files_updated": id_ranges(self.changed),
            "changed_fields": sorted(self.changed_fields),
            "categories_added": self.categories_added,
        }


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


@job_handler("clients.roster_check", retry_safe=True)
def roster_check(job, progress) -> dict:
    """Compare an official roster (ID numbers and names) with the files: who has no file, who was not visited
    within N days, who lacks the roster's category. Nothing is written."""
    user = job.created_by
    columns = roster_columns()
    headers = {c.key: c.header for c in columns}
    parsed = list(_stream(job, columns, progress))
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
        hashes[number] = (lookup_hash(parsed_id.number), values.get("name") or "", parsed_id.number)
    people = by_lookup_hash(
        selectors.person_list(user=user, active=None).annotate(last_visit=Max("visits__visited_on")),
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
