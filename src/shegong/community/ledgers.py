"""Community ledgers through the one import engine (lib/importer): volunteers (with their real registration
date), volunteer hours, activities and donations, as stations keep them: names of villages, stations and
activities instead of codes, dates as ledgers write them, money as “500元”.

Each row goes through the community services the forms use. Uploading the same file twice adds nothing (the
engine's fingerprints); three identical donation rows are one donation and two repeats named by row.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.community import charity, inputs, points, selectors, services, volunteers
from shegong.community.models import (
    Activity,
    ActivityKind,
    Donation,
    DonationForm,
    DonorKind,
    PointEntry,
    SignUp,
    Volunteer,
    VolunteerStatus,
)
from shegong.jobs import journal
from shegong.lib.forms import as_id
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import CellError, as_text, narrow, squash
from shegong.lib.importer.common import errors_on, no_future
from shegong.lib.pii import by_lookup_hash, lookup_hash

DIVISION_SYNONYMS = col.words(
    "村（社区） 所在村（社区） 所属村（社区） 登记地 注册地 所在地 乡镇（街道） 所属乡镇 "
    "村社区 区划代码 登记地区划代码"
)


# VolunteerLedger's columns: the headers ledgers write for them, and the spellings of their choices
NAME = ("姓名", "志愿者姓名", "名字")
REGISTERED_ON = ("登记日期", "登记时间", "注册日期", "注册时间", "加入时间", "入队时间", "报名时间")

# ActivityLedger's columns: the headers ledgers write for them, and the spellings of their choices
TITLE = ("活动名称", "活动主题", "名称", "主题")
KIND = ("活动类型", "类型", "活动类别", "类别")
KIND_WORDS = {
    ActivityKind.CARE_VISIT: ("走访", "关爱探访"),
    ActivityKind.POLICY: ("政策宣传", "宣传"),
    ActivityKind.CULTURE: ("文体", "文体活动"),
    ActivityKind.FESTIVAL: ("节日", "节日活动"),
    ActivityKind.TRAINING: ("培训",),
    ActivityKind.DELIBERATION: ("议事", "议事协商"),
    ActivityKind.VOLUNTEERING: ("志愿服务",),
    ActivityKind.OTHER: ("其他",),
}
HELD_ON = ("活动日期", "活动时间", "日期", "时间", "举办时间", "举办日期")
PARTICIPANTS = ("参与人次", "参加人次", "参与人数", "参加人数", "人次")
BENEFICIARIES = ("惠及人数", "受益人数", "服务人数")
SUMMARY = ("活动内容", "内容", "简介", "备注", "活动简介")

# HoursLedger's columns: the headers ledgers write for them, and the spellings of their choices
ACTIVITY = ("活动名称", "活动", "活动编号", "服务项目", "服务活动")
HOURS_HELD_ON = ("活动日期", "活动时间", "服务日期", "日期")
HOURS = ("服务时长", "时长", "服务时数", "时数", "小时数", "志愿时长", "时长（小时）")

# DonationLedger's columns: the headers ledgers write for them, and the spellings of their choices
DONOR = ("捐赠方", "捐赠人", "捐赠单位", "捐赠者", "捐款人", "捐赠人（单位）")
DONOR_KIND = ("来源", "捐赠方类型", "捐赠来源", "捐赠人类型")
DONOR_KIND_WORDS = {
    DonorKind.ENTERPRISE: ("企业", "公司"),
    DonorKind.ORGANISATION: ("社会组织", "组织"),
    DonorKind.INDIVIDUAL: ("个人", "爱心人士"),
    DonorKind.GOVERNMENT: ("政府", "机关", "单位"),
    DonorKind.ANONYMOUS: ("匿名",),
}
FORM = ("形式", "捐赠形式", "捐赠类型", "类型")
FORM_WORDS = {DonationForm.CASH: ("资金", "现金", "款", "捐款"), DonationForm.KIND: ("物资", "实物", "捐物")}
VALUE = ("金额", "价值", "金额（元）", "价值（元）", "折价", "捐赠金额", "折合金额", "金额(元)")
ITEMS = ("物资", "物资明细", "捐赠物资", "明细", "物品")
RECEIVED_ON = ("接收日期", "捐赠日期", "日期", "时间", "捐赠时间", "接收时间")
DONATION_BENEFICIARIES = ("受益对象", "受益人", "用途", "受助对象")
BENEFICIARY_COUNT = ("受益人数", "受助人数", "惠及人数")


def _hours(value, ctx) -> Decimal:
    """Hours as ledgers write them: 2, 1.5, 1.5小时, 90分钟."""
    text = narrow(as_text(value)).replace(" ", "")
    minutes = re.fullmatch(r"(\d+(?:\.\d+)?)分钟?", text)
    try:
        if minutes:
            hours = Decimal(minutes.group(1)) / 60
        else:
            hours = Decimal(re.sub(r"(小时|个小时|时|h|H)$", "", text))
    except InvalidOperation as exc:
        raise CellError(
            _("should be a number of hours, not “%(value)s”") % {"value": as_text(value)}
        ) from exc
    if not hours.is_finite() or hours <= 0 or hours > 24:
        raise CellError(_("should be more than 0 and at most 24 hours, not %(value)s") % {"value": text})
    return hours.quantize(Decimal("0.01"))


@register
class VolunteerLedger(Ledger):
    key = "community.volunteers"
    title = gettext_lazy("Volunteers")
    models = (Volunteer,)
    note = gettext_lazy(
        "One row per volunteer. The ID number is checked; sex and date of birth come from it. The village, "
        "community or township where they registered by name (or code), the station by name. The date they "
        "registered as the roster gives it (today when left empty). A volunteer already registered (same ID "
        "number) is updated, never registered twice."
    )
    fields = [
        inputs.VOLUNTEER.column("name", NAME, width=12),
        col.id_number(required=True, width=22),
        col.phone(),
        col.ref("region", gettext_lazy("Registered in"), "region", DIVISION_SYNONYMS, required=True),
        col.station(),
        inputs.VOLUNTEER.column("registered_on", REGISTERED_ON),
        inputs.VOLUNTEER.column("skills", ("特长", "专长", "技能", "服务特长"), width=20),
        inputs.VOLUNTEER.column("note", ("备注",), width=20),
    ]

    def prepare(self, rows, ctx):
        ids = {r.values["id_number"] for r in rows if r.values.get("id_number")}
        existing = selectors.volunteers_by_id_number(user=ctx.user, id_numbers=ids)
        outside = [n for n in ids if lookup_hash(n) not in existing]
        elsewhere = set(by_lookup_hash(Volunteer.objects.only("id_number_hash"), "id_number_hash", outside))
        seen: dict[str, int] = {}
        for row in rows:
            number = row.values.get("id_number")
            if not number:
                continue
            digest = lookup_hash(number)
            if digest in elsewhere:
                row.error("id_number", _("this volunteer is registered outside your jurisdiction"))
            elif digest in seen:
                row.error("id_number", _("the same ID number is on row %(row)d") % {"row": seen[digest]})
            else:
                seen[digest] = row.number
            row.values["_existing"] = existing.get(digest)

    def check(self, rows, ctx):
        no_future(rows, "registered_on")
        for row in rows:
            if row.errors:
                continue
            try:
                row.values["_parsed"] = volunteers.volunteer_parse(
                    {k: row.values.get(k) or "" for k in ("name", "id_number", "phone", "skills", "note")}
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        row.error(key if key != "__all__" else "", message)

    def fingerprint(self, row):
        v = row.values
        return "|".join(
            str(getattr(v.get(k), "pk", v.get(k)) or "")
            for k in ("name", "id_number", "phone", "region", "station", "registered_on", "skills", "note")
        )

    def _fields(self, row) -> dict:
        values = col.entry(row.values, "region", station=None, registered_on=None)
        return {"values": row.values["_parsed"], **values}

    def write_many(self, rows, ctx):
        """New volunteers of a batch in one bulk insert (checked as volunteer_create checks them); those
        already registered are updated through write()."""
        new = [row for row in rows if row.values.get("_existing") is None]
        entries = [self._fields(row) for row in new]
        created = volunteers.volunteers_create_many(actor=ctx.user, entries=entries) if entries else []
        return created, [row for row in rows if row.values.get("_existing") is not None]

    def write(self, row, ctx):
        v = row.values
        existing = v.get("_existing")
        if existing is None:
            return [volunteers.volunteer_create(actor=ctx.user, **self._fields(row))]
        if ctx.job is not None and journal.short_transactions():
            # An update is taken back with the rest if the import fails later (short transactions).
            journal.Journal(ctx.job).before_update(Volunteer, [existing.pk])
        volunteer = volunteers.volunteer_update(
            actor=ctx.user,
            volunteer=existing,
            values=v["_parsed"],
            region=v["region"],
            station=v.get("station") or existing.station,
        )
        if v.get("registered_on") and v["registered_on"] != volunteer.registered_on:
            Volunteer.objects.filter(pk=volunteer.pk).update(registered_on=v["registered_on"])
        return []


@register
class ActivityLedger(Ledger):
    key = "community.activities"
    title = gettext_lazy("Community activities")
    models = (Activity,)
    note = gettext_lazy(
        "One row per activity held: the station by name, the title, the type, the date, the place, how many "
        "took part and how many residents it reached."
    )
    fields = [
        col.station("举办站点", "主办站点", required=True),
        inputs.ACTIVITY.column("title", TITLE, width=24),
        inputs.ACTIVITY.column("kind", KIND, spellings=KIND_WORDS, width=14),
        inputs.ACTIVITY.column("held_on", HELD_ON),
        inputs.ACTIVITY.column("place", ("地点", "活动地点"), width=20),
        inputs.ACTIVITY.column("participants", PARTICIPANTS),
        inputs.ACTIVITY.column("beneficiaries", BENEFICIARIES),
        inputs.ACTIVITY.column("summary", SUMMARY, width=30),
    ]

    def check(self, rows, ctx):
        for row in rows:
            station = row.values.get("station")
            if station is not None and station.status == "closed":
                row.error("station", _("this station is closed"))

    def _fields(self, row) -> dict:
        return col.entry(
            row.values,
            "station",
            "title",
            "kind",
            "held_on",
            place="",
            participants=0,
            beneficiaries=0,
            summary="",
        )

    def write_many(self, rows, ctx):
        """The activities of a batch in one bulk insert, checked as activity_create() checks them."""
        return services.activities_create_many(actor=ctx.user, entries=[self._fields(r) for r in rows]), []

    def write(self, row, ctx):
        return [services.activity_create(actor=ctx.user, **self._fields(row))]


@register
class HoursLedger(Ledger):
    key = "community.hours"
    title = gettext_lazy("Volunteer hours")
    models = (SignUp, PointEntry)
    note = gettext_lazy(
        "One row per volunteer and activity. The activity by its title (with its date if two share a title) or "
        "its number on the activity's page; the volunteer by ID number, or by name where no two volunteers of "
        "your jurisdiction share it. Hours like 2, 1.5小时 or 90分钟, at most 24. Hours already confirmed are "
        "refused, never counted twice."
    )
    fields = [
        col.column(
            "activity",
            gettext_lazy("Activity"),
            ACTIVITY,
            kind="ref",
            required=True,
            max_length=100,
            width=24,
        ),
        col.date("held_on", gettext_lazy("Date of the activity"), HOURS_HELD_ON),
        col.id_number(width=22),
        col.text("name", gettext_lazy("Full name"), ("姓名", "志愿者姓名", "志愿者"), 50, width=12),
        col.column(
            "hours", gettext_lazy("Hours"), HOURS, kind="decimal", required=True, clean=_hours, width=10
        ),
        col.note(),
    ]

    @staticmethod
    def _activities(rows, user) -> tuple[dict, dict]:
        """The activities the rows name: by number, and by title (several may share one)."""
        texts = {r.values["activity"] for r in rows if isinstance(r.values.get("activity"), str)}
        numbers = {as_id(narrow(t)) for t in texts} - {None}
        qs = selectors.activity_list(user=user, capability=Cap.DATA_EDIT)
        by_pk = {a.pk: a for a in qs.filter(pk__in=numbers).select_related("station")} if numbers else {}
        by_title: dict[str, list] = {}
        names = {squash(t) for t in texts}
        for activity in qs.select_related("station"):
            if squash(activity.title) in names:
                by_title.setdefault(squash(activity.title), []).append(activity)
        return by_pk, by_title

    @staticmethod
    def _volunteers(rows, user) -> tuple[dict, dict]:
        """The volunteers the rows name: by ID number (lookup hash), and by name for rows without one."""
        ids = {r.values["id_number"] for r in rows if r.values.get("id_number")}
        # What the hours need of a volunteer: not their ID number and phone in clear (a decryption each).
        known = ("name", "status", "region_id")
        by_id = selectors.volunteers_by_id_number(user=user, id_numbers=ids, only=known)
        wanted = {r.values["name"] for r in rows if r.values.get("name") and not r.values.get("id_number")}
        by_name: dict[str, list] = {}
        if wanted:
            for volunteer in Volunteer.objects.filter(
                pk__in=selectors.volunteer_list(user=user).values("pk"), name__in=wanted
            ).only(*known):
                by_name.setdefault(volunteer.name, []).append(volunteer)
        return by_id, by_name

    @staticmethod
    def _activity(row, by_pk: dict, by_title: dict):
        text = row.values.get("activity")
        if not isinstance(text, str):
            return None
        if as_id(narrow(text)) in by_pk:
            return by_pk[as_id(narrow(text))]
        found = by_title.get(squash(text), [])
        if row.values.get("held_on"):
            found = [a for a in found if a.held_on == row.values["held_on"]]
        if len(found) == 1:
            return found[0]
        if not found:
            row.error("activity", _("no activity “%(text)s” in your jurisdiction") % {"text": text})
        else:
            row.error(
                "activity",
                _("%(n)d activities are called “%(text)s”: give the date of the activity")
                % {"n": len(found), "text": text},
            )
        return None

    @staticmethod
    def _volunteer(row, by_id: dict, by_name: dict):
        v = row.values
        volunteer = None
        if v.get("id_number"):
            volunteer = by_id.get(lookup_hash(v["id_number"]))
            if volunteer is None:
                row.error("id_number", _("no volunteer with this ID number in your jurisdiction"))
            elif v.get("name") and squash(v["name"]) != squash(volunteer.name):
                row.error("name", _("the ID number belongs to %(name)s") % {"name": volunteer.name})
        elif v.get("name"):
            found = by_name.get(v["name"], [])
            if len(found) == 1:
                volunteer = found[0]
            elif not found:
                row.error("name", _("no volunteer %(name)s in your jurisdiction") % {"name": v["name"]})
            else:
                row.error(
                    "name",
                    _("%(n)d volunteers are called %(name)s: give the ID number")
                    % {"n": len(found), "name": v["name"]},
                )
        elif not row.errors:
            row.error("id_number", _("give the volunteer's ID number or name"))
        if volunteer is not None and volunteer.status != VolunteerStatus.ACTIVE:
            row.error("name", _("this volunteer is no longer serving"))
        return volunteer

    def prepare(self, rows, ctx):
        by_pk, by_title = self._activities(rows, ctx.user)
        by_id, by_name = self._volunteers(rows, ctx.user)
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            activity = v["activity"] = self._activity(row, by_pk, by_title)
            volunteer = v["volunteer"] = self._volunteer(row, by_id, by_name)
            if activity is not None and volunteer is not None and not row.errors:
                key = (activity.pk, volunteer.pk)
                if key in seen:
                    row.error(
                        "name",
                        _("the same volunteer and activity are on row %(row)d") % {"row": seen[key]},
                    )
                seen[key] = row.number
        # Sign-ups on file for these volunteers and activities, in one query: such a row is confirmed through
        # hours_record() (write), the others are inserted in batches (write_many).
        on_file = set()
        if seen:
            on_file = set(
                SignUp.objects.filter(
                    activity_id__in={a for a, _v in seen}, volunteer_id__in={v for _a, v in seen}
                ).values_list("activity_id", "volunteer_id")
            )
        for row in rows:
            v = row.values
            if v.get("activity") is not None and v.get("volunteer") is not None:
                v["_on_file"] = (v["activity"].pk, v["volunteer"].pk) in on_file

    def fingerprint(self, row):
        v = row.values
        return f"{v['activity'].pk}|{v['volunteer'].pk}"

    def preview(self, row):
        v = row.values
        return {
            str(self.field("activity").label): f"{v['activity'].title}（{v['activity'].held_on}）",
            str(self.field("name").label): v["volunteer"].name,
            str(self.field("hours").label): f"{v['hours'].normalize():f}",
        }

    def write_many(self, rows, ctx):
        """Hours of new sign-ups in one bulk insert a batch, checked as hours_record() checks them; a row whose
        volunteer already signed up for the activity goes through write(). Their points come in finish()."""
        new = [row for row in rows if not row.values.get("_on_file")]
        entries = [
            {
                "activity": row.values["activity"],
                "volunteer": row.values["volunteer"],
                "hours": row.values["hours"],
                "note": row.values.get("note") or "",
            }
            for row in new
        ]
        created = []
        if entries:
            created = volunteers.hours_record_many(actor=ctx.user, entries=entries, award_points=False)
            ctx.cache.setdefault("unawarded", []).extend(created)
        return created, [row for row in rows if row.values.get("_on_file")]

    def write(self, row, ctx):
        v = row.values
        with errors_on(volunteer="name"):
            signup = volunteers.hours_record(
                actor=ctx.user,
                activity=v["activity"],
                volunteer=v["volunteer"],
                hours=v["hours"],
                note=v.get("note") or "",
                award_points=False,
            )
        ctx.cache.setdefault("unawarded", []).append(signup)
        return [signup]

    def finish(self, ctx):
        """The points of every sign-up the import confirmed, once its last batch is in: the points ledger is
        append-only (no line is ever deleted), so no line may be written while a failure could still take the
        import back (SQLite's short transactions). A failure here rolls the points back and the import with
        them."""
        points.points_award_many(actor=ctx.user, signups=ctx.cache.get("unawarded", []))


DONATION_KEY = ("station", "donor", "donor_kind", "form", "value", "items", "received_on", "beneficiaries")


@register
class DonationLedger(Ledger):
    key = "community.donations"
    title = gettext_lazy("Donations")
    models = (Donation,)
    note = gettext_lazy(
        "One row per donation. The receiving station by name. Goods with their estimated value in yuan. A "
        "donation is recorded once: a row the same as another, or as a donation already recorded, is refused "
        "with the row it repeats; two real gifts that look alike differ in their items or beneficiaries."
    )
    fields = [
        col.station(label=gettext_lazy("Receiving station"), required=True),
        inputs.DONATION.column("donor", DONOR, width=20),
        inputs.DONATION.column("donor_kind", DONOR_KIND, spellings=DONOR_KIND_WORDS, width=14),
        inputs.DONATION.column("form", FORM, spellings=FORM_WORDS, width=10),
        col.amount("value", gettext_lazy("Value (yuan)"), VALUE, required=True),
        inputs.DONATION.column("items", ITEMS, width=20),
        inputs.DONATION.column("received_on", RECEIVED_ON),
        inputs.DONATION.column("beneficiaries", DONATION_BENEFICIARIES, width=20),
        inputs.DONATION.column("beneficiary_count", BENEFICIARY_COUNT),
    ]

    def fingerprint(self, row):
        v = row.values
        return "|".join(str(getattr(v.get(k), "pk", v.get(k)) or "") for k in DONATION_KEY)

    def check(self, rows, ctx):
        """A donation is recorded once. A row identical to a donation already on record (entered in the form,
        or imported before the engine) is refused: counted twice it would double the station's receipts."""
        no_future(rows, "received_on")
        ready = [r for r in rows if not r.errors]
        if not ready:
            return

        def key(data) -> tuple:
            return tuple(getattr(data.get(k), "pk", data.get(k)) or "" for k in DONATION_KEY)

        on_record = {
            key({k: getattr(d, k) for k in DONATION_KEY} | {"station": d.station_id})
            for d in Donation.objects.filter(
                station__in={r.values["station"] for r in ready},
                received_on__in={r.values["received_on"] for r in ready},
            )
        }
        for row in ready:
            if key(row.values) in on_record:
                row.error("donor", _("this donation is already recorded; a donation is recorded once"))

    def _fields(self, row) -> dict:
        given = ("station", "donor", "donor_kind", "form", "value", "received_on")
        return col.entry(row.values, *given, items="", beneficiaries="", beneficiary_count=0)

    def write_many(self, rows, ctx):
        """The donations of a batch in one bulk insert, checked as donation_create() checks them."""
        return charity.donations_create_many(actor=ctx.user, entries=[self._fields(r) for r in rows]), []

    def write(self, row, ctx):
        return [charity.donation_create(actor=ctx.user, **self._fields(row))]


# The other community ledgers, in modules of their own (found with this one at start-up).
from shegong.community import ledgers_charity, ledgers_deliberation  # noqa: E402, F401
