"""The bulletin as a PDF (GB/T 9704 layout, see render.py), drawn with ReportLab in subsets of open CJK fonts
(lib/cjk_font.py). What it prints comes from render.document() and render.body(), as the Word document's does."""

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from shegong.bulletins import render
from shegong.bulletins.render import PT_HAO, RED, Grid
from shegong.lib.cjk_font import register
from shegong.lib.escape import pdf_text, printable
from shegong.lib.pdf import a4_pdf

WIDTH = 156 * mm  # the type area
CHART_RED = colors.HexColor("#C00000")


def _styles(fonts: dict) -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=fonts["serif"], fontSize=PT_HAO["5"], leading=14)
    return {
        "letterhead": ParagraphStyle(
            "letterhead",
            fontName=fonts["serif-bold"],
            fontSize=42,
            leading=50,
            alignment=TA_CENTER,
            textColor=colors.HexColor(RED),
        ),
        "issue": ParagraphStyle(
            "issue", fontName=fonts["serif"], fontSize=PT_HAO["3"], leading=24, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            fontName=fonts["serif-bold"],
            fontSize=PT_HAO["2"],
            leading=32,
            alignment=TA_CENTER,
            spaceAfter=10,
        ),
        "head": ParagraphStyle("h1", fontName=fonts["sans"], fontSize=PT_HAO["3"], leading=28, spaceBefore=6),
        "text": ParagraphStyle(
            "body",
            fontName=fonts["serif"],
            fontSize=PT_HAO["3"],
            leading=28,
            firstLineIndent=32,
            alignment=TA_JUSTIFY,
        ),
        "cell": cell,
        "cell_right": ParagraphStyle("cellr", parent=cell, alignment=2),
        "cell_head": ParagraphStyle("cellh", parent=cell, fontName=fonts["sans"], alignment=TA_CENTER),
    }


def _para(value, style) -> Paragraph:
    # Names reach the PDF inside sentences and cells: all of it is text, never ReportLab markup.
    return Paragraph(pdf_text(value), style)


class Rule(Flowable):
    """The red line under the issuing unit."""

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

    def __init__(self, font, left, right):
        super().__init__()
        self.width, self.font, self.left, self.right = WIDTH, font, left, right

    def wrap(self, available_width, available_height):
        return self.width, 22

    def draw(self):
        self.canv.setFont(self.font, PT_HAO["3"])
        self.canv.drawString(4, 5, self.left)
        self.canv.drawRightString(self.width - 4, 5, self.right)


class Closing(Flowable):
    """版记 at the foot of the last page: 印发机关 left, 印发日期 right, between two lines. It takes the rest of the page
    so that it sits at the bottom; with too little room left it moves to a page of its own."""

    block = 34

    def __init__(self, font, left, right):
        super().__init__()
        self.font, self.left, self.right = font, left, right

    def wrap(self, available_width, available_height):
        self.height = max(available_height, self.block)
        return WIDTH, self.height

    def draw(self):
        c = self.canv
        c.setStrokeColor(colors.black)
        c.setLineWidth(1)
        c.line(0, 32, WIDTH, 32)
        c.setFont(self.font, PT_HAO["4"])
        c.drawString(14, 12, self.left)
        c.drawRightString(WIDTH - 14, 12, self.right)
        c.line(0, 2, WIDTH, 2)


def _table(grid: Grid, styles: dict) -> Table:
    data = [[_para(c, styles["cell_head"]) for c in grid.rows[0]]] + [
        [
            _para(c, styles["cell_right"] if i >= grid.numeric_from else styles["cell"])
            for i, c in enumerate(row)
        ]
        for row in grid.rows[1:]
    ]
    result = Table(data, colWidths=[w * mm for w in grid.widths], repeatRows=1)
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


def _caption(text: str, height: float, fonts: dict) -> String:
    return String(WIDTH / 2, height - 12, text, fontName=fonts["sans"], fontSize=10, textAnchor="middle")


def _label_fonts(axis_labels, fonts: dict, size: float) -> None:
    axis_labels.fontName = fonts["serif"]
    axis_labels.fontSize = size


def _coverage_chart(d: dict, fonts: dict) -> Drawing | None:
    """Figure 1: township coverage of each child region (the first 20 of the ranking), as horizontal bars."""
    ranked = d["ranking"][:20]
    if not ranked:
        return None
    bar_h = 18
    height = len(ranked) * bar_h + 40
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 110, 20
    chart.width, chart.height = WIDTH - 150, len(ranked) * bar_h
    chart.data = [[r["township_coverage"] or 0 for r in reversed(ranked)]]
    chart.categoryAxis.categoryNames = [r["name"][:12] for r in reversed(ranked)]
    _label_fonts(chart.categoryAxis.labels, fonts, 9)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    _label_fonts(chart.valueAxis.labels, fonts, 8)
    chart.bars[0].fillColor = CHART_RED
    chart.barLabelFormat = "%.1f%%"
    _label_fonts(chart.barLabels, fonts, 7)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(_caption("图1 各地乡镇（街道）社工站覆盖率", height, fonts))
    return drawing


def _services_chart(d: dict, fonts: dict) -> Drawing | None:
    """Figure 2: the month's service person-times beside last month's and the year before's."""
    services = {r["key"]: r for r in d["headline"]}.get("person_times")
    if services is None:
        return None
    height = 150
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 60, 25
    chart.width, chart.height = WIDTH - 120, height - 55
    values = [services["year_before"] or 0, services["before"] or 0, services["now"] or 0]
    chart.data = [values]
    chart.categoryAxis.categoryNames = ["上年同期", "上月", "本期"]
    _label_fonts(chart.categoryAxis.labels, fonts, 9)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(10, max(values) * 1.15)
    chart.valueAxis.labelTextFormat = "%d"
    _label_fonts(chart.valueAxis.labels, fonts, 8)
    chart.bars[0].fillColor = CHART_RED
    chart.barLabelFormat = "%d"
    _label_fonts(chart.barLabels, fonts, 8)
    chart.barLabels.nudge = 6
    drawing.add(chart)
    caption = "图2 服务人次：本期与上月、上年同期" + ("（同期前若干天）" if d["partial"] else "")
    drawing.add(_caption(caption, height, fonts))
    return drawing


def _charts(d: dict, fonts: dict) -> list:
    drawings = [c for c in (_coverage_chart(d, fonts), _services_chart(d, fonts)) if c is not None]
    if not drawings:
        return []
    return [Spacer(1, 4 * mm)] + [KeepTogether([c, Spacer(1, 3 * mm)]) for c in drawings]


def _front(d: dict, styles: dict, fonts: dict) -> list:
    """Letterhead, issue number, issuing unit and date over the red line, and the title."""
    return [
        Spacer(1, 6 * mm),
        _para(d["letterhead"], styles["letterhead"]),
        Spacer(1, 4 * mm),
        _para(d["issue"], styles["issue"]),
        Spacer(1, 3 * mm),
        IssuerLine(fonts["serif"], d["issuer"], d["issued_on"]),
        Rule(WIDTH, 2, colors.HexColor(RED)),
        Spacer(1, 8 * mm),
        Paragraph("<br/>".join(pdf_text(line) for line in d["title_lines"]), styles["title"]),
    ]


def _story(d: dict, styles: dict, fonts: dict) -> list:
    story = _front(d, styles, fonts)
    for kind, value in render.body(d):
        if kind == "grid":
            story.append(_table(value, styles))
        elif kind == "charts":
            story += _charts(d, fonts)
        else:
            story.append(_para(value, styles[kind]))
    return story + [Spacer(1, 10 * mm), Closing(fonts["serif"], d["closing"], d["closing_date"])]


def _page_number(font: str):
    """Page numbers "— 1 —" at the foot: odd pages at the right, even pages at the left."""

    def draw(canvas, document_):
        number = document_.page
        canvas.saveState()
        canvas.setFont(font, PT_HAO["4"])
        label = f"— {number} —"
        y = 35 * mm - 7 * mm - 14
        if number % 2:
            canvas.drawRightString(A4[0] - 26 * mm - 14, y, label)
        else:
            canvas.drawString(28 * mm + 14, y, label)
        canvas.restoreState()

    return draw


@render.chinese
def render_pdf(figures: dict) -> bytes:
    d = render.document(figures)
    # Every character the PDF may draw: the document's texts and the literals of this module and render.py.
    text = (
        render.all_text(d)
        + Path(__file__).read_text(encoding="utf-8")
        + Path(render.__file__).read_text("utf-8")
    )
    fonts = {face: register(face, text) for face in ("serif", "serif-bold", "sans")}
    return a4_pdf(
        _story(d, _styles(fonts), fonts),
        margins=(28, 26, 37 - 10, 35),
        on_page=_page_number(fonts["serif"]),
        title=printable(d["title"]),
        author=printable(d["issuer"]),
        initialFontName=fonts["serif"],
        subject=printable(d["issue"]),
    )
