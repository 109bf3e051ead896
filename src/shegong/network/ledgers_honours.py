"""Honours and targets through the one import engine (lib/importer).

Honours (示范站, 十佳站, 百强特色社工室, 一站一品 ...) as bureaus list them: the station by name, the honour's
type, title, year or date awarded, issuing body and document number; through services.honour_create.

Targets as the planning documents give them (Ningxia by 2027: 15,000 talents, 160 agencies, 7,000 certified, 100
demonstration stations by 2025, full village coverage by 2027): the division, the indicator, the value
(“100%”, “1.5万人”, “160家”) and the deadline (“2025年底”, “2027年”, “2025年6月” mean that period's last day).
Network indicators go through services.target_create, workforce ones through workforce's
talent_target_create, so that one sheet of targets goes in as it is.
"""

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import CellError, as_text, clean_date, narrow
from shegong.lib.importer.common import no_future
from shegong.network import services
from shegong.network.models import PERCENT_INDICATORS, Honour, HonourKind, Indicator, Target
from shegong.workforce import services as workforce_services
from shegong.workforce.models import Indicator as TalentIndicator
from shegong.workforce.models import TalentTarget

# --- Honours ------------------------------------------------------------------------------------------------

# HonourLedger's columns: the headers ledgers write for them, and the spellings of their choices
KIND = ("荣誉类型", "荣誉类别", "类别", "类型", "荣誉种类")
KIND_WORDS = {
    HonourKind.DEMONSTRATION: ("示范社工站", "示范", "示范站点"),
    HonourKind.TOP_TEN: ("十佳", "十佳社工站"),
    HonourKind.TOP_HUNDRED_ROOM: ("百强", "百强社工室"),
    HonourKind.BRAND: ("品牌", "品牌项目"),
    HonourKind.OTHER: ("其他",),
}
TITLE = ("荣誉名称", "荣誉称号", "称号", "奖项名称", "名称")
YEAR = ("年度", "获评年度", "获得年度", "年份", "评选年度")
AWARDED_ON = ("授予日期", "授予时间", "获评时间", "获得时间", "命名时间", "命名日期")
ISSUER = ("授予单位", "颁发单位", "命名单位", "发文单位", "授予机关", "评选单位")
DOCUMENT_NO = ("文号", "发文字号", "文件文号", "命名文号")


def _honour_key(v) -> tuple:
    return (v["station"].pk, v["kind"], v["year"], (v.get("title") or "").strip())


@register
class HonourLedger(Ledger):
    key = "network.honours"
    title = gettext_lazy("Honours")
    capability = Cap.NETWORK_MANAGE
    models = (Honour,)
    note = gettext_lazy(
        "One row per honour a station or village room received: the station by name, the type of honour, its "
        "title, the year (taken from the date awarded when left empty), the issuing body and the document "
        "number. An honour already on file is refused, never recorded twice."
    )
    fields = [
        col.station("获奖站点", "站点名称", "社工室", "社工站（室）", "获评单位", "获奖单位", required=True),
        col.choice(
            "kind", gettext_lazy("Honour"), HonourKind.choices, KIND_WORDS, KIND, required=True, width=14
        ),
        col.text("title", gettext_lazy("Title"), TITLE, 100, width=24),
        col.year("year", gettext_lazy("Year"), YEAR, width=8),
        col.date("awarded_on", gettext_lazy("Date awarded"), AWARDED_ON),
        col.text("issuer", gettext_lazy("Issuing body"), ISSUER, 100, required=True, width=20),
        col.text("document_no", gettext_lazy("Document number"), DOCUMENT_NO, 60, width=18),
    ]

    def check(self, rows, ctx):
        no_future(rows, "awarded_on")
        for row in rows:
            v = row.values
            if v.get("year") is None and not row.errors:
                if v.get("awarded_on"):
                    v["year"] = v["awarded_on"].year
                else:
                    row.error("year", _("give the year or the date awarded"))
            elif v.get("year") and v.get("awarded_on") and v["awarded_on"].year != v["year"]:
                row.error("awarded_on", _("The date is not in the honour's year."))
        ready = [r for r in rows if not r.errors]
        if not ready:
            return
        on_file = {
            (h.facility_id, h.kind, h.year, h.title.strip())
            for h in Honour.objects.filter(facility__in={r.values["station"] for r in ready})
        }
        for row in ready:
            if _honour_key(row.values) in on_file:
                row.error("kind", _("this honour is already on file"))

    @staticmethod
    def _entry(row) -> dict:
        values = col.entry(row.values, "kind", "year", "issuer", document_no="", title="", awarded_on=None)
        return {"facility": row.values["station"], **values}

    def write_many(self, rows, ctx):
        entries = [self._entry(row) for row in rows]
        return services.honours_create_many(actor=ctx.user, entries=entries), []

    def write(self, row, ctx):
        return [services.honour_create(actor=ctx.user, **self._entry(row))]


# --- Targets ------------------------------------------------------------------------------------------------

# TargetLedger's columns: the headers ledgers write for them, and the spellings of their choices
REGION = ("地区", "区划", "行政区划", "县（市、区）", "单位", "区划代码", "所在地区", "地区名称")
INDICATOR = ("指标", "指标名称", "目标任务", "任务", "目标内容", "考核指标")
VALUE = ("目标值", "目标", "目标数", "任务数", "目标任务数", "指标值")
DEADLINE = ("完成期限", "完成时限", "时限", "截止时间", "截止日期", "完成时间", "目标年度")


TALENT = set(TalentIndicator.values)
_UNITS = r"(%|％|人次|人|名|家|个|所|座|间|户)?"


def _target_value(value, ctx) -> Decimal:
    """100%, 15000人, 1.5万人, 160家, 100个 → the number."""
    text = narrow(as_text(value)).replace(",", "").replace(" ", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万)?" + _UNITS, text)
    if m is None:
        raise CellError(
            _("should be a number like 100%%, 15000 or 1.5万, not “%(value)s”") % {"value": as_text(value)}
        )
    try:
        number = Decimal(m[1]) * (10000 if m[2] else 1)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits numbers only
        raise CellError(_("should be a number, not “%(value)s”") % {"value": as_text(value)}) from exc
    if number <= 0:
        raise CellError(_("The target value must be positive."))
    return number


def _deadline(value, ctx) -> dt.date:
    """A deadline as plans write it: 2025年底 / 2025年末 / 2025年 / 2025 → 31 December; 2025年6月 / 2025.06 →
    the month's last day; a full date as it is."""
    text = narrow(as_text(value)).replace(" ", "")
    text = re.sub(r"^(到|至|截至|截止)", "", text)
    if m := re.fullmatch(r"(\d{4})(?:\.0)?(?:年)?(?:底|末|年底|年末|前|以前)?", text):
        return dt.date(int(m[1]), 12, 31)
    if m := re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?(?:底|末|前)?", text):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise CellError(_("“%(value)s” is not a date that exists") % {"value": text})
        return dt.date(int(m[1]), month, calendar.monthrange(int(m[1]), month)[1])
    return clean_date(value, period=ctx.period)


INDICATOR_WORDS = {
    Indicator.TOWNSHIP_COVERAGE: col.words(
        "乡镇社工站覆盖率 乡镇（街道）社工站覆盖率 社工站覆盖率 乡镇覆盖率"
    ),
    Indicator.OPERATING_RATE: ("运营率", "运行率", "正常运行率", "社工站运行率"),
    Indicator.VILLAGE_COVERAGE: ("社工室覆盖率", "村级社工室覆盖率", "村（社区）覆盖率"),
    Indicator.TOWNSHIP_STATIONS: ("乡镇社工站", "乡镇社工站数", "建成乡镇社工站", "社工站数"),
    Indicator.VILLAGE_ROOMS: ("社工室", "村级社工室", "社工室数", "村（社区）社工室"),
    Indicator.DEMONSTRATION_STATIONS: ("示范站", "示范社工站"),
    TalentIndicator.TALENTS: ("社工人才", "社会工作专业人才", "社会工作人才总量"),
    TalentIndicator.CERTIFIED: ("持证社工人数", "持证人数", "持证社会工作者"),
    TalentIndicator.AGENCIES: ("社工机构", "社会工作机构"),
    TalentIndicator.FULL_TIME: ("专职社工", "驻站社工"),
}


@register
class TargetLedger(Ledger):
    key = "network.targets"
    title = gettext_lazy("Targets")
    capability = Cap.NETWORK_MANAGE
    models = (Target, TalentTarget)
    note = gettext_lazy(
        "One row per target: the division (your county, a township, or for a city or province its own name), "
        "the indicator, the value (100%, 15000, 1.5万人, 160家) and the deadline (2025年底, 2027年, 2025年6月 "
        "mean that period's last day). Coverage and operating rates are percentages; talents, certified "
        "workers and agencies whole numbers. A target already set for the same division, indicator and "
        "deadline is refused: change it on the targets page."
    )
    fields = [
        col.ref("region", gettext_lazy("Region"), "area", REGION, required=True),
        col.choice(
            "indicator",
            gettext_lazy("Indicator"),
            [*Indicator.choices, *TalentIndicator.choices],
            INDICATOR_WORDS,
            INDICATOR,
            required=True,
            width=26,
        ),
        col.column(
            "value",
            gettext_lazy("Target value"),
            VALUE,
            kind="decimal",
            required=True,
            clean=_target_value,
            width=10,
        ),
        col.column(
            "deadline",
            gettext_lazy("Deadline"),
            DEADLINE,
            kind="date",
            required=True,
            clean=_deadline,
            width=12,
        ),
        col.note(("备注", "说明", "依据", "文件依据"), width=24),
    ]

    def check(self, rows, ctx):
        for row in rows:
            v = row.values
            value, indicator = v.get("value"), v.get("indicator")
            if value is None or indicator is None:
                continue
            if indicator in PERCENT_INDICATORS and value > 100:
                row.error("value", _("A rate target is a percentage between 0 and 100."))
            elif indicator not in PERCENT_INDICATORS and value != value.to_integral_value():
                row.error("value", _("should be a whole number, not “%(value)s”") % {"value": value})
        ready = [r for r in rows if not r.errors]
        if not ready:
            return
        regions = {r.values["region"] for r in ready}
        on_file = {
            (t.region_id, t.indicator, t.deadline): t.value
            for model in (Target, TalentTarget)
            for t in model.objects.filter(region__in=regions)
        }
        for row in ready:
            v = row.values
            set_before = on_file.get((v["region"].pk, v["indicator"], v["deadline"]))
            if set_before is not None:
                row.error(
                    "indicator",
                    _("this target is already set (%(value)s); change it on the targets page")
                    % {"value": f"{Decimal(set_before).normalize():f}"},
                )

    def fingerprint(self, row):
        v = row.values
        return f"{v['region'].pk}|{v['indicator']}|{v['deadline']}"

    @staticmethod
    def _entry(row) -> tuple[bool, dict]:
        """Whether the row's target is a talent target (workforce's), and the arguments of its service."""
        v = row.values
        talent = v["indicator"] in TALENT
        entry = col.entry(v, "region", "indicator", "deadline", note="")
        return talent, {**entry, "value": int(v["value"]) if talent else v["value"]}

    def write_many(self, rows, ctx):
        """Network and talent targets of the batch, each kind through its domain's bulk service."""
        network, talent = [], []
        for row in rows:
            is_talent, entry = self._entry(row)
            (talent if is_talent else network).append(entry)
        created = []
        if network:
            created += services.targets_create_many(actor=ctx.user, entries=network)
        if talent:
            created += workforce_services.talent_targets_create_many(actor=ctx.user, entries=talent)
        return created, []

    def write(self, row, ctx):
        is_talent, entry = self._entry(row)
        create = workforce_services.talent_target_create if is_talent else services.target_create
        return [create(actor=ctx.user, **entry)]
