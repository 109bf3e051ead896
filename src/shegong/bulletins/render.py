"""The faces of a bulletin, all made from the same snapshot of figures: the page (HTML), the Excel workbook, the PDF
and the Word document.

The PDF and the Word document are laid out after GB/T 9704-2012 (党政机关公文格式) as far as a report needs it:
A4, type area 156 x 225 mm; a red letterhead (the bulletin's name) with the issue number (第N期) and, under it, the
issuing unit and the date over a red line; the title; the body; page numbers "— 1 —" at the foot, odd pages right,
even pages left; and the closing block (版记: 印发机关 and 印发日期 between two lines). The PDF embeds subsets of
open CJK fonts (lib/cjk_font.py); the Word document names the fonts an office has (方正小标宋简体, 仿宋_GB2312,
黑体) so that it can be finished in Word or WPS before it is sent.

Every text below is prepared once by ``document()``, so the four faces say the same thing.
"""

import datetime as dt
import json
from dataclasses import dataclass
from functools import wraps
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from shegong.bulletins import formats as fmt
from shegong.lib.excel import sheet_row

HEADLINE_LABELS = {
    "township_coverage": lambda: _("Township coverage (%)"),
    "stations_built": lambda: _("Township stations built"),
    "operating_rate": lambda: _("Operating rate (%)"),
    "village_coverage": lambda: _("Village room coverage (%)"),
    "talents": lambda: _("Social work talents"),
    "certified": lambda: _("Certified social workers"),
    "person_times": lambda: _("Service person-times in the month"),
    "visits_overdue": lambda: _("Visits overdue"),
    "tickets": lambda: _("Hotline tickets in the month"),
}
LETTERHEAD = "社会工作月通报"
RED = "#D40000"


def headline(comparison: list[dict]) -> list[dict]:
    return [
        {
            **row,
            # The unit goes with the figure (97.1%), not into the label twice.
            "label": HEADLINE_LABELS[row["key"]]().replace("（%）", "").replace(" (%)", ""),
            "now_text": fmt.figure(row["key"], row["now"]),
            "before_text": fmt.figure(row["key"], row["before"]),
            "mom_text": fmt.change(row["key"], row["now"], row["before"]),
            "year_before_text": fmt.figure(row["key"], row.get("year_before")),
            "yoy_text": fmt.change(row["key"], row["now"], row.get("year_before")),
        }
        for row in comparison
    ]


def ranking(children: list[dict]) -> list[dict]:
    """Child regions by township coverage, highest first; equal coverage shares a rank (并列)."""

    def value(child):
        return child["township_coverage"]

    ordered = sorted(children, key=lambda c: (value(c) is None, -(value(c) or 0), c["code"]))
    return [
        {**child, "rank": rank, "tied": tied, "rank_text": fmt.rank_text(rank, tied)}
        for child, (rank, tied) in zip(ordered, fmt.ranks(ordered, key=value), strict=True)
    ]


def _title_and_period(figures: dict, region: str) -> tuple[str, str]:
    month = dt.date.fromisoformat(figures["since"])
    until = dt.date.fromisoformat(figures["until"])
    if figures.get("partial", False):
        title = f"{region}{fmt.chinese_month(month)}社会工作服务情况通报（截至{month.month}月{until.day}日）"
        period = f"本期统计{fmt.chinese_date(month)}至{fmt.chinese_date(until)}的系统数据，截至{fmt.chinese_date(until)}；本月尚未结束，环比、同比均与同期（前{until.day}天）相比。"
    else:
        title = f"{region}{fmt.chinese_month(month)}社会工作服务情况通报"
        period = f"本期统计{fmt.chinese_date(month)}至{fmt.chinese_date(until)}的系统数据，截至{month.year}年{month.month}月底。"
    return title, period


def _workforce_text(region: str, workforce: dict) -> str:
    levels = "、".join(f"{lv['label']}{fmt.number(lv['n'])}人" for lv in workforce["by_level"])
    return (
        f"{region}共有社会工作人才{fmt.number(workforce['talents'])}人，其中驻站专职社工"
        f"{fmt.number(workforce['full_time'])}人，持证社工{fmt.number(workforce['certified'])}人"
        + (f"（{levels}）" if levels else "")
        + f"；每万名常住人口拥有社会工作人才{fmt.number(workforce['per_10k'])}人；"
        f"{fmt.number(workforce['under_staffed'])}个站点未达到配备人数要求。"
    )


def _community_text(community: dict | None) -> str:
    if not community:
        return "系统尚未记录社区活动、志愿者和慈善资源。"
    return (
        f"本期开展社区活动和小组活动{fmt.number(community['held'])}场次、{fmt.number(community['participants'])}人次；"
        f"活跃志愿者{fmt.number(community['volunteers'])}人，确认志愿服务{fmt.number(community['volunteer_hours'])}小时；"
        f"本期接收捐赠{fmt.wan_yuan(community['donated'])}，社区慈善基金余额{fmt.wan_yuan(community['fund_balance'])}。"
    )


def _sections(figures: dict, region: str) -> list[tuple[str, str]]:
    """The body's paragraphs after the tables: (heading without its number, sentence)."""
    services, people = figures["services"], figures["people"]
    projects, evaluations, hotline = figures["projects"], figures["evaluations"], figures["hotline"]
    return [
        ("人才队伍", _workforce_text(region, figures["workforce"])),
        (
            "服务与走访",
            f"本期服务{fmt.number(services['person_times'])}人次，服务记录{fmt.number(services['records'])}条；"
            f"在办个案{fmt.number(services['cases_open'])}个，本期结案{fmt.number(services['cases_closed'])}个；"
            f"在册服务对象{fmt.number(people['people'])}人，{fmt.number(people['overdue'])}人超期未走访。",
        ),
        ("社区与慈善", _community_text(figures.get("community"))),
        (
            "项目与评估",
            f"在实施政府购买服务项目{fmt.number(projects['running'])}个，合同金额{fmt.wan_yuan(projects['running_amount'])}，"
            f"本期支付{fmt.wan_yuan(projects['paid_in_month'])}；本期完成评估{fmt.number(evaluations['finalised'])}次，"
            f"整改事项未完成{fmt.number(evaluations['rectification_open'])}项，其中逾期"
            f"{fmt.number(evaluations['rectification_overdue'])}项。",
        ),
        (
            "服务热线",
            f"本期受理热线工单{fmt.number(hotline['received'])}件，其中危机工单{fmt.number(hotline['crisis'])}件；"
            f"按时响应率{fmt.rate(hotline['response_rate'])}，平均响应{fmt.number(hotline['average_response_minutes'])}分钟；"
            f"{fmt.number(hotline['flagged_now'])}件危机工单待处置。",
        ),
    ]


def _completeness_text(complete: dict) -> str:
    if not complete["missing"]:
        return f"已建成站点{fmt.number(complete['stations'])}个，本期均录入了服务记录和走访记录。"
    return (
        f"已建成站点{fmt.number(complete['stations'])}个，本期有{fmt.number(complete['missing'])}个站点未录入服务记录或走访记录"
        f"（其中{fmt.number(complete['no_record'])}个两项均无），相关数字可能偏低，请督促补录。"
    )


def _numbered(figures: dict, sections: list) -> tuple[dict, list]:
    """The headings, numbered 一、二、… in the order every face prints them."""
    numerals = iter("一二三四五六七八九十十一十二")
    names = (
        ["headline", "ranking", "new_stations"]
        if figures["network"]["children"]
        else ["headline", "new_stations"]
    )
    titles = {
        "headline": "主要指标",
        "ranking": "各地乡镇（街道）社工站覆盖情况",
        "new_stations": "新建成站点",
    }
    heads = {name: f"{next(numerals)}、{titles[name]}" for name in names}
    sections = [(f"{next(numerals)}、{head}", text) for head, text in sections]
    heads["completeness"] = f"{next(numerals)}、数据完整性"
    return heads, sections


def document(figures: dict) -> dict:
    """Everything the faces print, as text."""
    doc = figures.get("document") or {}
    month = dt.date.fromisoformat(figures["since"])
    issued_on = dt.date.fromisoformat(doc.get("issued_on", figures["until"]))
    region = figures["region"]["name"]
    title, period = _title_and_period(figures, region)
    issue = f"{doc.get('year', month.year)}年第{doc.get('issue_number', 1)}期"
    if doc.get("edition", 1) > 1:
        issue += f"（第{doc['edition']}版）"
    complete = figures.get("completeness") or {"stations": 0, "missing": 0, "no_record": 0, "gaps": []}
    new_stations = [
        {"name": s["name"], "built_on": fmt.chinese_date(dt.date.fromisoformat(s["built_on"]))}
        for s in figures["network"]["new_stations"]
    ]
    heads, sections = _numbered(figures, _sections(figures, region))
    return {
        "heads": heads,
        "letterhead": LETTERHEAD,
        "issue": issue,
        "issuer": doc.get("issuer", ""),
        "issued_on": fmt.chinese_date(issued_on),
        "title": title,
        # A long title breaks after the region's name, as a two-line title of an official document does.
        "title_lines": [region, title[len(region) :]] if len(title) > 18 else [title],
        "period": period,
        "partial": figures.get("partial", False),
        "headline": headline(figures["comparison"]),
        "ranking": ranking(figures["network"]["children"]),
        "new_stations": new_stations,
        "new_stations_text": f"本期新建成站点{len(new_stations)}个。"
        if new_stations
        else "本期无新建成站点。",
        "sections": sections,
        "completeness": complete,
        "completeness_text": _completeness_text(complete),
        "closing": f"{doc.get('issuer', '')}办公室",
        "closing_date": f"{fmt.chinese_date(issued_on)}印发",
    }


def all_text(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, default=str)


# --- page ----------------------------------------------------------------------------------------


def chinese(function):
    """A bulletin is a Chinese document whatever the language of the request or the worker that renders it."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return function(*args, **kwargs)

    return wrapper


@chinese
def render_html(figures: dict) -> str:
    return render_to_string("bulletins/_report.html", {"d": document(figures)})


# --- Excel ---------------------------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append(sheet_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append(sheet_row(row))
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18 if index > 1 else 30
    sheet.freeze_panes = "A2"
    return sheet


@chinese
def render_xlsx(figures: dict) -> bytes:
    d = document(figures)
    workbook = Workbook()
    _sheet(
        workbook,
        _("Summary"),
        ["指标", "本期", "上月", "环比", "上年同期", "同比"],
        [
            [r["label"], r["now"], r["before"], r["mom_text"], r["year_before"], r["yoy_text"]]
            for r in d["headline"]
        ],
        first=True,
    )
    _sheet(
        workbook,
        _("Ranking"),
        [
            "排名",
            "区划代码",
            "名称",
            "纳入范围乡镇数",
            "已覆盖乡镇数",
            "乡镇覆盖率（%）",
            "已建成站点",
            "运营率（%）",
        ],
        [
            [
                r["rank_text"],
                r["code"],
                r["name"],
                r["townships"],
                r["covered"],
                r["township_coverage"],
                r["stations_built"],
                r["operating_rate"],
            ]
            for r in d["ranking"]
        ],
    )
    _sheet(
        workbook,
        _("New stations"),
        [_("Name"), _("Division code"), _("Built on")],
        [[s["name"], s["code"], s["built_on"]] for s in figures["network"]["new_stations"]],
    )
    _sheet(workbook, "正文", ["部分", "内容"], [[head, text] for head, text in d["sections"]])
    _sheet(
        workbook,
        "数据完整性",
        ["站点", "乡镇（街道）", "区划代码", "服务记录", "走访"],
        [
            [g["name"], g["township"], g["code"], g["services"], g["visits"]]
            for g in d["completeness"]["gaps"]
        ],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- what the PDF and the Word document print, in order -------------------------------------------

# Column widths in millimetres, within the 156 mm type area.
HEADLINE_WIDTHS = [46, 20, 20, 25, 20, 25]
RANKING_WIDTHS = [22, 44, 30, 20, 20, 20]
GAP_WIDTHS = [56, 40, 30, 30]
PT_HAO = {"2": 22, "3": 16, "4": 14, "small4": 12, "5": 10.5}


@dataclass(frozen=True)
class Grid:
    """A table of the printed faces: its header first, widths in millimetres, numbers right-aligned from a column."""

    rows: list[list]
    widths: list[float]
    numeric_from: int = 1


def _headline_grid(d: dict) -> Grid:
    header = ["指标", "本期", "上月", "环比", "上年同期", "同比"]
    keys = ("label", "now_text", "before_text", "mom_text", "year_before_text", "yoy_text")
    return Grid([header] + [[r[k] for k in keys] for r in d["headline"]], HEADLINE_WIDTHS)


def _ranking_grid(d: dict) -> Grid:
    header = ["排名", "地区", "已覆盖/纳入范围乡镇", "覆盖率", "已建成站点", "运营率"]
    rows = [
        [
            r["rank_text"],
            r["name"],
            f"{fmt.number(r['covered'])}/{fmt.number(r['townships'])}",
            fmt.rate(r["township_coverage"]),
            fmt.number(r["stations_built"]),
            fmt.rate(r["operating_rate"]),
        ]
        for r in d["ranking"]
    ]
    return Grid([header] + rows, RANKING_WIDTHS, numeric_from=2)


def _gaps_grid(d: dict) -> Grid:
    header = ["站点", "乡镇（街道）", "服务记录（条）", "走访（次）"]
    rows = [
        [g["name"], g["township"], fmt.number(g["services"]), fmt.number(g["visits"])]
        for g in d["completeness"]["gaps"]
    ]
    return Grid([header] + rows, GAP_WIDTHS, numeric_from=2)


def body(d: dict) -> list[tuple[str, object]]:
    """The body under the title, in the order both printed faces set it: ("head", text), ("text", text),
    ("grid", Grid) and ("charts", None) where the figures go (after the ranking)."""
    parts: list[tuple[str, object]] = [("text", d["period"]), ("head", d["heads"]["headline"])]
    parts.append(("grid", _headline_grid(d)))
    if d["ranking"]:
        parts += [("head", d["heads"]["ranking"]), ("grid", _ranking_grid(d))]
    parts += [("charts", None), ("head", d["heads"]["new_stations"]), ("text", d["new_stations_text"])]
    if d["new_stations"]:
        stations = [["站点", "建成日期"]] + [[s["name"], s["built_on"]] for s in d["new_stations"]]
        parts.append(("grid", Grid(stations, [100, 56])))
    for head, sentence in d["sections"]:
        parts += [("head", head), ("text", sentence)]
    parts += [("head", d["heads"]["completeness"]), ("text", d["completeness_text"])]
    if d["completeness"]["gaps"]:
        parts.append(("grid", _gaps_grid(d)))
    return parts
