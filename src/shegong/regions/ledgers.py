"""The regions' ledgers through the one import engine (lib/importer): resident population and coverage-scope
exclusions, by the names of counties, townships and villages (or their codes) as statistics tables write
them. Each row goes through regions.services (region_set_population, region_set_scope), which the pages use."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.lib.importer import Ledger, register
from shegong.lib.importer import columns as col
from shegong.lib.importer.cleaning import CellError
from shegong.lib.importer.common import before_update, parse_year
from shegong.regions.models import Region, ScopeChange
from shegong.regions.services import (
    region_set_population,
    region_set_scope,
    regions_set_population_many,
    regions_set_scope_many,
    statistics_years,
)

DIVISION = col.words(
    "区划 行政区划 区划代码 行政区划代码 统计用区划代码 地区 名称 区划名称 单位 乡镇（街道） "
    "村（社区） 县（市、区） 村（居）委会 所在地"
)


# PopulationLedger's columns: the headers ledgers write for them, and the spellings of their choices
POPULATION = ("常住人口", "常住人口数", "人口", "人口数", "常住人口（人）", "户籍人口")
YEAR = ("统计年度", "年度", "年份", "统计年份", "数据年份")

# ScopeLedger's columns: the headers ledgers write for them, and the spellings of their choices
IN_SCOPE = ("是否纳入覆盖范围", "是否纳入", "覆盖范围", "是否覆盖", "纳入情况", "是否排除")
IN_SCOPE_CHOICES = [("0", gettext_lazy("Not in scope")), ("1", gettext_lazy("In scope"))]
IN_SCOPE_WORDS = {"0": ("否", "不纳入", "排除", "不覆盖", "剔除"), "1": ("是", "纳入", "覆盖", "恢复")}
REASON = ("原因", "理由", "不纳入原因", "排除原因", "说明", "情况说明", "备注")
EFFECTIVE_ON = ("生效日期", "调整日期", "起始日期", "排除日期", "纳入日期")


def _year(value, ctx) -> int:
    """A statistics year: 2024, 2024年, ２０２４, 2024.0; plausible years only (2099 is a typing slip)."""
    found, years = parse_year(value), statistics_years()
    if found not in years:
        raise CellError(_("Give a year from %(first)d to %(last)d.") % {"first": years[0], "last": years[-1]})
    return found


class _RegionLedger(Ledger):
    capability = Cap.REGIONS_EDIT
    models = ()  # writes change regions; nothing is inserted

    def check(self, rows, ctx):
        seen: dict[str, int] = {}
        for row in rows:
            region = row.values.get("region")
            if row.errors or region is None:
                continue
            if region.code in seen:
                row.error(
                    "region",
                    _("%(code)s is already on row %(row)d") % {"code": region.name, "row": seen[region.code]},
                )
            else:
                seen[region.code] = row.number


@register
class PopulationLedger(_RegionLedger):
    key = "regions.population"
    title = gettext_lazy("Resident population")
    note = gettext_lazy(
        "One row per county, township, village or community: its name (or division code), the resident "
        "population and the statistics year. The code list of your jurisdiction can be downloaded."
    )
    fields = [
        col.division(DIVISION, required=True, width=20),
        col.number(
            "population",
            gettext_lazy("Resident population"),
            POPULATION,
            200_000_000,
            required=True,
            width=14,
        ),
        col.year("year", gettext_lazy("Statistics year"), YEAR, clean=_year),
    ]

    @staticmethod
    def _changes(row) -> bool:
        v = row.values
        return v["region"].population != v["population"] or v["region"].population_year != v.get("year")

    def write_many(self, rows, ctx):
        """The divisions whose figures change, through regions_set_population_many (journaled first)."""
        changed = [row for row in rows if self._changes(row)]
        before_update(ctx, Region, [row.values["region"].pk for row in changed])
        entries = [(r.values["region"], r.values["population"], r.values.get("year")) for r in changed]
        if entries:
            regions_set_population_many(actor=ctx.user, entries=entries)
        return [], []

    def write(self, row, ctx):
        v = row.values
        if self._changes(row):
            before_update(ctx, Region, [v["region"].pk])
            region_set_population(
                actor=ctx.user, region=v["region"], population=v["population"], year=v.get("year")
            )
        return []


@register
class ScopeLedger(_RegionLedger):
    key = "regions.scope"
    title = gettext_lazy("Coverage-scope exclusions")
    models = (ScopeChange,)  # the dated decisions are inserted; the divisions' scope in force is updated
    note = gettext_lazy(
        "One row per township, village or community left out of the coverage scope (or taken back into "
        "it), with the reason, which is required: the coverage figures count only divisions in scope."
    )
    fields = [
        col.division(DIVISION, required=True, width=20),
        col.choice(
            "in_scope",
            gettext_lazy("In coverage scope"),
            IN_SCOPE_CHOICES,
            IN_SCOPE_WORDS,
            IN_SCOPE,
            width=12,
        ),
        col.text("reason", gettext_lazy("Reason"), REASON, 200, required=True, width=36),
        col.date("effective_on", gettext_lazy("Effective from"), EFFECTIVE_ON),
    ]

    def prepare(self, rows, ctx):
        for row in rows:
            if row.values.get("in_scope") is None:
                row.values["in_scope"] = "0"  # a list of exclusions says so by being one

    def _entry(self, row) -> dict:
        values = col.entry(row.values, "region", "reason", effective_on=None)
        return {**values, "in_scope": row.values["in_scope"] == "1"}

    def write_many(self, rows, ctx):
        """The batch through regions_set_scope_many; the divisions are journaled first."""
        before_update(ctx, Region, [row.values["region"].pk for row in rows])
        return regions_set_scope_many(actor=ctx.user, entries=[self._entry(row) for row in rows]), []

    def write(self, row, ctx):
        v = row.values
        before_update(ctx, Region, [v["region"].pk])
        region_set_scope(actor=ctx.user, **self._entry(row))
        return [ScopeChange.objects.filter(region=v["region"]).latest("pk")]
