"""The three faces of a bulletin, all made from the same snapshot of figures: the printable page (HTML), the
Excel workbook and the PDF. The PDF uses reportlab with the Adobe CID font STSong-Light, which every PDF reader
carries for Chinese, so no font file is shipped."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

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


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _signed(value) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + _fmt(value)


def headline(comparison: list[dict]) -> list[dict]:
    return [
        {
            **row,
            "label": HEADLINE_LABELS[row["key"]](),
            "now_text": _fmt(row["now"]),
            "before_text": _fmt(row["before"]),
            "change_text": _signed(row["change"]),
        }
        for row in comparison
    ]


def _title(figures: dict) -> str:
    return _("%(region)s monthly bulletin, %(month)s") % {
        "region": figures["region"]["name"],
        "month": figures["month"],
    }


def render_html(figures: dict, comparison: list[dict], edition: int) -> str:
    return render_to_string(
        "bulletins/_report.html",
        {"f": figures, "rows": headline(comparison), "title": _title(figures), "edition": edition},
    )


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


def render_xlsx(figures: dict, comparison: list[dict]) -> bytes:
    workbook = Workbook()
    rows = headline(comparison)
    _sheet(
        workbook,
        _("Summary"),
        [_("Figure"), _("This month"), _("Last month"), _("Change")],
        [[r["label"], r["now"], r["before"], r["change"]] for r in rows],
        first=True,
    )
    network = figures["network"]
    _sheet(
        workbook,
        _("Ranking"),
        [
            _("Rank"),
            _("Division code"),
            _("Name"),
            _("Townships in scope"),
            _("Townships covered"),
            _("Township coverage (%)"),
            _("Stations built"),
            _("Operating rate (%)"),
        ],
        [
            [
                i,
                c["code"],
                c["name"],
                c["townships"],
                c["covered"],
                c["township_coverage"],
                c["stations_built"],
                c["operating_rate"],
            ]
            for i, c in enumerate(network["children"], start=1)
        ],
    )
    _sheet(
        workbook,
        _("New stations"),
        [_("Name"), _("Division code"), _("Built on")],
        [[s["name"], s["code"], s["built_on"]] for s in network["new_stations"]],
    )
    workforce, services, people, hotline = (
        figures["workforce"],
        figures["services"],
        figures["people"],
        figures["hotline"],
    )
    projects, evaluations = figures["projects"], figures["evaluations"]
    details = [
        [_("Full-time station workers"), workforce["full_time"]],
        [_("Talents per 10,000 residents"), workforce["per_10k"]],
        [_("Stations below their staffing minimum"), workforce["under_staffed"]],
        *[[level["label"], level["n"]] for level in workforce["by_level"]],
        [_("Service records in the month"), services["records"]],
        [_("Open cases"), services["cases_open"]],
        [_("Cases closed in the month"), services["cases_closed"]],
        [_("People on file"), people["people"]],
        [_("Visit coverage of key people (%)"), people["key_coverage"]],
        [_("Projects running"), projects["running"]],
        [_("Contract amount of running projects (yuan)"), projects["running_amount"]],
        [_("Paid in the month (yuan)"), projects["paid_in_month"]],
        [_("Evaluations finalised in the month"), evaluations["finalised"]],
        [_("Rectification items open"), evaluations["rectification_open"]],
        [_("Rectification items overdue"), evaluations["rectification_overdue"]],
        [_("Hotline: answered within the deadline (%)"), hotline["response_rate"]],
        [_("Hotline: average response (minutes)"), hotline["average_response_minutes"]],
        [_("Hotline: crises awaiting action"), hotline["flagged_now"]],
    ]
    if figures.get("community") is not None:
        community = figures["community"]
        details += [
            [_("Community activities and group sessions in the month"), community["held"]],
            [_("Activity person-times"), community["participants"]],
            [_("Active volunteers"), community["volunteers"]],
            [_("Volunteer hours confirmed in the month"), community["volunteer_hours"]],
            [_("Donations in the month (yuan)"), community["donated"]],
            [_("Community charity fund balance (yuan)"), community["fund_balance"]],
        ]
    _sheet(workbook, _("Details"), [_("Figure"), _("Value")], details)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def render_pdf(figures: dict, comparison: list[dict], edition: int) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)

    def text(value) -> str:
        # STSong-Light has no glyph for the middle dot (U+00B7) that the page uses as a separator.
        return (value if isinstance(value, str) else _fmt(value)).replace("·", "，")

    def para(value, style) -> Paragraph:
        # Names (of stations, regions) reach the PDF inside sentences and cells: all of it is text, never
        # ReportLab markup, which would fetch an <img src="http://..."> while rendering.
        return Paragraph(pdf_text(text(value)), style)

    def table(rows: list[list], widths: list[float]) -> Table:
        data = [[para(cell, body) for cell in row] for row in rows]
        result = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return result

    story = [
        para(_title(figures), title_style),
        para(
            _("Edition %(edition)s · counted %(since)s to %(until)s from the records of the system")
            % {"edition": edition, "since": figures["since"], "until": figures["until"]},
            body,
        ),
        Spacer(1, 4 * mm),
        para(_("Headline figures"), heading),
    ]
    rows = headline(comparison)
    story.append(
        table(
            [[_("Figure"), _("This month"), _("Last month"), _("Change")]]
            + [[r["label"], r["now_text"], r["before_text"], r["change_text"]] for r in rows],
            [70, 35, 35, 30],
        )
    )
    network = figures["network"]
    if network["children"]:
        story += [
            para(_("Child regions ranked by township coverage"), heading),
            table(
                [
                    [
                        _("Rank"),
                        _("Name"),
                        _("Townships covered"),
                        _("Township coverage (%)"),
                        _("Operating rate (%)"),
                    ]
                ]
                + [
                    [
                        str(i),
                        c["name"],
                        f"{c['covered']}/{c['townships']}",
                        _fmt(c["township_coverage"]),
                        _fmt(c["operating_rate"]),
                    ]
                    for i, c in enumerate(network["children"], start=1)
                ],
                [15, 55, 35, 35, 30],
            ),
        ]
    story.append(para(_("New stations in the month"), heading))
    if network["new_stations"]:
        story.append(
            table(
                [[_("Name"), _("Built on")]] + [[s["name"], s["built_on"]] for s in network["new_stations"]],
                [110, 60],
            )
        )
    else:
        story.append(para(_("None."), body))
    workforce, services, people, hotline = (
        figures["workforce"],
        figures["services"],
        figures["people"],
        figures["hotline"],
    )
    projects, evaluations = figures["projects"], figures["evaluations"]
    story += [
        para(_("Staffing and certification"), heading),
        para(
            _(
                "%(talents)s social work talents, %(full_time)s full-time at stations, %(certified)s certified; %(under)s stations below their staffing minimum."
            )
            % {
                "talents": _fmt(workforce["talents"]),
                "full_time": _fmt(workforce["full_time"]),
                "certified": _fmt(workforce["certified"]),
                "under": _fmt(workforce["under_staffed"]),
            },
            body,
        ),
        para(_("Services and visits"), heading),
        para(
            _(
                "%(pt)s service person-times in %(records)s records; %(open)s open cases, %(closed)s closed in the month; %(overdue)s people overdue for a visit."
            )
            % {
                "pt": _fmt(services["person_times"]),
                "records": _fmt(services["records"]),
                "open": _fmt(services["cases_open"]),
                "closed": _fmt(services["cases_closed"]),
                "overdue": _fmt(people["overdue"]),
            },
            body,
        ),
        para(_("Community"), heading),
    ]
    if figures.get("community") is not None:
        story.append(
            para(
                _(
                    "%(n)s community activities and group sessions, %(p)s person-times; %(v)s active volunteers, "
                    "%(h)s volunteer hours confirmed; %(d)s yuan donated in the month."
                )
                % {
                    "n": _fmt(figures["community"]["held"]),
                    "p": _fmt(figures["community"]["participants"]),
                    "v": _fmt(figures["community"]["volunteers"]),
                    "h": _fmt(figures["community"]["volunteer_hours"]),
                    "d": _fmt(figures["community"]["donated"]),
                },
                body,
            )
        )
    else:
        story.append(
            para(
                _("Activities, volunteers and charitable resources are not yet recorded by the system."), body
            )
        )
    story += [
        para(_("Projects and evaluations"), heading),
        para(
            _(
                "%(running)s projects running (%(amount)s yuan); %(paid)s yuan paid in the month. %(final)s evaluations finalised; %(open)s rectification items open, %(overdue)s overdue."
            )
            % {
                "running": _fmt(projects["running"]),
                "amount": _fmt(projects["running_amount"]),
                "paid": _fmt(projects["paid_in_month"]),
                "final": _fmt(evaluations["finalised"]),
                "open": _fmt(evaluations["rectification_open"]),
                "overdue": _fmt(evaluations["rectification_overdue"]),
            },
            body,
        ),
        para(_("Service hotline"), heading),
        para(
            _(
                "%(received)s tickets received, %(crisis)s crises; %(rate)s%% answered within the deadline, average response %(avg)s minutes; %(flagged)s crises awaiting action."
            )
            % {
                "received": _fmt(hotline["received"]),
                "crisis": _fmt(hotline["crisis"]),
                "rate": _fmt(hotline["response_rate"]),
                "avg": _fmt(hotline["average_response_minutes"]),
                "flagged": _fmt(hotline["flagged_now"]),
            },
            body,
        ),
    ]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=printable(_title(figures)),
    )
    document.build(story)
    return buffer.getvalue()
