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
from functools import wraps
from io import BytesIO
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from shegong.bulletins import formats as fmt
from shegong.lib.escape import pdf_text, printable
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


def document(figures: dict) -> dict:
    """Everything the faces print, as text."""
    doc = figures.get("document") or {}
    month = dt.date.fromisoformat(figures["since"])
    until = dt.date.fromisoformat(figures["until"])
    issued_on = dt.date.fromisoformat(doc.get("issued_on", figures["until"]))
    partial = figures.get("partial", False)
    region = figures["region"]["name"]
    if partial:
        title = f"{region}{fmt.chinese_month(month)}社会工作服务情况通报（截至{month.month}月{until.day}日）"
        period = f"本期统计{fmt.chinese_date(month)}至{fmt.chinese_date(until)}的系统数据，截至{fmt.chinese_date(until)}；本月尚未结束，环比、同比均与同期（前{until.day}天）相比。"
    else:
        title = f"{region}{fmt.chinese_month(month)}社会工作服务情况通报"
        period = f"本期统计{fmt.chinese_date(month)}至{fmt.chinese_date(until)}的系统数据，截至{month.year}年{month.month}月底。"
    issue = f"{doc.get('year', month.year)}年第{doc.get('issue_number', 1)}期"
    if doc.get("edition", 1) > 1:
        issue += f"（第{doc['edition']}版）"
    network, workforce, services, people = (
        figures["network"],
        figures["workforce"],
        figures["services"],
        figures["people"],
    )
    projects, evaluations, hotline = figures["projects"], figures["evaluations"], figures["hotline"]
    community = figures.get("community")
    sections = [
        (
            "人才队伍",
            f"{region}共有社会工作人才{fmt.number(workforce['talents'])}人，其中驻站专职社工"
            f"{fmt.number(workforce['full_time'])}人，持证社工{fmt.number(workforce['certified'])}人"
            + (
                "（"
                + "、".join(f"{lv['label']}{fmt.number(lv['n'])}人" for lv in workforce["by_level"])
                + "）"
                if workforce["by_level"]
                else ""
            )
            + f"；每万名常住人口拥有社会工作人才{fmt.number(workforce['per_10k'])}人；"
            f"{fmt.number(workforce['under_staffed'])}个站点未达到配备人数要求。",
        ),
        (
            "服务与走访",
            f"本期服务{fmt.number(services['person_times'])}人次，服务记录{fmt.number(services['records'])}条；"
            f"在办个案{fmt.number(services['cases_open'])}个，本期结案{fmt.number(services['cases_closed'])}个；"
            f"在册服务对象{fmt.number(people['people'])}人，{fmt.number(people['overdue'])}人超期未走访。",
        ),
        (
            "社区与慈善",
            (
                f"本期开展社区活动和小组活动{fmt.number(community['held'])}场次、{fmt.number(community['participants'])}人次；"
                f"活跃志愿者{fmt.number(community['volunteers'])}人，确认志愿服务{fmt.number(community['volunteer_hours'])}小时；"
                f"本期接收捐赠{fmt.wan_yuan(community['donated'])}，社区慈善基金余额{fmt.wan_yuan(community['fund_balance'])}。"
            )
            if community
            else "系统尚未记录社区活动、志愿者和慈善资源。",
        ),
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
    complete = figures.get("completeness") or {"stations": 0, "missing": 0, "no_record": 0, "gaps": []}
    completeness_text = (
        f"已建成站点{fmt.number(complete['stations'])}个，本期有{fmt.number(complete['missing'])}个站点未录入服务记录或走访记录"
        f"（其中{fmt.number(complete['no_record'])}个两项均无），相关数字可能偏低，请督促补录。"
        if complete["missing"]
        else f"已建成站点{fmt.number(complete['stations'])}个，本期均录入了服务记录和走访记录。"
    )
    new_stations = [
        {"name": s["name"], "built_on": fmt.chinese_date(dt.date.fromisoformat(s["built_on"]))}
        for s in network["new_stations"]
    ]
    # The headings, numbered 一、二、… in the order every face prints them.
    numerals = iter("一二三四五六七八九十十一十二")
    names = ["headline", "ranking", "new_stations"] if network["children"] else ["headline", "new_stations"]
    titles = {
        "headline": "主要指标",
        "ranking": "各地乡镇（街道）社工站覆盖情况",
        "new_stations": "新建成站点",
    }
    heads = {name: f"{next(numerals)}、{titles[name]}" for name in names}
    sections = [(f"{next(numerals)}、{head}", text) for head, text in sections]
    heads["completeness"] = f"{next(numerals)}、数据完整性"
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
        "partial": partial,
        "headline": headline(figures["comparison"]),
        "ranking": ranking(network["children"]),
        "new_stations": new_stations,
        "new_stations_text": f"本期新建成站点{len(new_stations)}个。"
        if new_stations
        else "本期无新建成站点。",
        "sections": sections,
        "completeness": complete,
        "completeness_text": completeness_text,
        "closing": f"{doc.get('issuer', '')}办公室",
        "closing_date": f"{fmt.chinese_date(issued_on)}印发",
    }


def _all_text(doc: dict) -> str:
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


# --- PDF -----------------------------------------------------------------------------------------

# Column widths in millimetres, within the 156 mm type area.
HEADLINE_WIDTHS = [46, 20, 20, 25, 20, 25]
RANKING_WIDTHS = [22, 44, 30, 20, 20, 20]
GAP_WIDTHS = [56, 40, 30, 30]
PT_HAO = {"2": 22, "3": 16, "4": 14, "small4": 12, "5": 10.5}


def _charts(d: dict, fonts: dict):
    """Bar charts drawn by ReportLab (vector, in the PDF's own fonts): coverage by child region, and the month's
    service person-times beside last month and the year before."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    drawings = []
    width = 156 * mm
    ranked = d["ranking"][:20]
    if ranked:
        bar_h = 18
        height = len(ranked) * bar_h + 40
        drawing = Drawing(width, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 110, 20
        chart.width, chart.height = width - 150, len(ranked) * bar_h
        chart.data = [[r["township_coverage"] or 0 for r in reversed(ranked)]]
        chart.categoryAxis.categoryNames = [r["name"][:12] for r in reversed(ranked)]
        chart.categoryAxis.labels.fontName = fonts["serif"]
        chart.categoryAxis.labels.fontSize = 9
        chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
        chart.valueAxis.labels.fontName = fonts["serif"]
        chart.valueAxis.labels.fontSize = 8
        chart.bars[0].fillColor = colors.HexColor("#C00000")
        chart.barLabelFormat = "%.1f%%"
        chart.barLabels.fontName = fonts["serif"]
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        drawing.add(chart)
        drawing.add(
            String(
                width / 2,
                height - 12,
                "图1 各地乡镇（街道）社工站覆盖率",
                fontName=fonts["sans"],
                fontSize=10,
                textAnchor="middle",
            )
        )
        drawings.append(drawing)
    rows = {r["key"]: r for r in d["headline"]}
    services = rows.get("person_times")
    if services is not None:
        height = 150
        drawing = Drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y = 60, 25
        chart.width, chart.height = width - 120, height - 55
        values = [services["year_before"] or 0, services["before"] or 0, services["now"] or 0]
        chart.data = [values]
        chart.categoryAxis.categoryNames = ["上年同期", "上月", "本期"]
        chart.categoryAxis.labels.fontName = fonts["serif"]
        chart.categoryAxis.labels.fontSize = 9
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = max(10, max(values) * 1.15)
        chart.valueAxis.labelTextFormat = "%d"
        chart.valueAxis.labels.fontName = fonts["serif"]
        chart.valueAxis.labels.fontSize = 8
        chart.bars[0].fillColor = colors.HexColor("#C00000")
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = fonts["serif"]
        chart.barLabels.fontSize = 8
        chart.barLabels.nudge = 6
        drawing.add(chart)
        caption = "图2 服务人次：本期与上月、上年同期" + ("（同期前若干天）" if d["partial"] else "")
        drawing.add(
            String(width / 2, height - 12, caption, fontName=fonts["sans"], fontSize=10, textAnchor="middle")
        )
        drawings.append(drawing)
    return drawings


@chinese
def render_pdf(figures: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Flowable,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from shegong.lib.cjk_font import register

    d = document(figures)
    # Every character the PDF may draw: the document's texts and this module's own literals (headings, headers).
    text = _all_text(d) + Path(__file__).read_text(encoding="utf-8")
    fonts = {face: register(face, text) for face in ("serif", "serif-bold", "sans")}
    red = colors.HexColor(RED)
    letterhead = ParagraphStyle(
        "letterhead",
        fontName=fonts["serif-bold"],
        fontSize=42,
        leading=50,
        alignment=TA_CENTER,
        textColor=red,
    )
    issue_style = ParagraphStyle(
        "issue", fontName=fonts["serif"], fontSize=PT_HAO["3"], leading=24, alignment=TA_CENTER
    )
    title_style = ParagraphStyle(
        "title",
        fontName=fonts["serif-bold"],
        fontSize=PT_HAO["2"],
        leading=32,
        alignment=TA_CENTER,
        spaceAfter=10,
    )
    h1 = ParagraphStyle("h1", fontName=fonts["sans"], fontSize=PT_HAO["3"], leading=28, spaceBefore=6)
    body = ParagraphStyle(
        "body",
        fontName=fonts["serif"],
        fontSize=PT_HAO["3"],
        leading=28,
        firstLineIndent=32,
        alignment=TA_JUSTIFY,
    )
    cell = ParagraphStyle("cell", fontName=fonts["serif"], fontSize=PT_HAO["5"], leading=14)
    cell_right = ParagraphStyle("cellr", parent=cell, alignment=2)
    cell_head = ParagraphStyle("cellh", parent=cell, fontName=fonts["sans"], alignment=TA_CENTER)

    def para(value, style) -> Paragraph:
        # Names reach the PDF inside sentences and cells: all of it is text, never ReportLab markup.
        return Paragraph(pdf_text(value), style)

    class Rule(Flowable):
        def __init__(self, width, thickness, color):
            super().__init__()
            self.width, self.thickness, self.color = width, thickness, color

        def wrap(self, available_width, available_height):
            return self.width, self.thickness + 2

        def draw(self):
            self.canv.setStrokeColor(self.color)
            self.canv.setLineWidth(self.thickness)
            self.canv.line(0, 1, self.width, 1)

    class IssuerLine(Flowable):
        """Issuing unit at the left, date at the right, on one line (as under a bulletin's letterhead)."""

        def __init__(self, width, left, right):
            super().__init__()
            self.width, self.left, self.right = width, left, right

        def wrap(self, available_width, available_height):
            return self.width, 22

        def draw(self):
            self.canv.setFont(fonts["serif"], PT_HAO["3"])
            self.canv.drawString(4, 5, self.left)
            self.canv.drawRightString(self.width - 4, 5, self.right)

    def table(rows: list[list], widths: list[float], numeric_from: int = 1) -> Table:
        data = [[para(c, cell_head) for c in rows[0]]] + [
            [para(c, cell_right if i >= numeric_from else cell) for i, c in enumerate(row)]
            for row in rows[1:]
        ]
        result = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return result

    width = 156 * mm
    story = [
        Spacer(1, 6 * mm),
        para(d["letterhead"], letterhead),
        Spacer(1, 4 * mm),
        para(d["issue"], issue_style),
        Spacer(1, 3 * mm),
        IssuerLine(width, d["issuer"], d["issued_on"]),
        Rule(width, 2, red),
        Spacer(1, 8 * mm),
        Paragraph("<br/>".join(pdf_text(line) for line in d["title_lines"]), title_style),
        para(d["period"], body),
        para(d["heads"]["headline"], h1),
        table(
            [["指标", "本期", "上月", "环比", "上年同期", "同比"]]
            + [
                [
                    r["label"],
                    r["now_text"],
                    r["before_text"],
                    r["mom_text"],
                    r["year_before_text"],
                    r["yoy_text"],
                ]
                for r in d["headline"]
            ],
            HEADLINE_WIDTHS,
        ),
    ]
    if d["ranking"]:
        story += [
            para(d["heads"]["ranking"], h1),
            table(
                [["排名", "地区", "已覆盖/纳入范围乡镇", "覆盖率", "已建成站点", "运营率"]]
                + [
                    [
                        r["rank_text"],
                        r["name"],
                        f"{fmt.number(r['covered'])}/{fmt.number(r['townships'])}",
                        fmt.rate(r["township_coverage"]),
                        fmt.number(r["stations_built"]),
                        fmt.rate(r["operating_rate"]),
                    ]
                    for r in d["ranking"]
                ],
                RANKING_WIDTHS,
                numeric_from=2,
            ),
        ]
    charts = _charts(d, fonts)
    if charts:
        story += [Spacer(1, 4 * mm)] + [KeepTogether([c, Spacer(1, 3 * mm)]) for c in charts]
    story += [para(d["heads"]["new_stations"], h1), para(d["new_stations_text"], body)]
    if d["new_stations"]:
        story.append(
            table([["站点", "建成日期"]] + [[s["name"], s["built_on"]] for s in d["new_stations"]], [100, 56])
        )
    for head, sentence in d["sections"]:
        story += [para(head, h1), para(sentence, body)]
    complete = d["completeness"]
    story += [para(d["heads"]["completeness"], h1), para(d["completeness_text"], body)]
    if complete["gaps"]:
        story.append(
            table(
                [["站点", "乡镇（街道）", "服务记录（条）", "走访（次）"]]
                + [
                    [g["name"], g["township"], fmt.number(g["services"]), fmt.number(g["visits"])]
                    for g in complete["gaps"]
                ],
                GAP_WIDTHS,
                numeric_from=2,
            )
        )

    class Closing(Flowable):
        """版记 at the foot of the last page: 印发机关 left, 印发日期 right, between two lines. It takes the rest of the
        page so that it sits at the bottom; with too little room left it moves to a page of its own."""

        block = 34

        def wrap(self, available_width, available_height):
            self.height = max(available_height, self.block)
            return width, self.height

        def draw(self):
            c = self.canv
            c.setStrokeColor(colors.black)
            c.setLineWidth(1)
            c.line(0, 32, width, 32)
            c.setFont(fonts["serif"], PT_HAO["4"])
            c.drawString(14, 12, d["closing"])
            c.drawRightString(width - 14, 12, d["closing_date"])
            c.line(0, 2, width, 2)

    story += [Spacer(1, 10 * mm), Closing()]

    def page_number(canvas, document_):
        number = document_.page
        canvas.saveState()
        canvas.setFont(fonts["serif"], PT_HAO["4"])
        label = f"— {number} —"
        y = 35 * mm - 7 * mm - 14
        if number % 2:
            canvas.drawRightString(A4[0] - 26 * mm - 14, y, label)
        else:
            canvas.drawString(28 * mm + 14, y, label)
        canvas.restoreState()

    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm - 10 * mm,
        bottomMargin=35 * mm,
        title=printable(d["title"]),
        author=printable(d["issuer"]),
        initialFontName=fonts["serif"],
        subject=printable(d["issue"]),
    )
    pdf.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()


# --- Word ----------------------------------------------------------------------------------------


def coverage_chart_png(d: dict) -> bytes | None:
    """Figure 1 (coverage by region) as a PNG for the Word document, drawn with Pillow in the same open font as
    the PDF; Word and WPS have no use for ReportLab's vector drawing."""
    from PIL import Image, ImageDraw

    from shegong.lib.cjk_font import pillow_font

    ranked = d["ranking"][:20]
    if not ranked:
        return None
    scale = 2
    row, left, right, top = 26 * scale, 150 * scale, 70 * scale, 40 * scale
    width = 900 * scale
    height = top + row * len(ranked) + 30 * scale
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    text_font = pillow_font("sans", 15 * scale)
    title_font = pillow_font("sans", 17 * scale)
    draw.text(
        (width // 2, 8 * scale),
        "图1 各地乡镇（街道）社工站覆盖率",
        font=title_font,
        fill="black",
        anchor="mt",
    )
    bar_width = width - left - right
    for step in range(0, 101, 20):
        x = left + bar_width * step // 100
        draw.line([(x, top - 4 * scale), (x, height - 24 * scale)], fill="#dddddd", width=scale)
        draw.text((x, height - 20 * scale), f"{step}%", font=text_font, fill="#555555", anchor="mt")
    for index, region in enumerate(ranked):
        y = top + index * row
        value = region["township_coverage"] or 0
        draw.text(
            (left - 8 * scale, y + row // 2), region["name"][:10], font=text_font, fill="black", anchor="rm"
        )
        draw.rectangle([left, y + 5 * scale, left + bar_width * value / 100, y + row - 5 * scale], fill=RED)
        draw.text(
            (left + bar_width * value / 100 + 6 * scale, y + row // 2),
            fmt.rate(region["township_coverage"]),
            font=text_font,
            fill="black",
            anchor="lm",
        )
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@chinese
def render_docx(figures: dict) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    d = document(figures)
    red = RGBColor(0xD4, 0x00, 0x00)
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    del WD_SECTION

    def font(run, name: str, size: float, bold: bool = False, color=None):
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        r_pr = run._element.get_or_add_rPr()
        r_fonts = r_pr.find(qn("w:rFonts"))
        if r_fonts is None:
            r_fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, r_fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            r_fonts.set(qn(attr), name)
        if color is not None:
            run.font.color.rgb = color
        return run

    def paragraph(
        text: str,
        name: str,
        size: float,
        *,
        align=None,
        bold=False,
        color=None,
        indent=False,
        space_after: float = 0,
    ):
        p = word.add_paragraph()
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        p.paragraph_format.space_before = Pt(0)
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.line_spacing = Pt(28) if size >= 14 else None
        font(p.add_run(printable(text)), name, size, bold, color)
        return p

    def bottom_border(p, color: str, size_eighths: int, sides=("bottom",)):
        p_pr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for side in sides:
            line = OxmlElement(f"w:{side}")
            line.set(qn("w:val"), "single")
            line.set(qn("w:sz"), str(size_eighths))
            line.set(qn("w:space"), "4")
            line.set(qn("w:color"), color)
            borders.append(line)
        # The schema fixes the order of a paragraph's properties; a border after <w:tabs> or <w:spacing> is ignored.
        p_pr.insert_element_before(
            borders,
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        )

    title_font, body_font, head_font = "方正小标宋简体", "仿宋_GB2312", "黑体"
    paragraph(d["letterhead"], title_font, 42, align=WD_ALIGN_PARAGRAPH.CENTER, color=red, space_after=6)
    paragraph(d["issue"], body_font, 16, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    issuer_line = word.add_paragraph()
    issuer_line.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)
    font(issuer_line.add_run(printable(d["issuer"]) + "\t" + d["issued_on"]), body_font, 16)
    bottom_border(issuer_line, RED.lstrip("#"), 18)
    paragraph("", body_font, 12)
    title = paragraph(d["title_lines"][0], title_font, 22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for line in d["title_lines"][1:]:
        title.runs[-1].add_break()
        font(title.add_run(printable(line)), title_font, 22)
    paragraph(d["period"], body_font, 16, indent=True)

    def table(rows: list[list], widths: list[float], numeric_from: int = 1):
        t = word.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for j, column in enumerate(t.columns):
            column.width = Mm(widths[j])
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                t.cell(i, j).width = Mm(widths[j])
                target = t.cell(i, j).paragraphs[0]
                if i == 0:
                    target.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif j >= numeric_from:
                    target.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                font(target.add_run(printable(str(value))), head_font if i == 0 else body_font, 10.5)
        return t

    paragraph(d["heads"]["headline"], head_font, 16)
    table(
        [["指标", "本期", "上月", "环比", "上年同期", "同比"]]
        + [
            [r["label"], r["now_text"], r["before_text"], r["mom_text"], r["year_before_text"], r["yoy_text"]]
            for r in d["headline"]
        ],
        HEADLINE_WIDTHS,
    )
    if d["ranking"]:
        paragraph(d["heads"]["ranking"], head_font, 16)
        table(
            [["排名", "地区", "已覆盖/纳入范围乡镇", "覆盖率", "已建成站点", "运营率"]]
            + [
                [
                    r["rank_text"],
                    r["name"],
                    f"{fmt.number(r['covered'])}/{fmt.number(r['townships'])}",
                    fmt.rate(r["township_coverage"]),
                    fmt.number(r["stations_built"]),
                    fmt.rate(r["operating_rate"]),
                ]
                for r in d["ranking"]
            ],
            RANKING_WIDTHS,
            numeric_from=2,
        )
        chart = coverage_chart_png(d)
        if chart:
            picture = word.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(BytesIO(chart), width=Mm(150))
    paragraph(d["heads"]["new_stations"], head_font, 16)
    paragraph(d["new_stations_text"], body_font, 16, indent=True)
    if d["new_stations"]:
        table([["站点", "建成日期"]] + [[s["name"], s["built_on"]] for s in d["new_stations"]], [100, 56])
    for head, sentence in d["sections"]:
        paragraph(head, head_font, 16)
        paragraph(sentence, body_font, 16, indent=True)
    paragraph(d["heads"]["completeness"], head_font, 16)
    paragraph(d["completeness_text"], body_font, 16, indent=True)
    if d["completeness"]["gaps"]:
        table(
            [["站点", "乡镇（街道）", "服务记录（条）", "走访（次）"]]
            + [
                [g["name"], g["township"], fmt.number(g["services"]), fmt.number(g["visits"])]
                for g in d["completeness"]["gaps"]
            ],
            GAP_WIDTHS,
            numeric_from=2,
        )
    paragraph("", body_font, 16)
    # 版记: one paragraph between two lines (two bordered paragraphs in a row would share one border).
    closing = word.add_paragraph()
    closing.paragraph_format.tab_stops.add_tab_stop(Mm(150), alignment=2)
    font(closing.add_run("　" + printable(d["closing"]) + "\t" + d["closing_date"]), body_font, 14)
    bottom_border(closing, "000000", 8, sides=("top", "bottom"))

    # Page numbers: "— PAGE —", a field Word and WPS update; odd pages at the right, even pages at the left, as
    # GB/T 9704 places them.
    word.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        line = footer.paragraphs[0]
        line.alignment = align
        font(line.add_run("— "), body_font, 14)
        run = font(line.add_run(), body_font, 14)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._element.append(element)
        font(line.add_run(" —"), body_font, 14)

    word.core_properties.title = printable(d["title"])
    word.core_properties.author = printable(d["issuer"])
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()
