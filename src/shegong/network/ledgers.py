"""The station ledger through the one import engine (lib/importer): stations as counties keep them, with a
title row, two-row headers, names of townships and villages instead of codes, 是/否 for the premises, dates
built and opened as ledgers write them. Each row goes through services.facility_create, checked first by the
same facility_validate as the form and the API."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.lib import bulk
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.network import services
from shegong.network.imports import _row_errors, _validate
from shegong.network.inputs import FACILITY
from shegong.network.models import Facility, FacilityStatus, Kind, OperatingMode, Premises, StatusChange
from shegong.regions.models import Level

KIND_BY_LEVEL = {
    Level.COUNTY: Kind.COUNTY_CENTRE,
    Level.TOWNSHIP: Kind.TOWNSHIP_STATION,
    Level.VILLAGE: Kind.VILLAGE_ROOM,
}
# The ledger's column for each field, so that a service's ValidationError lands on it.
_FIELDS = {
    "region": "region",
    "status_since": "status_date",
    "status_date": "status_date",
    "__all__": "region",
}


# StationLedger's columns: the headers ledgers write for them, and the spellings of their choices
REGION = col.words(
    "所在乡镇（街道） 乡镇（街道） 乡镇 街道 所属乡镇 区划代码 行政区划 所在地 村（社区） "
    "所在村（社区） 乡镇（街道）名称 区划"
)
NAME = ("站点名称", "名称", "社工站名称", "机构名称", "站名", "社工站")
KIND = ("站点层级", "层级", "站点类型", "类型", "级别")
KIND_WORDS = {
    Kind.TOWNSHIP_STATION: ("乡镇社工站", "乡镇（街道）社工站", "街道社工站"),
    Kind.VILLAGE_ROOM: ("村（社区）社工室", "社工室"),
    Kind.COUNTY_CENTRE: ("县级指导中心",),
}
STATUS = ("状态", "运营状态", "建设状态", "站点状态")
STATUS_WORDS = {
    FacilityStatus.BUILT: ("已建成", "建成"),
    FacilityStatus.OPERATING: ("运营", "正常运营", "运营中", "已运营"),
    FacilityStatus.BUILDING: ("在建", "建设中"),
    FacilityStatus.PLANNED: ("筹建", "计划"),
    FacilityStatus.SUSPENDED: ("暂停", "停运"),
    FacilityStatus.CLOSED: ("关闭", "撤销"),
}
OPENED_ON = ("开业时间", "运营时间", "挂牌时间", "开放日期", "启用时间", "投入使用时间", "开放时间")
PREMISES = ("场地", "场地情况", "是否独立场地", "独立场地", "独立办公场地")
PREMISES_WORDS = {Premises.INDEPENDENT: ("是", "有", "独立"), Premises.SHARED: ("否", "无", "共用", "合署")}
FLOOR_AREA = ("面积", "场地面积", "面积（㎡）", "面积（平方米）", "建筑面积", "使用面积")
OPERATING_MODE = ("运营方式", "运营模式", "运作方式")
OPERATING_MODE_WORDS = {
    OperatingMode.COMMISSIONED: ("购买服务", "政府购买服务", "委托运营", "社工机构运营"),
    OperatingMode.DIRECT: ("自办", "民政自办", "自主运营"),
}
AGENCY_NAME = ("运营机构", "承接机构", "运营单位", "承接单位")
AGENCY_CREDIT_CODE = ("统一社会信用代码", "信用代码", "机构信用代码")
BRAND = ("品牌", "站点品牌")


@register
class StationLedger(Ledger):
    key = "network.stations"
    title = gettext_lazy("Stations and centres (ledger)")
    capability = Cap.NETWORK_MANAGE
    models = (Facility, StatusChange)
    note = gettext_lazy(
        "One row per station, centre or village room. The township, village or community by name or code; "
        "the level is taken from it when the column is left out. Premises 是/否 (independent or not)."
    )
    fields = [
        col.division(REGION, required=True),
        FACILITY.column("name", NAME, width=28),
        # Optional on purpose (network/inputs.py): the level is taken from the division's.
        FACILITY.column("kind", KIND, spellings=KIND_WORDS, required=False),
        # Optional (the row's dates imply it), under the ledgers' word for it.
        FACILITY.column("status", STATUS, spellings=STATUS_WORDS, label=gettext_lazy("Status"), width=10),
        FACILITY.column("status_date", ("状态日期", "状态时间")),
        FACILITY.column("built_on", ("建成时间", "建成日期", "建站时间")),
        FACILITY.column("opened_on", OPENED_ON),
        FACILITY.column("address", ("地址", "站点地址", "详细地址"), width=28),
        FACILITY.column("premises", PREMISES, spellings=PREMISES_WORDS, width=12),
        FACILITY.column("shared_with", ("共用单位", "合署单位")),
        FACILITY.column("floor_area", FLOOR_AREA),
        FACILITY.column("operating_mode", OPERATING_MODE, spellings=OPERATING_MODE_WORDS, width=20),
        FACILITY.column("agency_name", AGENCY_NAME, width=24),
        FACILITY.column("agency_credit_code", AGENCY_CREDIT_CODE, width=20),
        FACILITY.column("contact_name", ("联系人", "负责人", "站长"), width=10),
        FACILITY.column("contact_phone", ("联系电话", "电话", "手机号", "联系方式", "手机")),
        FACILITY.column("brand", BRAND, width=18),
    ]

    def prepare(self, rows, ctx):
        today = services.today()
        for row in rows:
            v = row.values
            region = v.get("region")
            if region is not None and not v.get("kind"):
                v["kind"] = KIND_BY_LEVEL.get(region.level)
                if v["kind"] is None:
                    row.error("region", _("give the level of facility for %(name)s") % {"name": region.name})
            if not v.get("status"):
                v["status"] = (
                    FacilityStatus.OPERATING
                    if v.get("opened_on")
                    else (FacilityStatus.BUILT if v.get("built_on") else FacilityStatus.PLANNED)
                )
            if not v.get("status_date"):
                v["status_date"] = (
                    v.get("opened_on") if v["status"] == FacilityStatus.OPERATING else v.get("built_on")
                )
            for key in ("status_date", "built_on", "opened_on"):
                if v.get(key) and v[key] > today:
                    row.error(key, _("The date is in the future."))

    def _kwargs(self, row) -> dict:
        v = row.values
        # The details the edit form may change that the ledger has a column for (the name is given below).
        columns = {f.key for f in self.fields} - {"name"}
        details = {k: v.get(k) for k in services.FACILITY_DETAIL_FIELDS if k in columns}
        return {**col.entry(v, "kind", "region", "name", "status", status_date=None), **details}

    def check(self, rows, ctx):
        seen = {}
        built = []  # (row, facility as it would be registered)
        headers = {f.key: f.key for f in self.fields}
        for row in rows:
            if row.errors:
                continue
            v = row.values
            key = (v["kind"], v["region"].code)
            if v["kind"] != Kind.UNIT_STATION and v["status"] != FacilityStatus.CLOSED:
                if key in seen:
                    row.error(
                        "region",
                        _("%(code)s already has a %(kind)s on row %(row)d")
                        % {"code": v["region"].name, "kind": Kind(v["kind"]).label, "row": seen[key]},
                    )
                    continue
                seen[key] = row.number
            try:
                # The division is an object on file; the one-open-facility rule is checked below, at once.
                facility = _validate(ctx.user, self._kwargs(row), given=True)
            except ValidationError as exc:
                for error in _row_errors(row.number, exc, headers):
                    row.error(
                        _FIELDS.get(error.column, error.column if error.column in headers else ""),
                        error.message,
                    )
            else:
                built.append((row, facility))
        refused = services.facilities_check_open([facility for _row, facility in built])
        for number, message in refused.items():
            built[number][0].error("region", message)

    def write_many(self, rows, ctx):
        """The batch through facilities_create_many; a building date before the one registered is kept."""
        facilities, changes = services.facilities_create_many(
            actor=ctx.user, entries=[self._kwargs(row) for row in rows]
        )
        earlier = []
        for row, facility in zip(rows, facilities, strict=True):
            built_on = row.values.get("built_on")
            if built_on and facility.built_on and built_on < facility.built_on:
                facility.built_on = built_on
                earlier.append(facility)
        bulk.update(Facility, earlier, ["built_on"])
        return [*facilities, *changes], []

    def write(self, row, ctx):
        kwargs = self._kwargs(row)
        built_on = row.values.get("built_on")
        facility = services.facility_create(actor=ctx.user, **kwargs)
        if built_on and facility.built_on and built_on < facility.built_on:
            Facility.objects.filter(pk=facility.pk).update(built_on=built_on)
        return [facility]


# Honours and targets, in a module of its own (found with this one at start-up).
from shegong.network import ledgers_honours  # noqa: E402, F401
