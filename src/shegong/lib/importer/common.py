"""Cleaners and checks that several ledgers share: money as ledgers write it, a year, dates not yet come, rows
that repeat the same parent fact (a project on each of its payment rows, a meeting on each of its problems),
the journal entry for a row a write changes rather than inserts, and a service's error put on the ledger's
column.

A ledger uses them in its declaration (``Field(clean=money)``) or in its ``check``/``write``.
"""

import re
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.jobs import journal
from shegong.lib.fieldcrypto import lookup_hash
from shegong.lib.importer.cleaning import CellError, as_text, narrow, squash
from shegong.lib.pii import by_lookup_hash

ID_NUMBER = ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码")
STATION = ("站点", "社工站", "所属站点", "所属社工站", "服务站", "接收站点", "受赠站点", "受捐站点")


def money(value, ctx, *, zero_ok=False) -> Decimal:
    """Yuan as ledgers write them: 500, 500.00, 1,000, ５００元, 0.5万元, ¥500 (more than 0)."""
    text = narrow(as_text(value)).replace(",", "").replace(" ", "").replace("¥", "").replace("￥", "")
    factor = Decimal("1")
    if text.endswith("万元") or text.endswith("万"):
        factor, text = Decimal("10000"), text.rstrip("元").rstrip("万")
    text = text.removesuffix("元")
    try:
        amount = Decimal(text) * factor
    except InvalidOperation as exc:
        raise CellError(
            _("should be an amount in yuan, not “%(value)s”") % {"value": as_text(value)}
        ) from exc
    if not amount.is_finite() or amount < 0 or (amount == 0 and not zero_ok):
        if zero_ok:
            raise CellError(_("should be 0 or more, not %(value)s") % {"value": as_text(value)})
        raise CellError(_("should be more than 0, not %(value)s") % {"value": as_text(value)})
    return amount.quantize(Decimal("0.01"))


def money_or_zero(value, ctx) -> Decimal:
    """Yuan, as :func:`money`, where 0 is a fact (nothing raised yet)."""
    return money(value, ctx, zero_ok=True)


def parse_year(value) -> int:
    """A year as ledgers write it: 2023, 2023年, 2023年度, ２０２３, 2023.0 (the range is the caller's)."""
    text = re.sub(r"年(度)?$", "", narrow(as_text(value)).replace(" ", ""))
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        raise CellError(_("should be a year like 2024, not “%(value)s”") % {"value": as_text(value)})
    return int(text)


def year(value, ctx) -> int:
    """A year of the past or this year (an honour's, a rating's), from 2000."""
    found, last = parse_year(value), timezone.localdate().year
    if not 2000 <= found <= last:
        raise CellError(_("Give a year from %(first)d to %(last)d.") % {"first": 2000, "last": last})
    return found


def no_future(rows, key) -> None:
    """A date of the past (a fact that happened): one not yet come is refused on its row."""
    today = timezone.localdate()
    for row in rows:
        day = row.values.get(key)
        if day and day > today:
            row.error(key, _("The date is in the future."))


def same_parent(rows, key_of, facts, what) -> None:
    """Rows that name the same parent (``key_of(row)``, None for none) must give it the same ``facts`` (field
    keys): a project's target on each of its payment rows, a meeting's place on each of its problems. A row that
    differs is refused on the field, naming the row it contradicts (``what``: the parent's name, translated); a
    fact left empty is the one an earlier row of the same parent gives."""
    first: dict = {}
    for row in rows:
        key = key_of(row)
        if key is None:
            continue
        if key not in first:
            first[key] = row
            continue
        earlier = first[key]
        for fact in facts:
            mine, theirs = row.values.get(fact), earlier.values.get(fact)
            if mine not in (None, "") and theirs not in (None, "") and mine != theirs:
                row.error(
                    fact,
                    _("differs from row %(row)d of the same %(what)s")
                    % {"row": earlier.number, "what": what},
                )
            elif mine in (None, "") and theirs not in (None, ""):
                row.values[fact] = theirs


@contextmanager
def errors_on(**columns):
    """A write whose service refuses a field of its own (``visitor``) names the ledger's column instead
    (``errors_on(visitor="worker")``), so that the message stands on the row's cell."""
    try:
        yield
    except ValidationError as exc:
        for name, column in columns.items():
            if hasattr(exc, "error_dict") and name in exc.error_dict:
                raise ValidationError({column: exc.error_dict[name]}) from exc
        raise


def before_update(ctx, model, ids) -> None:
    """Rows a write changes rather than inserts: their stored values go in the job's journal (SQLite), so that
    a failed import takes the change back as it deletes what it inserted (jobs/journal.py)."""
    if ctx.job is not None and journal.short_transactions():
        journal.Journal(ctx.job).before_update(model, ids)


# --- The person a row names (visits, service records) ------------------------------------------------------


def people_named(people, rows) -> tuple[dict, dict]:
    """The files the rows name, among ``people`` (the user's scoped files, reading only what the ledger
    needs): by ID number (lookup hash → file), and by (name, village code) → files for rows without one."""
    ids = {r.values["id_number"] for r in rows if r.values.get("id_number")}
    by_id = by_lookup_hash(people, "id_number_hash", ids) if ids else {}
    pairs = {
        (r.values["person_name"], r.values["village"].pk)
        for r in rows
        if r.values.get("person_name") and r.values.get("village") and not r.values.get("id_number")
    }
    namesakes = defaultdict(list)
    if pairs:
        names, villages = {n for n, _v in pairs}, {v for _n, v in pairs}
        for person in people.filter(name__in=names, region_id__in=villages).order_by("pk"):
            namesakes[(person.name, person.region_id)].append(person)
    return by_id, namesakes


def person_named(r, by_id: dict, namesakes: dict) -> tuple[bool, object]:
    """(whether the row names a person, by ID number or by name and village; the one file it names, or None
    with the row's error: no such file, a file in another name, several namesakes)."""
    v = r.values
    if v.get("id_number"):
        person = by_id.get(lookup_hash(v["id_number"]))
        if person is None:
            r.error("id_number", _("no file of this ID number in your jurisdiction"))
        elif v.get("person_name") and squash(v["person_name"]) != squash(person.name):
            r.error(
                "person_name",
                _("the file of this ID number is in another name (%(name)s)") % {"name": person.name},
            )
        return True, person
    if not (v.get("person_name") and v.get("village")):
        return False, None
    found = namesakes.get((v["person_name"], v["village"].pk), [])
    if len(found) == 1:
        return True, found[0]
    names = {"name": v["person_name"], "village": v["village"].name}
    if not found:
        r.error("person_name", _("no file of %(name)s in %(village)s") % names)
    else:
        r.error(
            "person_name",
            _("%(n)d files of %(name)s in %(village)s: give the ID number") % {"n": len(found), **names},
        )
    return True, None
