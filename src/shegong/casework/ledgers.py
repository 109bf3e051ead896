"""Ledgers of casework imported through the one import engine (lib/importer): service records.

A station's monthly service ledger: one row per service, the person by ID number or by name and village (or a
group with its person-times), the social worker by name, the service item as the station's menu calls it, the
duration as ledgers write it (1.5小时, 90分钟). Each record is credited to the social worker named in its row
and keeps the import and row it came from.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.casework import rollups, services
from shegong.casework.inputs import SERVICE_RECORD
from shegong.casework.models import ServiceMode, ServiceRecord
from shegong.casework.selectors import service_item_list
from shegong.clients.models import Person
from shegong.jobs import journal
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import as_text, narrow, squash
from shegong.lib.importer.common import people_named, person_named
from shegong.lib.scoping import scope_to_user
from shegong.network.models import TOWNSHIP_KINDS, Facility, FacilityStatus

MODE_WORDS = {
    ServiceMode.HOME: ("入户", "上门", "家访", "入户走访", "上门服务"),
    ServiceMode.STATION: ("站内", "到站", "来站", "站点"),
    ServiceMode.PHONE: ("电话", "电话回访"),
    ServiceMode.ONLINE: ("线上", "微信", "视频", "网络"),
    ServiceMode.OUTREACH: ("外展", "社区活动"),
}


# ServiceRecordLedger's columns: the headers ledgers write for them, and the spellings of their choices
SERVED_ON = ("服务日期", "日期", "服务时间", "时间", "走访日期", "活动日期", "活动时间", "服务日期（年月日）")
PERSON_NAME = ("服务对象", "姓名", "服务对象姓名", "对象姓名", "名字", "户主姓名")
VILLAGE = col.words(
    "村（社区） 村(社区) 村社区 村居 村(居) 所在村 所在村（社区） 所属村 村名 社区 居住村（社区）"
)
GROUP_NAME = ("小组名称", "活动名称", "小组", "团体", "小组/活动")
PARTICIPANTS = ("人次", "服务人次", "参与人数", "人数", "参加人数")
ITEM = ("服务项目", "服务类型", "服务类别", "项目", "服务内容类别")
WORKER = ("社工", "服务社工", "社工姓名", "服务人员", "工作人员", "服务人", "负责社工", "社会工作者")
DURATION = col.words("服务时长 时长 时长（分钟） 服务时长（分钟） 时长（小时） 服务时长（小时） 用时")
MODE = ("服务方式", "方式", "服务形式")


@register
class ServiceRecordLedger(Ledger):
    key = "casework.services"
    title = gettext_lazy("Service records")
    models = (ServiceRecord,)
    needs_period = True
    note = gettext_lazy(
        "One row per service. The person served by ID number, or by name and village (or community); for a "
        "group, its name and the person-times. The social worker by name as in their account. The service "
        "item as on your service menu. Durations like 90分钟 or 1.5小时. Dates like 2024-11-19, or 11月19日 "
        "with the month stated when you upload."
    )
    fields = [
        SERVICE_RECORD.column("served_on", SERVED_ON),
        col.id_number("服务对象身份证号", width=20),
        col.text("person_name", gettext_lazy("Person served"), PERSON_NAME, 50, width=10),
        col.ref("village", gettext_lazy("Village or community"), "village", VILLAGE, width=14),
        SERVICE_RECORD.column("group_name", GROUP_NAME, label=gettext_lazy("Group or activity"), width=14),
        SERVICE_RECORD.column("participants", PARTICIPANTS, width=8),
        col.column("item", gettext_lazy("Service item"), ITEM, kind="ref", required=True, max_length=50),
        col.ref("worker", gettext_lazy("Social worker"), "account", WORKER, required=True, width=10),
        col.column(
            "duration",
            gettext_lazy("Duration"),
            DURATION,
            kind="duration",
            required=True,
            width=10,
            **SERVICE_RECORD.bounds("duration_minutes"),
        ),
        SERVICE_RECORD.column("mode", MODE, spellings=MODE_WORDS, required=False, width=10),
        col.station(synonyms=("服务站", "社工站", "站点", "所属站点", "服务站点", "所属社工站"), width=18),
        SERVICE_RECORD.column("note", ("备注", "服务内容", "服务记录", "情况记录", "服务情况"), width=30),
    ]

    def _items(self, user):
        return list(service_item_list(user=user))

    def choices_for(self, key, user):
        if key == "item":
            return [(str(item.pk), item.name) for item in self._items(user)]
        return super().choices_for(key, user)

    @staticmethod
    def _person(r, by_id: dict, namesakes: dict) -> None:
        """The row's person: by ID number, else by name in the village (one file only), else the group."""
        v = r.values
        named, v["person"] = person_named(r, by_id, namesakes)
        if named:
            return
        if v.get("person_name") and not r.cells.get("village") and not v.get("group_name"):
            r.error("person_name", _("give the ID number, or the village with the name"))
        elif not v.get("group_name") and not r.errors:
            r.error("", _("give the person served (ID number, or name and village) or the group"))

    @staticmethod
    def _item(r, ctx, items: dict, by_pk: dict) -> None:
        """The service item by its name on the user's menu (with or without its group), or as mapped once."""
        text = r.values.get("item")
        if isinstance(text, str):
            mapped = ctx.mapped("item", text)
            item = by_pk.get(mapped or "") or items.get(squash(text)) or by_pk.get(text)
            if item is None:
                ctx.unknown_value(
                    r, "item", text, _("“%(value)s” is not on your service menu") % {"value": text}
                )
            r.values["item"] = item

    @staticmethod
    def _hours(r) -> None:
        """A bare number in a column headed in hours (服务时长（小时）) is hours: 1.5 is 90 minutes."""
        v = r.values
        plain = narrow(as_text(r.cells.get("duration")))
        if v.get("duration") and re.fullmatch(r"\d+(\.\d+)?", plain):
            v["duration"] = int(round(float(plain) * 60))
            if not 1 <= v["duration"] <= 1440:
                r.error(
                    "duration",
                    _("“%(value)s” is not a plausible duration") % {"value": r.cells["duration"]},
                )

    @staticmethod
    def _station(r, stations: dict) -> None:
        """Without a station column: the open township station of the person's township (or the worker's)."""
        v = r.values
        person, worker = v.get("person"), v.get("worker")
        if person:
            code = person.region_id[:9]
        else:
            code = worker.jurisdiction_code[:9] if worker and len(worker.jurisdiction_code) >= 9 else ""
        if code not in stations:
            stations[code] = (
                Facility.objects.filter(region_id=code, kind__in=TOWNSHIP_KINDS)
                .exclude(status=FacilityStatus.CLOSED)
                .order_by("pk")
                .first()
                if code
                else None
            )
        v["station"] = stations[code]
        if v["station"] is None and not r.errors:
            r.error("station", _("no township station found for this row: add a station column"))

    def prepare(self, rows, ctx):
        # What the check and the record need of a person: not the encrypted fields (one decryption each).
        people = scope_to_user(Person.objects.all(), ctx.user).only(
            "id", "name", "region_id", "id_number_hash"
        )
        by_id, namesakes = people_named(people, rows)
        items, by_pk = {}, {}
        for item in self._items(ctx.user):
            items.setdefault(squash(item.name), item)
            items.setdefault(squash(f"{item.get_group_display()}{item.name}"), item)
            by_pk[str(item.pk)] = item
        hours = "小时" in ctx.headers.get("duration", "")
        stations = {}
        for r in rows:
            self._person(r, by_id, namesakes)
            self._item(r, ctx, items, by_pk)
            if hours:
                self._hours(r)
            if r.values.get("station") is None and not r.cells.get("station"):
                self._station(r, stations)
            if r.values.get("mode") is None:
                r.values["mode"] = ServiceMode.HOME if r.values.get("person") else ServiceMode.STATION

    def check(self, rows, ctx):
        today = timezone.localdate()
        for r in rows:
            day = r.values.get("served_on")
            if day and day > today:
                r.error("served_on", _("The date of service is in the future."))

    def fingerprint(self, row):
        v = row.values
        person = v.get("person")
        return "|".join(
            str(x)
            for x in (
                v.get("served_on"),
                person.pk if person else "",
                v.get("group_name") or "",
                v["item"].pk,
                v["worker"].pk,
                v.get("duration"),
                v["station"].pk if v.get("station") else "",
            )
        )

    def preview(self, row):
        v = row.values
        person = v.get("person")
        return {
            str(self.field("served_on").label): str(v["served_on"]),
            str(self.field("person_name").label): person.name if person else (v.get("group_name") or ""),
            str(self.field("item").label): v["item"].name,
            str(self.field("worker").label): v["worker"].full_name,
            str(self.field("duration").label): _("%(n)d minutes") % {"n": v["duration"]},
            str(self.field("station").label): v["station"].name,
        }

    def _fields(self, row, ctx) -> dict:
        return {
            **col.entry(row.values, "station", "item", "served_on", "mode", "worker"),
            **col.entry(row.values, person=None, group_name="", participants=1, note=""),
            "duration_minutes": row.values["duration"],
            "source": (ctx.job.pk if ctx.job else None, row.number),
        }

    def write_many(self, rows, ctx):
        """The batch's records in one bulk insert, each checked as service_record_create checks it."""
        entries = [self._fields(row, ctx) for row in rows]
        return services.service_records_create_many(actor=ctx.user, entries=entries), []

    def write(self, row, ctx):
        return [services.service_record_create(actor=ctx.user, **self._fields(row, ctx))]

    def undo(self, job):
        """Take the records back and their counts out of the monthly rollups."""
        with transaction.atomic():
            ids = list(journal.written_ids(job, ServiceRecord))
            rows = []
            for start in range(0, len(ids), journal.CHUNK):
                rows += ServiceRecord.objects.filter(pk__in=ids[start : start + journal.CHUNK]).values_list(
                    "station_id", "station__region_id", "item_id", "served_on", "participants"
                )
            count = journal.undo(job)
            rollups.service_months_change(rows, -1)
        return count
