"""Ledgers of people served imported through the one import engine (lib/importer): visits.

A station's visit ledger (走访台账): one row per visit, the person by ID number or by name and village, the
social worker who went by name (the visit is credited to them, not to the clerk who imports), the mode as
ledgers write it (入户, 电话 ...), dates as ledgers write them. Each visit goes through services.visit_create,
which keeps the person's visit status current.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.clients import services, visiting
from shegong.clients.inputs import VISIT
from shegong.clients.models import Person, Visit, VisitMode
from shegong.jobs import journal
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.common import errors_on, people_named, person_named
from shegong.lib.scoping import scope_to_user

MODE_WORDS = {
    VisitMode.HOME: ("入户", "入户走访", "上门", "上门走访", "家访", "走访", "探视"),
    VisitMode.PHONE: ("电话", "电话回访", "电话随访"),
    VisitMode.STATION: ("站内", "来站", "到站"),
    VisitMode.ONLINE: ("线上", "微信", "视频"),
}


# The fields of a person the visit ledger reads (prepare, check, visits_create_many, preview).
PERSON_READ = (
    "id",
    "name",
    "region_id",
    "active",
    "birth_date",
    "risk_level",
    "visit_every_days",
    "id_number_hash",
)


# VisitLedger's columns: the headers ledgers write for them, and the spellings of their choices
PERSON_NAME = ("姓名", "服务对象", "服务对象姓名", "对象姓名", "走访对象", "户主姓名", "被走访人")
VILLAGE = col.words("村（社区） 村社区 村居 所在村 所在村（社区） 所属村 村名 社区 村代码 村（社区）代码")
VISITED_ON = ("走访日期", "走访时间", "探访日期", "探视日期", "日期", "时间", "随访日期")
MODE = ("走访方式", "方式", "探访方式", "形式", "走访形式")
WORKER = ("走访人", "走访社工", "社工", "社工姓名", "工作人员", "走访人员", "探访人", "负责社工")
FINDINGS = ("走访情况", "情况记录", "走访记录", "基本情况", "探访情况", "备注")
NEEDS = ("需求", "发现需求", "存在问题", "困难需求", "主要困难")


@register
class VisitLedger(Ledger):
    key = "clients.visits"
    title = gettext_lazy("Visits")
    models = (Visit,)
    needs_period = True
    note = gettext_lazy(
        "One row per visit. The person by ID number, or by name and village (or community). The social worker "
        "who visited by name as in their account: the visit is credited to them. The mode like 入户 or 电话. "
        "The next visit is set by the visit rule when left empty."
    )
    fields = [
        col.id_number("服务对象身份证号", width=20),
        col.text("person_name", gettext_lazy("Name of the person"), PERSON_NAME, 50, width=10),
        col.ref("village", gettext_lazy("Village or community"), "village", VILLAGE, width=14),
        VISIT.column("visited_on", VISITED_ON),
        VISIT.column("mode", MODE, spellings=MODE_WORDS, width=10),
        col.ref("worker", gettext_lazy("Social worker"), "account", WORKER, required=True, width=10),
        VISIT.column("findings", FINDINGS, width=30),
        VISIT.column("needs", NEEDS, width=24),
        VISIT.column("next_due", ("下次走访日期", "下次走访时间", "下次走访")),
    ]

    def prepare(self, rows, ctx):
        # What the check and the visit need of a person: not the encrypted fields (one decryption each).
        people = scope_to_user(Person.objects.all(), ctx.user, Cap.DATA_EDIT).only(*PERSON_READ)
        by_id, namesakes = people_named(people, rows)
        for r in rows:
            v = r.values
            named, person = person_named(r, by_id, namesakes)
            if not named and not r.errors:
                r.error("id_number", _("give the ID number, or the village with the name"))
            v["person"] = person

    def check(self, rows, ctx):
        """A visit already on file (the same person, day and mode, recorded in the form) is refused by row;
        the same file uploaded twice is the engine's business (it adds nothing)."""
        today = timezone.localdate()
        ready = []
        for r in rows:
            day = r.values.get("visited_on")
            if day and day > today:
                r.error("visited_on", _("The date of the visit is in the future."))
            if not (r.values.get("findings") or "").strip():
                # The same rule as the form (clients.services.visit_create): an empty visit is not a visit.
                r.error("findings", _("Say what the visit found."))
            if not r.errors:
                ready.append(r)
        if not ready:
            return
        recorded = set(
            Visit.objects.filter(
                person__in={r.values["person"].pk for r in ready},
                visited_on__in={r.values["visited_on"] for r in ready},
            ).values_list("person_id", "visited_on", "mode")
        )
        for r in ready:
            v = r.values
            if (v["person"].pk, v["visited_on"], v["mode"]) in recorded:
                r.error("visited_on", _("this visit is already recorded"))

    def fingerprint(self, row):
        v = row.values
        return f"{v['person'].pk}|{v['visited_on']}|{v['mode']}"

    def preview(self, row):
        v = row.values
        return {
            str(self.field("person_name").label): v["person"].name,
            str(self.field("visited_on").label): str(v["visited_on"]),
            str(self.field("mode").label): str(VisitMode(v["mode"]).label),
            str(self.field("worker").label): v["worker"].full_name,
        }

    def _fields(self, row) -> dict:
        values = col.entry(row.values, "person", "visited_on", "mode", findings="", needs="", next_due=None)
        return {**values, "visitor": row.values["worker"]}

    def write_many(self, rows, ctx):
        """The batch's visits in one bulk insert, each checked as visit_create checks it."""
        entries = [self._fields(row) for row in rows]
        return services.visits_create_many(actor=ctx.user, entries=entries), []

    def write(self, row, ctx):
        with errors_on(visitor="worker"):
            return [services.visit_create(actor=ctx.user, **self._fields(row))]

    def undo(self, job):
        """Take the visits back, then the visit status of the people they were of (last visit, next date)."""
        with transaction.atomic():
            ids = sorted(journal.written_ids(job, Visit))
            people = set()
            for start in range(0, len(ids), journal.CHUNK):
                chunk = ids[start : start + journal.CHUNK]
                people.update(Visit.objects.filter(pk__in=chunk).values_list("person_id", flat=True))
            count = journal.undo(job)
            people = sorted(people)
            for start in range(0, len(people), journal.CHUNK):
                visiting.refresh_visit_status(
                    Person.objects.filter(pk__in=people[start : start + journal.CHUNK])
                )
        return count


from shegong.clients import ledgers_people  # noqa: E402, F401 - the people ledger, registered
