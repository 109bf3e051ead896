"""The bulletin as a Word document (GB/T 9704 layout, see render.py) for an office to finish in Word or WPS before
it is sent: it names the fonts an office has (方正小标宋简体, 仿宋_GB2312, 黑体). What it prints comes from
render.document() and render.body(), as the PDF's does."""

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

from shegong.bulletins import formats as fmt
from shegong.bulletins import render
from shegong.bulletins.render import RED, Grid
from shegong.lib.cjk_font import pillow_font
from shegong.lib.escape import printable

TITLE_FONT, BODY_FONT, HEAD_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
# The schema fixes the order of a paragraph's properties; a border after <w:tabs> or <w:spacing> is ignored.
AFTER_BORDERS = (
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


def coverage_chart_png(d: dict) -> bytes | None:
    """Figure 1 (coverage by region) as a PNG for the Word document, drawn with Pillow in the same open font as
    the PDF; Word and WPS have no use for ReportLab's vector drawing."""
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
    title = "图1 各地乡镇（街道）社工站覆盖率"
    draw.text((width // 2, 8 * scale), title, font=pillow_font("sans", 17 * scale), fill="black", anchor="mt")
    bar_width = width - left - right
    for step in range(0, 101, 20):
        x = left + bar_width * step // 100
        draw.line([(x, top - 4 * scale), (x, height - 24 * scale)], fill="#dddddd", width=scale)
        draw.text((x, height - 20 * scale), f"{step}%", font=text_font, fill="#555555", anchor="mt")
    for index, region in enumerate(ranked):
        y = top + index * row
        end = left + bar_width * (region["township_coverage"] or 0) / 100
        draw.text(
            (left - 8 * scale, y + row // 2), region["name"][:10], font=text_font, fill="black", anchor="rm"
        )
        draw.rectangle([left, y + 5 * scale, end, y + row - 5 * scale], fill=RED)
        label = fmt.rate(region["township_coverage"])
        draw.text((end + 6 * scale, y + row // 2), label, font=text_font, fill="black", anchor="lm")
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _font(run, name: str, size: float, bold: bool = False, color=None):
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


def _paragraph(word, text: str, name: str, size: float, *, align=None, color=None, indent=False, after=0):
    p = word.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28) if size >= 14 else None
    _font(p.add_run(printable(text)), name, size, False, color)
    return p


def _border(p, color: str, size_eighths: int, sides=("bottom",)) -> None:
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size_eighths))
        line.set(qn("w:space"), "4")
        line.set(qn("w:color"), color)
        borders.append(line)
    p._p.get_or_add_pPr().insert_element_before(borders, *AFTER_BORDERS)


def _table(word, grid: Grid) -> None:
    t = word.add_table(rows=len(grid.rows), cols=len(grid.rows[0]))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for j, column in enumerate(t.columns):
        column.width = Mm(grid.widths[j])
    for i, row in enumerate(grid.rows):
        for j, value in enumerate(row):
            t.cell(i, j).width = Mm(grid.widths[j])
            target = t.cell(i, j).paragraphs[0]
            if i == 0:
                target.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif j >= grid.numeric_from:
                target.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(target.add_run(printable(str(value))), HEAD_FONT if i == 0 else BODY_FONT, 10.5)


def _front(word, d: dict) -> None:
    """Letterhead, issue number, issuing unit and date over the red line, and the title."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(word, d["letterhead"], TITLE_FONT, 42, align=center, color=RGBColor(0xD4, 0, 0), after=6)
    _paragraph(word, d["issue"], BODY_FONT, 16, align=center, after=6)
    issuer_line = word.add_paragraph()
    issuer_line.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)
    _font(issuer_line.add_run(printable(d["issuer"]) + "\t" + d["issued_on"]), BODY_FONT, 16)
    _border(issuer_line, RED.lstrip("#"), 18)
    _paragraph(word, "", BODY_FONT, 12)
    title = _paragraph(word, d["title_lines"][0], TITLE_FONT, 22, align=center, after=12)
    for line in d["title_lines"][1:]:
        title.runs[-1].add_break()
        _font(title.add_run(printable(line)), TITLE_FONT, 22)


def _body(word, d: dict) -> None:
    for kind, value in render.body(d):
        if kind == "grid":
            _table(word, value)
        elif kind == "charts":
            chart = coverage_chart_png(d)
            if chart:
                picture = word.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.add_run().add_picture(BytesIO(chart), width=Mm(150))
        elif kind == "head":
            _paragraph(word, value, HEAD_FONT, 16)
        else:
            _paragraph(word, value, BODY_FONT, 16, indent=True)


def _closing(word, d: dict) -> None:
    """版记: one paragraph between two lines (two bordered paragraphs in a row would share one border)."""
    _paragraph(word, "", BODY_FONT, 16)
    closing = word.add_paragraph()
    closing.paragraph_format.tab_stops.add_tab_stop(Mm(150), alignment=2)
    _font(closing.add_run("　" + printable(d["closing"]) + "\t" + d["closing_date"]), BODY_FONT, 14)
    _border(closing, "000000", 8, sides=("top", "bottom"))


def _page_field(run) -> None:
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _page_numbers(word, section) -> None:
    """ "— PAGE —", a field Word and WPS update; odd pages at the right, even pages at the left (GB/T 9704)."""
    word.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        line = footer.paragraphs[0]
        line.alignment = align
        _font(line.add_run("— "), BODY_FONT, 14)
        _page_field(_font(line.add_run(), BODY_FONT, 14))
        _font(line.add_run(" —"), BODY_FONT, 14)


@render.chinese
def render_docx(figures: dict) -> bytes:
    d = render.document(figures)
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _front(word, d)
    _body(word, d)
    _closing(word, d)
    _page_numbers(word, section)
    word.core_properties.title = printable(d["title"])
    word.core_properties.author = printable(d["issuer"])
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()
