"""The people-served ledger (服务对象台账) on the one import engine (lib/importer): ``clients.people``.

One row per person: the columns and synonyms the template and county ledgers use, the township and village (or
community) by name or by code, categories separated by 、 (a word the table does not have is mapped once to one
of its categories), ID numbers cleaned by the engine (a number cell that lost digits is never taken).

Across rows and against the files on record:
- one file per ID number: an ID number twice in the file is refused on its second row; a row whose ID number is
  on file (anywhere in the country) updates that file when it lies inside the importer's jurisdiction — fields
  left empty stay as they are, categories are added, none removed — and is refused when it lies outside;
- a row without an ID number whose name is on file in the same village (or earlier in the file) is never merged
  silently: it is held with a message, until the ID number is given or the column 同名处理 says whether it is
  the same person (update that file) or another one (open a new file);
- a child needs a guardian, and an under-14 the guardian's consent and its date, as on the page (PIPL art. 31:
  the consent is not a fact a clerk may leave "to be completed").

The write step is the people service's bulk write (services.people_import_many: COPY on PostgreSQL), a batch
of 1,000 rows at a time; the per-village counts are recounted once, when the import ends (``finish``).
"""

import copy
import re
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.audit.services import id_ranges
from shegong.clients import selectors, services, tallies, visiting
from shegong.clients.inputs import PERSON
from shegong.clients.models import Person, RiskLevel, VisitFrequency
from shegong.jobs import journal
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import as_text
from shegong.lib.importer.common import before_update
from shegong.lib.pii import by_lookup_hash, lookup_hash
from shegong.lib.scoping import in_jurisdiction, scope_to_user

# How ledgers write a visit frequency (走访频次), to its days.
FREQUENCY_WORDS = {
    VisitFrequency.WEEKLY: ("每周", "每周一次", "每周1次", "1周1次", "一周一次", "周"),
    VisitFrequency.HALF_MONTHLY: col.words(
        "每半月 每半月一次 半月一次 每两周 每两周一次 每月两次 每月2次 半月"
    ),
    VisitFrequency.MONTHLY: ("每月", "每月一次", "每月1次", "1月1次", "一月一次", "月", "按月"),
    VisitFrequency.TWO_MONTHLY: ("每两月", "每两个月", "每两月一次", "每2个月", "两月一次"),
    VisitFrequency.QUARTERLY: col.words("每季度 每季度一次 每季 季度 每季1次 每季度1次 按季度 每三个月"),
    VisitFrequency.HALF_YEARLY: ("每半年", "每半年一次", "半年一次", "半年"),
    VisitFrequency.YEARLY: ("每年", "每年一次", "每年1次", "一年一次", "年"),
}
SPLIT = re.compile(r"[、,，;；/\s]+")
SAME, OTHER = "same", "other"


# PeopleLedger's columns: the headers ledgers write for them, and the spellings of their choices
NAME = ("姓名", "服务对象", "服务对象姓名", "对象姓名", "户主姓名")
TOWNSHIP = ("乡镇", "街道", "乡镇（街道）", "乡（镇、街道）", "所属乡镇", "所在乡镇", "乡镇街道")
REGION = col.words(
    "村（社区）区划代码 村代码 村（社区）代码 村社区 村居 所在村 所在村（社区） 所属村 "
    "所属村（社区） 村名 社区 行政村 村（居）"
)
ADDRESS = ("地址", "住址", "家庭住址", "现住址", "居住地址")
CATEGORIES = ("对象类别", "类别", "对象类型", "人员类别", "困难类型", "救助类别")
RISK_LEVEL = ("风险等级", "风险级别", "关注等级")
RISK_LEVEL_WORDS = {RiskLevel.GENERAL: ("一般",), RiskLevel.WATCH: ("关注",), RiskLevel.KEY: ("重点",)}
RISK_REASON = ("风险等级判定理由", "风险原因", "判定理由")
VISIT_EVERY_DAYS = ("走访频次", "走访频率", "探访频次", "探视频次", "走访周期", "走访要求", "探访频率")
CARE_ABILITY = ("自理能力", "自理情况")
DISABILITY = ("残疾类别", "残疾类型")
GUARDIAN_RELATION = ("监护人关系", "与监护人关系")
GUARDIAN_CONSENT = ("监护人已同意", "监护人同意")
NAMESAKE = ("同名确认",)
NAMESAKE_WORDS = {
    SAME: ("是", "同一人", "更新", "更新档案"),
    OTHER: ("否", "另一人", "不同人", "新建", "新建档案"),
}


def _person_fields(values: dict) -> dict:
    return {key: values[key] for key in PERSON_VALUES if values.get(key) not in (None, "")}


@register
class PeopleLedger(Ledger):
    key = "clients.people"
    title = gettext_lazy("People served")
    models = (Person, Person.categories.through)
    note = gettext_lazy(
        "One row per person. The ID number is checked (check character); birth date and sex are taken from it. "
        "The village or community by name (with its township where the name is not unique) or by its 12-digit "
        "code, inside your jurisdiction. Categories are separated by 、. Children need a guardian; under-14s "
        "need the guardian's consent and its date. A row whose ID number is already on file updates that file. "
        "A row without an ID number whose name is on file in the same village is held until 同名处理 says "
        "whether it is the same person (同一人) or another one (另一人)."
    )
    fields = [
        PERSON.column("name", NAME, width=12),
        col.id_number("服务对象身份证号", width=22),
        col.column("sex", gettext_lazy("Sex"), ("性别",), kind="sex", width=8),
        PERSON.column("birth_date", ("出生日期", "出生年月", "出生年月日", "生日")),
        col.phone(synonyms=("联系电话", "电话", "手机号", "手机号码", "手机", "联系方式")),
        col.text("township", gettext_lazy("Township"), TOWNSHIP, 64, width=14),
        col.text("region", gettext_lazy("Village or community"), REGION, 64, required=True),
        PERSON.column("address", ADDRESS, width=24),
        col.text("categories", gettext_lazy("Categories"), CATEGORIES, 200, width=24),
        PERSON.column("risk_level", RISK_LEVEL, spellings=RISK_LEVEL_WORDS, width=8),
        PERSON.column("risk_reason", RISK_REASON, width=20),
        PERSON.column("visit_every_days", VISIT_EVERY_DAYS, spellings=FREQUENCY_WORDS, width=12),
        PERSON.column("care_ability", CARE_ABILITY, width=10),
        PERSON.column("disability", DISABILITY, width=10),
        PERSON.column("disability_grade", ("残疾等级",), width=8),
        PERSON.column("guardian_name", ("监护人", "监护人姓名")),
        PERSON.column("guardian_relation", GUARDIAN_RELATION, width=10),
        col.phone("guardian_phone", gettext_lazy("Guardian's phone"), ("监护人电话", "监护人联系电话")),
        col.column(
            "guardian_consent", gettext_lazy("Guardian consented"), GUARDIAN_CONSENT, kind="bool", width=8
        ),
        PERSON.column("guardian_consent_on", ("同意日期", "监护人同意日期")),
        PERSON.column("note", ("备注",), width=24),
        col.choice(
            "namesake",
            gettext_lazy("Namesake on file"),
            [(SAME, gettext_lazy("Same person")), (OTHER, gettext_lazy("Another person"))],
            NAMESAKE_WORDS,
            NAMESAKE,
            width=10,
        ),
    ]

    def choices_for(self, key, user):
        if key == "categories":
            return [(str(c.pk), c.name) for c in selectors.category_list(user=user)]
        return super().choices_for(key, user)

    # --- Checking ---------------------------------------------------------------------------------------

    def prepare(self, rows, ctx):
        self._categories(rows, ctx)
        self._villages(rows, ctx)
        self._files(rows, ctx)

    def _categories(self, rows, ctx) -> None:
        """Categories by name, or by the jurisdiction's mapping of a word to one of them (困境儿童 → ...)."""
        table = {c.name: c.pk for c in selectors.category_list(user=ctx.user)}
        counter = ctx.unknown.setdefault("categories", Counter())
        for row in rows:
            wanted, unknown = [], []
            for name in SPLIT.split(row.values.get("categories") or ""):
                if not name:
                    continue
                pk = table.get(name)
                if pk is None and (mapped := ctx.mapped("categories", name)):
                    pk = int(mapped) if str(mapped).isdigit() and int(mapped) in table.values() else None
                if pk is None:
                    unknown.append(name)
                    counter[name] += 1
                elif pk not in wanted:
                    wanted.append(pk)
            if unknown:
                row.error("categories", _("unknown category: %(names)s") % {"names": "、".join(unknown)})
            row.values["categories"] = tuple(wanted)  # the ids (the text was cleaned; no key added)
        if not counter:
            del ctx.unknown["categories"]

    def _villages(self, rows, ctx) -> None:
        """The township and the village by name or code; a village name found in several townships is taken in
        the row's township."""
        townships, villages = ctx.index("township"), ctx.index("village")
        found_townships: dict = {}
        found: dict = {}
        for row in rows:
            v = row.values
            township = None
            if v.get("township"):
                text = ctx.mapped("township", v["township"]) or v["township"]
                if text not in found_townships:
                    found_townships[text] = townships.find(text)
                township, message = found_townships[text]
                if message:
                    row.error("township", message)
            v["township"] = township
            text = v.get("region")
            v["region"] = None
            if not text:
                continue
            text = ctx.mapped("region", text) or text
            key = (text, township.code if township else "")
            if key not in found:
                within = (lambda r, t=township: r.parent_id == t.code) if township else None
                found[key] = villages.find(text, within=within)
            village, message = found[key]
            if message:
                row.error("region", message)
            else:
                v["region"] = village

    def _files(self, rows, ctx) -> None:
        """The files the rows describe: by ID number across the country (one person, one file), refused when
        outside the jurisdiction; for rows without one, the namesakes in the same village."""
        numbers = [r.values["id_number"] for r in rows if r.values.get("id_number")]
        by_hash = by_lookup_hash(Person.objects.all(), "id_number_hash", numbers) if numbers else {}
        pairs = {
            (r.values["name"], r.values["region"].code)
            for r in rows
            if not r.values.get("id_number") and r.values.get("name") and r.values.get("region")
        }
        namesakes = defaultdict(list)
        if pairs:
            people = scope_to_user(Person.objects.all(), ctx.user, Cap.DATA_EDIT)
            for person in people.filter(
                name__in={n for n, _v in pairs}, region_id__in={v for _n, v in pairs}
            ).order_by("pk"):
                namesakes[(person.name, person.region_id)].append(person)
        for row in rows:
            v = row.values
            # On the row, not in its values: a key added to 21 costs each row a dict twice the size.
            row.person, row.namesakes = None, ()
            if v.get("id_number"):
                person = by_hash.get(lookup_hash(v["id_number"]))
                if person is not None and not in_jurisdiction(ctx.user, person.region_id):
                    row.error(
                        "id_number",
                        _(
                            "A file with this ID number exists outside your jurisdiction; ask that region to "
                            "transfer it."
                        ),
                    )
                else:
                    row.person = person
            elif v.get("name") and v.get("region"):
                row.namesakes = tuple(namesakes.get((v["name"], v["region"].code), ()))

    def check(self, rows, ctx):
        """One file per ID number; no namesake merged silently; the rules of the page for every row, so that
        every error is reported in one pass (the consent of an under-14 with a wrong category too)."""
        seen: dict[str, int] = {}
        names: dict[tuple, int] = {}
        today = timezone.localdate()
        blank = Person()  # a new file, copied for each row checked (cheaper than building a model instance)
        for row in rows:
            v = row.values
            if v.get("id_number"):
                first = seen.setdefault(v["id_number"], row.number)
                if first != row.number:
                    row.error("id_number", _("the same ID number is on row %(row)d") % {"row": first})
            elif v.get("name") and v.get("region"):
                self._namesake(row, names)
            self._validate(row, today, blank)

    def _namesake(self, row, names) -> None:
        v = row.values
        key = (v["name"], v["region"].code)
        earlier = names.setdefault(key, row.number)
        files = row.namesakes
        choice = v.get("namesake")
        if (earlier != row.number or files) and "namesake" not in row.cells:
            # A row held for its namesake can be answered in the browser (the held row's cells are its columns).
            row.cells["namesake"] = None
        if earlier != row.number and choice != OTHER:
            row.error(
                "name",
                _(
                    "%(name)s without an ID number is also on row %(row)d: give the ID number, or write "
                    "“另一人” in 同名处理 if they are different people"
                )
                % {"name": v["name"], "row": earlier},
            )
        elif files and choice is None:
            row.error(
                "name",
                _(
                    "%(name)s is on file in %(village)s (%(files)s) and this row has no ID number: give the ID "
                    "number, or write in 同名处理 whether this is the same person (同一人: the file is updated) "
                    "or another one (另一人: a new file is opened)"
                )
                % {
                    "name": v["name"],
                    "village": v["region"].name,
                    "files": "、".join(_describe(p) for p in files[:5]),
                },
            )
        elif choice == SAME:
            if not files:
                row.error(
                    "namesake",
                    _("no file of %(name)s in %(village)s")
                    % {"name": v["name"], "village": v["region"].name},
                )
            elif len(files) > 1:
                row.error(
                    "namesake",
                    _("%(n)d files of %(name)s in %(village)s: give the ID number")
                    % {"n": len(files), "name": v["name"], "village": v["region"].name},
                )
            else:
                row.person = files[0]

    def _validate(self, row, today, blank) -> None:
        """The page's rules (services.person_validate) on a copy, each error on its column; a column already
        at fault is not reported twice."""
        v = row.values
        if not v.get("name"):
            return
        person = row.person
        scratch = copy.copy(person if person is not None else blank)
        at_fault = {key for key, _m in row.errors}
        fields = _person_fields(v)
        for key in at_fault & fields.keys():
            fields.pop(key)
        try:
            services.person_validate(
                scratch, name=v["name"], region=v.get("region"), fields=fields, today=today
            )
        except ValidationError as exc:
            keys = {f.key for f in self.fields}
            for key, messages in exc.message_dict.items():
                key = key if key in keys else ""
                if key and key in at_fault:
                    continue
                for message in messages:
                    row.error(key, message)

    def fingerprint(self, row):
        """Rows with an ID number need none (the file of the ID number is updated, to the same values the second
        time); a row without one is skipped when the same row was imported before, rather than held as a
        namesake of the file it opened."""
        if row.values.get("id_number"):
            return None
        v = row.values
        parts = [v.get("name"), getattr(v.get("region"), "code", ""), v.get("namesake")]
        parts += [v.get(key) for key in PERSON_VALUES] + [sorted(v.get("categories") or ())]
        return "|".join("" if p is None else str(p) for p in parts)

    def preview(self, row):
        result = super().preview(row)
        v = row.values
        label = str(self.field("region").label)
        if v.get("region") is not None:
            result[label] = v["region"].name
        result.pop(str(self.field("township").label), None)
        if v.get("categories"):
            result[str(self.field("categories").label)] = as_text(row.cells.get("categories"))
        result[_("File of the person")] = _("on record, updated") if row.person is not None else _("new")
        return result

    # --- Writing ----------------------------------------------------------------------------------------

    @staticmethod
    def _entry(row) -> dict:
        v = row.values
        return {
            "person": row.person,
            "name": v["name"],
            "region": v["region"],
            "fields": _person_fields(v),
            "categories": list(v.get("categories") or ()),
        }

    def _state(self, ctx) -> dict:
        state = ctx.cache.get("people")
        if state is None:
            state = ctx.cache["people"] = {
                "rules": visiting.rules_for_area(ctx.user.jurisdiction_code),
                "opened": [],
                "changed": [],
                "changed_fields": set(),
                "categories_added": 0,
                "villages": set(),
            }
        return state

    def _written(self, ctx, done: services.PeopleWritten) -> list:
        state = self._state(ctx)
        state["opened"].extend(p.pk for p in done.created)
        state["changed"].extend(p.pk for p in done.updated)
        state["changed_fields"].update(done.changed_fields)
        state["categories_added"] += len(done.links)
        state["villages"].update(done.villages)
        return [*done.created, *done.links]

    def write_many(self, rows, ctx):
        """The batch through the people service's bulk write; the files it meets again are journaled first
        (SQLite), so that a failed import restores them."""
        state = self._state(ctx)
        before_update(ctx, Person, [r.person.pk for r in rows if r.person is not None])
        done = services.people_import_many(
            actor=ctx.user, entries=[self._entry(r) for r in rows], rules=state["rules"]
        )
        return self._written(ctx, done), []

    def write(self, row, ctx):
        """One row (after its batch was refused): the same service, for the row's own message."""
        state = self._state(ctx)
        person = row.person
        if person is not None:
            person.refresh_from_db()  # the refused batch may have changed it in memory
            before_update(ctx, Person, [person.pk])
        done = services.people_import_many(actor=ctx.user, entries=[self._entry(row)], rules=state["rules"])
        return self._written(ctx, done)

    def finish(self, ctx):
        """The per-village counts, once for every village the import touched (clients/tallies.py)."""
        tallies.recount_villages(self._state(ctx)["villages"])

    def summary(self, ctx):
        state = self._state(ctx)
        return {
            "created": len(state["opened"]),
            "updated": len(state["changed"]),
            "audit": {
                "files_opened": id_ranges(state["opened"]),
                "files_updated": id_ranges(state["changed"]),
                "changed_fields": sorted(state["changed_fields"]),
                "categories_added": state["categories_added"],
                "created": len(state["opened"]),
                "updated": len(state["changed"]),
            },
        }

    def undo(self, job):
        """Take back the batches a failed import committed (SQLite) and recount the villages they touched."""
        with transaction.atomic():
            ids = sorted(journal.written_ids(job, Person))
            villages = _villages_of(ids)
            count = journal.undo(job)
            tallies.recount_villages(villages | _villages_of(ids))
        return count


# The cells that go to the file as they are (empty ones leave a file met again as it was): the columns that
# are fields of a person file, in the order of the columns (that of the fingerprint).
PERSON_VALUES = tuple(f.key for f in PeopleLedger.fields if f.key in services.PERSON_FIELDS)


def _villages_of(ids) -> set[str]:
    villages = set()
    for start in range(0, len(ids), journal.CHUNK):
        chunk = ids[start : start + journal.CHUNK]
        villages.update(Person.objects.filter(pk__in=chunk).values_list("region_id", flat=True))
    return villages


def _describe(person: Person) -> str:
    parts = [f"{person.birth_date:%Y-%m-%d}" if person.birth_date else ""]
    if person.id_number_last4:
        parts.append(f"…{person.id_number_last4}")
    return " ".join(p for p in parts if p) or person.name
