"""The engine: one job kind (``importer.run``) that checks a ledger's file and, once confirmed, writes it.

Steps, the same for every ledger (ledger.py says how one is declared):
1. read the file (reading.py: .xlsx, .xls, .csv in UTF-8/GBK), refusing bad files with a message;
2. find the table (table.py): header row under titles, two-row headers, 序号 columns, 合计 rows, notes;
3. map columns to fields by synonyms and by the mappings the jurisdiction saved (ImportMapping);
4. clean every cell by its field's kind (cleaning.py), resolve names (resolvers.py), then the ledger's batch
   look-ups (``prepare``) and rules (``check``), and the engine's own: the same row twice in the file, a row
   already imported (skipped, so that uploading the same file again adds nothing);
5. a preview (``commit`` false): every error in one pass, the columns and values it did not recognise, what it
   skipped, and the user's own workbook annotated (stored as the job's output);
6. the write (``commit`` true, after the user confirms): all or nothing, or the valid rows with the others held
   (HeldRow). On SQLite in short journaled transactions (jobs/journal.py), taken back if one fails; on
   PostgreSQL in one transaction.
"""

import hashlib
import hmac
import io
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from shegong.audit.services import Event, audit_event
from shegong.jobs import journal
from shegong.jobs.models import Job
from shegong.jobs.registry import JobError, job_handler
from shegong.jobs.services import job_output_store
from shegong.lib.guard import require
from shegong.lib.importer import annotate
from shegong.lib.importer.cleaning import (
    CellError,
    as_text,
    clean_bool,
    clean_code,
    clean_date,
    clean_decimal,
    clean_duration,
    clean_id_number,
    clean_int,
    clean_period,
    clean_phone,
    clean_sex,
    squash,
)
from shegong.lib.importer.ledger import Field, Ledger, Row, ledger_get
from shegong.lib.importer.models import HeldRow, ImportedRow, ImportMapping, MappingKind
from shegong.lib.importer.reading import ReadError, read_book
from shegong.lib.importer.resolvers import RESOLVERS
from shegong.lib.importer.table import Skipped, data_rows, find_layout, header_keys, skipped_messages
from shegong.lib.pii import decrypt, encrypt, mask_id_number

IMPORT_KIND = "importer.run"
ALL_OR_NOTHING, VALID_ROWS = "all_or_nothing", "valid_rows"
MODES = (ALL_OR_NOTHING, VALID_ROWS)
ERRORS_SHOWN = 2000
PREVIEW_ROWS = 50


class UnknownValue(CellError):
    """A value the field does not know (yet): an error, and a value the user may map once."""


@dataclass
class Context:
    user: object
    ledger: Ledger
    job: object = None
    period: object = None
    mode: str = ALL_OR_NOTHING
    values: dict = field(default_factory=dict)  # field key → {squashed value → stored value}
    cache: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)  # field key → the header the file gives it
    unknown: dict = field(default_factory=dict)  # field key → Counter of values not recognised

    def unknown_value(self, row: Row, key: str, text: str, message: str) -> None:
        """For a ledger's prepare(): a value the field does not know, which the user may map once."""
        self.unknown.setdefault(key, Counter())[text] += 1
        row.error(key, message)

    def mapped(self, key: str, text: str):
        """The stored value the jurisdiction mapped ``text`` of field ``key`` to, or None."""
        return self.values.get(key, {}).get(squash(text))

    def index(self, name: str):
        if name not in self.cache:
            self.cache[name] = RESOLVERS[name](self.user)
        return self.cache[name]


# --- Mappings -----------------------------------------------------------------------------------------------


def saved_mappings(scope_code: str, ledger_key: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(squashed header → field key or "" to ignore, field key → {squashed value → stored value})."""
    columns, values = {}, defaultdict(dict)
    for m in ImportMapping.objects.filter(scope_code=scope_code, ledger=ledger_key):
        if m.kind == MappingKind.COLUMN:
            columns[m.source] = m.target
        else:
            values[m.field][m.source] = m.target
    return columns, dict(values)


def mapping_save(*, actor, ledger: Ledger, columns: dict | None = None, values: dict | None = None) -> int:
    """Remember, for the actor's jurisdiction, that a header means a field ("" = ignore the column) and that a
    value of a field means a stored value. Refuses fields and values the ledger does not have."""
    require(actor, ledger.capability)
    keys = {f.key: f for f in ledger.fields}
    count = 0
    with transaction.atomic():
        for header, key in (columns or {}).items():
            if key and key not in keys:
                raise ValidationError(_("The ledger has no field “%(key)s”.") % {"key": key})
            source = header_keys(str(header))[0]
            if not source:
                continue
            ImportMapping.objects.update_or_create(
                scope_code=actor.jurisdiction_code,
                ledger=ledger.key,
                kind=MappingKind.COLUMN,
                field="",
                source=source[:200],
                defaults={"target": key or "", "created_by": actor},
            )
            count += 1
        for key, pairs in (values or {}).items():
            f = keys.get(key)
            if f is None:
                raise ValidationError(_("The ledger has no field “%(key)s”.") % {"key": key})
            allowed = {str(code) for code, _label in ledger.choices_for(key, actor)}
            for value, target in (pairs or {}).items():
                target = str(target)
                if allowed and target not in allowed:
                    raise ValidationError(
                        _("“%(value)s” is not a value of “%(field)s”.") % {"value": target, "field": f.label}
                    )
                ImportMapping.objects.update_or_create(
                    scope_code=actor.jurisdiction_code,
                    ledger=ledger.key,
                    kind=MappingKind.VALUE,
                    field=key,
                    source=squash(str(value))[:200],
                    defaults={"target": target[:200], "created_by": actor},
                )
                count += 1
    return count


# --- Cleaning one cell --------------------------------------------------------------------------------------


def _choice(f: Field, value, ctx: Context):
    key = squash(as_text(value))
    taught = ctx.values.get(f.key, {})
    if key in taught:
        return _typed(f, taught[key])
    # The field's labels, codes and words, squashed once per check (not once per cell: labels are lazy text).
    words = ctx.cache.get(("choice", f.key))
    if words is None:
        words = {}
        for code, label in f.choices:
            words.setdefault(squash(str(label)), code)
            words.setdefault(squash(str(code)), code)
        for word, code in f.values.items():
            words.setdefault(squash(word), code)
        ctx.cache[("choice", f.key)] = words
    if key in words:
        return words[key]
    if f.kind == "bool":
        return clean_bool(value)
    raise UnknownValue(
        _("“%(value)s” is not one of: %(choices)s")
        % {"value": as_text(value), "choices": "、".join(str(label) for _c, label in f.choices)}
    )


def _typed(f: Field, target: str):
    if f.kind == "bool" and not f.choices:
        return target in ("True", "true", "1", "是")
    return target


def clean_cell(f: Field, value, ctx: Context):
    text = as_text(value)
    if text == "":
        if f.required:
            raise CellError(_("is required"))
        return None
    if f.clean is not None:
        return f.clean(value, ctx)
    kind = f.kind
    if kind in ("text", "ref"):
        if f.max_length and len(text) > f.max_length:
            raise CellError(
                _("is %(n)s characters long; at most %(max)s") % {"n": f"{len(text):,}", "max": f.max_length}
            )
        if kind == "ref":
            taught = ctx.values.get(f.key, {})
            return taught.get(squash(text), text)
        return text
    if kind == "code":
        return clean_code(value)
    if kind == "int":
        return clean_int(value, min_value=f.min_value, max_value=f.max_value)
    if kind == "decimal":
        return clean_decimal(value)
    if kind in ("date", "month"):
        return clean_date(value, period=ctx.period, month_only_ok=True)
    if kind == "phone":
        return clean_phone(value)
    if kind == "id_number":
        return clean_id_number(value)
    if kind == "sex":
        taught = ctx.values.get(f.key, {})
        return taught.get(squash(text)) or clean_sex(value)
    if kind == "duration":
        minutes = clean_duration(value)
        if (
            f.min_value is not None
            and minutes < f.min_value
            or f.max_value is not None
            and minutes > f.max_value
        ):
            raise CellError(_("“%(value)s” is not a plausible duration") % {"value": text})
        return minutes
    if kind in ("choice", "bool"):
        if kind == "bool" and not f.choices and not ctx.values.get(f.key):
            return clean_bool(value)
        return _choice(f, value, ctx)
    raise ValueError(kind)


# --- Checking a file ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    ledger: Ledger
    book_kind: str = ""
    layout: object = None
    rows: list[Row] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unknown_values: dict = field(default_factory=dict)  # field key → Counter of values
    already: list[Row] = field(default_factory=list)
    fingerprints: dict = field(default_factory=dict)  # row number → hash

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def good_rows(self) -> list[Row]:
        already = {id(r) for r in self.already}
        return [r for r in self.rows if not r.errors and id(r) not in already]

    def header_of(self, key: str) -> str:
        if self.layout is not None:
            for j, k in self.layout.columns.items():
                if k == key:
                    return self.layout.headers[j]
        try:
            return str(self.ledger.field(key).label)
        except StopIteration:
            return ""

    def errors(self) -> list[dict]:
        result = []
        for row in self.bad_rows:
            for key, message in row.errors:
                column = self.header_of(key) if key else ""
                text = (
                    _("Row %(row)d, “%(column)s”: %(message)s")
                    % {"row": row.number, "column": column, "message": message}
                    if column
                    else _("Row %(row)d: %(message)s") % {"row": row.number, "message": message}
                )
                result.append(
                    {"row": row.number, "column": column, "field": key, "message": message, "text": text}
                )
        return result


def _fingerprint(ledger: Ledger, scope: str, text: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{scope}|{ledger.key}|{text}".encode(), hashlib.sha256).hexdigest()


def check_file(
    *,
    user,
    ledger: Ledger,
    data: bytes,
    period=None,
    mode=ALL_OR_NOTHING,
    mapping=None,
    job=None,
    progress=None,
) -> Outcome:
    """Read and check every row of ``data``; write nothing. ``mapping`` (columns/values) is applied on top of
    the jurisdiction's saved mappings (and is not saved)."""
    progress = progress or (lambda done, total: None)
    outcome = Outcome(ledger)
    try:
        book = read_book(data)
    except ReadError as exc:
        raise JobError(str(exc)) from exc
    outcome.book_kind = book.kind
    columns, values = saved_mappings(user.jurisdiction_code, ledger.key)
    mapping = mapping or {}
    for header, key in (mapping.get("columns") or {}).items():
        columns[header_keys(str(header))[0]] = key or ""
    for key, pairs in (mapping.get("values") or {}).items():
        values.setdefault(key, {}).update({squash(str(v)): str(t) for v, t in (pairs or {}).items()})
    ctx = Context(user=user, ledger=ledger, job=job, period=period, mode=mode, values=values)
    ctx.unknown = outcome.unknown_values
    names = {}
    for f in ledger.fields:
        for name in f.names():
            names[name] = f.key
    names.update({source: key for source, key in columns.items() if key})
    ignore = {source for source, key in columns.items() if not key}
    # The column the annotated workbook adds (annotate.py): a corrected file comes back with it.
    ignore.add(header_keys(_("Errors"))[0])
    required = [f.key for f in ledger.fields if f.required]
    layout = find_layout(book, names, ignore, required)
    if layout is None:
        outcome.file_errors.append(
            _("No header row found in the first rows of any sheet. The ledger's columns are: %(names)s")
            % {"names": "、".join(str(f.label) for f in ledger.fields)}
        )
        return outcome
    outcome.layout = layout
    ctx.headers = {key: layout.headers[j] for j, key in layout.columns.items()}
    present = set(layout.columns.values())
    missing = [
        f for f in ledger.fields if f.required and f.key not in present and not _derived(ledger, f, present)
    ]
    if missing:
        outcome.file_errors.append(
            _("Required columns not found: %(names)s. Map a column of your file to each, or add it.")
            % {"names": "、".join(str(f.label) for f in missing)}
        )
    skipped = Skipped()
    fields = {f.key: f for f in ledger.fields}
    positions = sorted(layout.columns.items())
    raw = list(data_rows(layout, skipped))
    total = len(raw)
    progress(0, total)
    for index, (number, cells) in enumerate(raw):
        row = Row(number, {key: cells[j] if j < len(cells) else None for j, key in positions})
        _clean_row(row, fields, outcome, ctx)
        outcome.rows.append(row)
        if index % 500 == 0:
            progress(index, total)
    outcome.skipped = skipped_messages(layout, skipped)
    if not outcome.rows and not outcome.file_errors:
        outcome.file_errors.append(_("The table has a header but no data rows."))
    if outcome.file_errors:
        return outcome
    _check_rows(outcome, ctx)
    progress(total, total)
    return outcome


def _clean_row(row: Row, fields: dict[str, Field], outcome: Outcome, ctx: Context) -> None:
    """Clean each cell of ``row`` by its field's kind; unknown values are counted for mapping."""
    for key, value in row.cells.items():
        try:
            row.values[key] = clean_cell(fields[key], value, ctx)
        except UnknownValue as exc:
            outcome.unknown_values.setdefault(key, Counter())[as_text(value)] += 1
            row.error(key, str(exc))
        except CellError as exc:
            row.error(key, str(exc))
    for key in fields:
        row.values.setdefault(key, None)


def _check_rows(outcome: Outcome, ctx: Context) -> None:
    """The checks after cleaning: names resolved, the ledger's look-ups, duplicates and rows imported before,
    the ledger's rules."""
    _resolve(outcome.rows, ctx)
    ctx.ledger.prepare(outcome.rows, ctx)
    _duplicates(outcome, ctx)
    # Rows imported before are skipped, not checked again (the domain would refuse them as duplicates).
    already = {id(r) for r in outcome.already}
    ctx.ledger.check([r for r in outcome.rows if id(r) not in already], ctx)


def _derived(ledger: Ledger, f: Field, present: set[str]) -> bool:
    """A required field the ledger can do without when other columns are there (person: ID or name+village)."""
    alternatives = getattr(ledger, "alternatives", {}).get(f.key)
    return bool(alternatives) and any(set(option) <= present for option in alternatives)


def _resolve(rows: list[Row], ctx: Context) -> None:
    for f in ctx.ledger.fields:
        if f.kind != "ref" or not f.resolve:
            continue
        index = ctx.index(f.resolve)
        answers = {}
        for row in rows:
            text = row.values.get(f.key)
            if not isinstance(text, str) or not text:
                continue
            if text not in answers:
                answers[text] = index.find(text)
            obj, message = answers[text]
            if message:
                row.values[f.key] = None
                row.error(f.key, message)
            else:
                row.values[f.key] = obj


def _duplicates(outcome: Outcome, ctx: Context) -> None:
    scope, ledger = ctx.user.jurisdiction_code, ctx.ledger
    seen: dict[str, int] = {}
    for row in outcome.rows:
        if row.errors:
            continue
        text = ledger.fingerprint(row)
        if text is None:
            continue
        digest = _fingerprint(ledger, scope, text)
        if digest in seen:
            row.error("", _("the same as row %(row)d") % {"row": seen[digest]})
            continue
        seen[digest] = row.number
        outcome.fingerprints[row.number] = digest
    known = set()
    digests = list(outcome.fingerprints.values())
    for start in range(0, len(digests), 500):
        known.update(
            ImportedRow.objects.filter(
                scope_code=scope, ledger=ledger.key, fingerprint__in=digests[start : start + 500]
            ).values_list("fingerprint", flat=True)
        )
    outcome.already = [r for r in outcome.rows if outcome.fingerprints.get(r.number) in known]


# --- Writing ------------------------------------------------------------------------------------------------


class _RowFailed(Exception):
    def __init__(self, row: Row):
        super().__init__("row failed")
        self.row = row


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [("" if k == "__all__" else k, m) for k, ms in exc.message_dict.items() for m in ms]
    return [("", m) for m in exc.messages]


class _Writer:
    """The write of an import's good rows, a batch at a time: on SQLite in short journaled transactions (taken
    back whole if one fails), on PostgreSQL in one transaction."""

    def __init__(self, outcome: Outcome, ctx: Context, progress):
        self.outcome, self.ctx, self.progress = outcome, ctx, progress
        self.ledger, self.job = ctx.ledger, ctx.job
        self.short = journal.short_transactions()
        self.book = journal.Journal(self.job) if self.short else None
        self.fields = {f.key for f in self.ledger.fields}
        self.failed: list[Row] = []
        self.written = 0

    def _one(self, row: Row, created) -> bool:
        """One row through the ledger's write(), which names the row that fails; whether it went in."""
        try:
            with transaction.atomic():
                objects = self.ledger.write(row, self.ctx)
        except ValidationError as exc:
            for key, message in _messages(exc):
                row.error(key if key in self.fields else "", message)
            if self.ctx.mode == ALL_OR_NOTHING:
                raise _RowFailed(row) from exc
            self.failed.append(row)
            return False
        for obj in objects or []:
            created[type(obj)].append(obj.pk)
        return True

    def _mark(self, row: Row) -> ImportedRow | None:
        digest = self.outcome.fingerprints.get(row.number)
        if not digest:
            return None
        return ImportedRow(
            scope_code=self.ctx.user.jurisdiction_code,
            ledger=self.ledger.key,
            fingerprint=digest,
            job_id=self.job.pk if self.job else None,
            row=row.number,
        )

    def batch(self, batch: list[Row]) -> None:
        created = defaultdict(list)
        marks = []
        # A ledger may write rows of the batch at once (write_many: bulk inserts); if that refuses, every row
        # goes through write() on its own, which names the row that fails.
        try:
            with transaction.atomic():
                objects, rest = self.ledger.write_many(batch, self.ctx)
        except ValidationError:
            objects, rest = [], batch
        for obj in objects:
            created[type(obj)].append(obj.pk)
        single = {id(row) for row in rest}
        for row in batch:
            if id(row) in single and not self._one(row, created):
                continue
            mark = self._mark(row)
            if mark is not None:
                marks.append(mark)
            self.written += 1
        ImportedRow.objects.bulk_create(marks)
        if self.book is not None:
            for model, ids in created.items():
                self.book.inserted(model, ids)
            self.book.inserted(ImportedRow, [m.pk for m in marks])

    def batch_once(self, batch: list[Row]) -> None:
        """One short transaction; if it is refused (a busy database), what it counted is taken back too."""
        before = (self.written, len(self.failed), [len(row.errors) for row in batch])
        try:
            with transaction.atomic():
                self.batch(batch)
        except OperationalError:
            self.written = before[0]
            del self.failed[before[1] :]
            for row, count in zip(batch, before[2], strict=True):
                del row.errors[count:]
            raise

    def in_short_transactions(self, rows: list[Row]) -> None:
        # Batches bounded in time as well as in rows (jobs/journal.py): others' writes wait a moment at most.
        total, start, size = len(rows), 0, self.ledger.batch_size
        while start < total:
            batch = rows[start : start + size]
            began = time.monotonic()
            journal.busy_retry(lambda batch=batch: self.batch_once(batch))
            took = time.monotonic() - began
            start += len(batch)
            self.progress(total + start, total * 2)
            size = journal.next_batch_size(size, took, self.ledger.batch_size)
            journal.let_others_write(took)
        if self.written:
            journal.busy_retry(lambda: _finish(self.ledger, self.ctx))
        if self.job is not None:
            journal.forget(self.job)

    def in_one_transaction(self, rows: list[Row]) -> None:
        total, size = len(rows), self.ledger.batch_size
        with transaction.atomic():
            for number, start in enumerate(range(0, total, size)):
                self.batch(rows[start : start + size])
                self.progress(total + min(total, (number + 1) * size), total * 2)
            if self.written:
                self.ledger.finish(self.ctx)

    def run(self) -> tuple[int, list[Row]]:
        rows = self.outcome.good_rows
        try:
            if self.short:
                self.in_short_transactions(rows)
            else:
                self.in_one_transaction(rows)
        except BaseException:
            if self.short and self.job is not None:
                undo_import(self.job)
            raise
        return self.written, self.failed


def write_rows(outcome: Outcome, ctx: Context, progress) -> tuple[int, list[Row]]:
    """Write the good rows; returns (rows written, rows that failed as they were written)."""
    return _Writer(outcome, ctx, progress).run()


def _finish(ledger: Ledger, ctx: Context) -> None:
    with transaction.atomic():
        ledger.finish(ctx)


def undo_import(job) -> int:
    """Take back what an import wrote in short transactions (also called by jobs/recovery.py)."""
    ledger = ledger_get(job.params.get("ledger", ""))
    if ledger is not None:
        count = ledger.undo(job)
        if count is not None:
            return count
    return journal.undo(job)


# --- The job ------------------------------------------------------------------------------------------------


def _held_fields(outcome: Outcome, row: Row, ledger: Ledger) -> dict:
    """A held row's stored form: cells by header (ID numbers masked), errors, headers by field key, and the ID
    numbers that were right in the file, encrypted (a wrong one, e.g. a number cell, is never kept)."""
    cells, columns, sealed = {}, {}, {}
    wrong = {k for k, _m in row.errors}
    for key, value in row.cells.items():
        f = ledger.field(key)
        header = outcome.header_of(key)
        text = as_text(value)
        if f.kind == "id_number" and text:
            if key not in wrong and isinstance(value, str):
                sealed[key] = encrypt(text)
            text = mask_id_number(text)
        cells[header] = text[:200]
        columns[key] = header
    return {
        "cells": cells,
        "columns": columns,
        "sealed": sealed,
        "errors": [{"column": outcome.header_of(k) if k else "", "message": m} for k, m in row.errors],
    }


def _held(outcome: Outcome, rows: list[Row], ctx: Context) -> None:
    scope, ledger = ctx.user.jurisdiction_code, ctx.ledger
    HeldRow.objects.filter(scope_code=scope, ledger=ledger.key).delete()
    held = [
        HeldRow(
            scope_code=scope,
            ledger=ledger.key,
            job_id=ctx.job.pk,
            row=row.number,
            **_held_fields(outcome, row, ledger),
        )
        for row in rows
    ]
    HeldRow.objects.bulk_create(held)


def held_row_correct(*, actor, held: HeldRow, cells: dict[str, str]) -> list[dict]:
    """Check a held row again with the cells the user corrected (field key → text; an ID number left empty
    keeps the file's, when it was right) through the same cleaning, look-ups and ledger rules as a file, and
    write it through the same write step, credited to its import and row. Returns the row's errors: none
    means it was written (or had been imported before) and is no longer held."""
    ledger = ledger_get(held.ledger)
    if ledger is None or held.scope_code != actor.jurisdiction_code:
        raise ValidationError(_("You may not import this ledger."))
    require(actor, ledger.capability)
    job = Job.objects.filter(pk=held.job_id).first()
    params = job.params if job is not None else {}
    try:
        period = clean_period(params.get("period") or "")
    except CellError:
        period = None
    fields = {f.key: f for f in ledger.fields}
    columns = {k: v for k, v in (held.columns or {}).items() if k in fields}
    texts = {}
    for key in columns:
        text = str(cells.get(key, "") or "").strip()[:1000]
        if not text and key in (held.sealed or {}):
            text = decrypt(held.sealed[key])
        texts[key] = text
    _columns, values = saved_mappings(actor.jurisdiction_code, ledger.key)
    ctx = Context(user=actor, ledger=ledger, job=job, period=period, mode=VALID_ROWS, values=values)
    ctx.headers = dict(columns)
    outcome = Outcome(ledger)
    ctx.unknown = outcome.unknown_values
    row = Row(held.row, texts)
    _clean_row(row, fields, outcome, ctx)
    outcome.rows = [row]
    header = {key: columns.get(key) or str(f.label) for key, f in fields.items()}
    outcome.header_of = lambda key: header.get(key, "")  # the file's headers, as the list shows them
    _check_rows(outcome, ctx)
    with transaction.atomic():
        if not row.errors and not outcome.already:
            write_rows(outcome, ctx, lambda done, total: None)
        if row.errors:
            stored = _held_fields(outcome, row, ledger)
            for key in held.sealed or {}:  # kept while the user leaves it as it was
                if key not in stored["sealed"] and key not in {k for k, _m in row.errors}:
                    stored["sealed"][key] = held.sealed[key]
            for name, value in stored.items():
                setattr(held, name, value)
            held.save(update_fields=list(stored))
            return held.errors
        held.delete()

    audit_event(
        event=Event.IMPORT,
        user=actor,
        obj=job if job is not None else actor,
        detail={"ledger": ledger.key, "held_row": held.row, "written": 0 if outcome.already else 1},
    )
    return []


def _describe(outcome: Outcome, user) -> dict:
    layout = outcome.layout
    ledger = outcome.ledger
    labels = {f.key: str(f.label) for f in ledger.fields}
    result = {
        "file_kind": outcome.book_kind,
        "columns": [],
        "unknown_columns": [],
        "missing_columns": [],
        "unknown_values": [],
        "skipped": outcome.skipped,
        "sheet": layout.sheet.name if layout else "",
        "header_row": layout.header_first + 1 if layout else None,
    }
    if layout is not None:
        present = set(layout.columns.values())
        result["columns"] = [
            {"header": layout.headers[j], "field": key, "label": labels[key]}
            for j, key in sorted(layout.columns.items())
        ]
        result["unknown_columns"] = [{"header": text} for _j, text in sorted(layout.unknown.items())]
        result["missing_columns"] = [
            {"field": f.key, "label": str(f.label)}
            for f in ledger.fields
            if f.required and f.key not in present and not _derived(ledger, f, present)
        ]
    for key, counter in outcome.unknown_values.items():
        f = ledger.field(key)
        for value, count in counter.most_common(50):
            result["unknown_values"].append(
                {
                    "field": key,
                    "label": str(f.label),
                    "value": value,
                    "count": count,
                    "choices": [[str(c), str(lab)] for c, lab in ledger.choices_for(key, user)],
                }
            )
    return result


def _store_annotated(job, outcome: Outcome, data: bytes) -> bool:
    if job is None or not outcome.bad_rows or outcome.layout is None:
        return False

    content = annotate.annotated_workbook(data, outcome)
    name = (job.input_name.rsplit(".", 1)[0] or "ledger") + _("-errors marked") + ".xlsx"
    job_output_store(job, name=name, source=io.BytesIO(content))
    return True


def _job_ledger(job) -> tuple[Ledger, dict]:
    """The job's ledger, if its author may import it, and its settings (commit, mode, period, mapping)."""
    ledger = ledger_get(job.params.get("ledger", ""))
    if ledger is None or not job.created_by.can(ledger.capability):
        raise JobError(_("You may not import this ledger."))
    try:
        period = clean_period(job.params.get("period") or "")
    except CellError as exc:
        raise JobError(_("The period: %(error)s") % {"error": exc}) from exc
    return ledger, {
        "commit": bool(job.params.get("commit")),
        "mode": job.params.get("mode") or ALL_OR_NOTHING,
        "period": period,
        "mapping": job.params.get("mapping"),
    }


def _checked(outcome: Outcome, errors: list, user, ledger: Ledger, settings: dict) -> dict:
    """What every answer of the job says: rows read, valid, skipped, the errors, the columns recognised."""
    base = {
        "ledger": ledger.key,
        "mode": settings["mode"],
        "commit": settings["commit"],
        "rows": len(outcome.rows),
        "valid": len(outcome.good_rows),
        "already": len(outcome.already),
        "error_count": len(errors) + len(outcome.file_errors),
        "file_errors": outcome.file_errors,
        "errors": errors[:ERRORS_SHOWN],
        **_describe(outcome, user),
    }
    # A check keeps the file (pruned after a day) so that it can be checked again once the user mapped what
    # was not recognised, and confirmed.
    if not settings["commit"]:
        base["keep_input"] = True
    return base


def _preview(outcome: Outcome, errors: list, ledger: Ledger, base: dict) -> dict:
    """The answer of a check (not confirmed): what would be written, skipped and held."""
    preview = [{"row": r.number, **ledger.preview(r)} for r in outcome.good_rows[:PREVIEW_ROWS]]
    message = _("%(valid)d rows are ready to be written.") % {"valid": len(outcome.good_rows)}
    if outcome.already:
        message += " " + _("%(n)d rows were imported before and will be skipped.") % {
            "n": len(outcome.already)
        }
    if errors:
        message += " " + _("%(n)d rows have errors and will be held for correction.") % {
            "n": len(outcome.bad_rows)
        }
    return {**base, "ok": True, "keep_input": True, "audit": False, "message": message, "preview": preview}


def _written(outcome: Outcome, ctx: Context, base: dict, progress) -> dict:
    """Write the rows of a confirmed import; its answer."""
    try:
        written, _failed = write_rows(outcome, ctx, progress)
    except _RowFailed as exc:
        return {
            **base,
            "ok": False,
            "written": 0,
            "errors": outcome.errors()[:ERRORS_SHOWN],
            "message": _("Row %(row)d could not be written; nothing was written.") % {"row": exc.row.number},
        }
    held = outcome.bad_rows
    if ctx.mode == VALID_ROWS:
        _held(outcome, held, ctx)
    progress(len(outcome.rows) * 2, len(outcome.rows) * 2)
    message = _("%(n)d rows written.") % {"n": written}
    if outcome.already:
        message += " " + _("%(n)d rows were imported before and were skipped.") % {"n": len(outcome.already)}
    if held:
        message += " " + _("%(n)d rows are held for correction.") % {"n": len(held)}
    return {
        **base,
        "ok": True,
        "written": written,
        "created": written,
        "held": len(held),
        "errors": outcome.errors()[:ERRORS_SHOWN],
        "message": message,
        **ctx.ledger.summary(ctx),
    }


@job_handler(IMPORT_KIND, audit=Event.IMPORT, undo=undo_import)
def run_import(job, progress) -> dict:
    ledger, settings = _job_ledger(job)
    user, commit, mode = job.created_by, settings["commit"], settings["mode"]
    with job.open_input() as upload:
        data = upload.read()
    outcome = check_file(
        user=user,
        ledger=ledger,
        data=data,
        period=settings["period"],
        mode=mode,
        mapping=settings["mapping"],
        job=job,
        progress=lambda d, t: progress(d, t * 2 if commit else t),
    )
    errors = outcome.errors()
    base = _checked(outcome, errors, user, ledger, settings)
    if outcome.file_errors:
        message = " ".join(outcome.file_errors)
        return {**base, "ok": False, "audit": False if not commit else {}, "message": message}
    base["annotated"] = _store_annotated(job, outcome, data) if not commit else False
    if errors and (mode == ALL_OR_NOTHING or not (outcome.good_rows or outcome.already)):
        message = _(
            "%(count)d errors found in %(rows)d rows; nothing was written. Correct them (download "
            "your file with the errors marked) and upload it again."
        ) % {"count": len(errors), "rows": len(outcome.bad_rows)}
        return {**base, "ok": False, "audit": False if not commit else {}, "message": message}
    if not commit:
        return _preview(outcome, errors, ledger, base)
    ctx = Context(user=user, ledger=ledger, job=job, period=settings["period"], mode=mode)
    return _written(outcome, ctx, base, progress)
