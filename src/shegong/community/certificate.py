"""The printable certificate of a volunteer's confirmed hours for a period (志愿服务时长证明), as PDF.

ReportLab draws it with the Adobe CID font STSong-Light: PDF readers carry that font (or substitute a CJK font
for it), so no font file has to be shipped or downloaded, and the PDF stays small. The ID number is printed
masked, as on screen; the certificate carries a check code derived from its content so that a copy can be
compared with the record.
"""

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from shegong.lib.escape import pdf_text, printable
from shegong.lib.pdf import a4_pdf

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def check_code(volunteer, since: dt.date, until: dt.date, hours: Decimal, count: int) -> str:
    text = f"{volunteer.pk}|{volunteer.id_number_hash}|{since}|{until}|{hours}|{count}|{settings.SECRET_KEY}"
    return hashlib.sha256(text.encode()).hexdigest()[:12].upper()


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", fontName=font, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=8 * mm
        ),
        "body": ParagraphStyle("body", fontName=font, fontSize=12, leading=22, firstLineIndent=24),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=13, textColor=colors.grey),
        "right": ParagraphStyle("right", fontName=font, fontSize=12, leading=20, alignment=2),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=10, leading=13),
    }


def _statement(volunteer, rows: list, since: dt.date, until: dt.date, total: Decimal) -> str:
    return _(
        "This is to certify that %(name)s (ID number %(id)s) took part in volunteer service %(count)d times "
        "from %(since)s to %(until)s, and that the organisers confirmed %(hours)s hours of service in all."
    ) % {
        "name": volunteer.name,
        "id": volunteer.id_number_masked,
        "count": len(rows),
        "since": since.strftime("%Y-%m-%d"),
        "until": until.strftime("%Y-%m-%d"),
        "hours": f"{total.normalize():f}",
    }


def _grid(rows: list, total: Decimal, font: str, cell: ParagraphStyle) -> Table:
    """Each confirmed sign-up (date, activity, station, hours) and the total."""
    table = [[_("Date"), _("Activity"), _("Station"), _("Hours")]]
    for signup in rows:
        table.append(
            [
                signup.activity.held_on.strftime("%Y-%m-%d"),
                Paragraph(pdf_text(signup.activity.title), cell),
                Paragraph(pdf_text(signup.activity.station.name), cell),
                f"{signup.confirmed_hours.normalize():f}",
            ]
        )
    table.append(["", "", _("Total"), f"{total.normalize():f}"])
    grid = Table(table, colWidths=[28 * mm, 72 * mm, 55 * mm, 18 * mm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 10),
                ("GRID", (0, 0), (-1, -2), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
            ]
        )
    )
    return grid


def hours_certificate(*, volunteer, signups, since: dt.date, until: dt.date, issuer: str) -> bytes:
    """The PDF. ``signups`` are the volunteer's confirmed sign-ups in the period, oldest first."""
    font = _font()
    styles = _styles(font)
    rows = list(signups)
    total = sum((s.confirmed_hours or Decimal("0") for s in rows), Decimal("0"))
    check = _("Check code %(code)s. The hours are those confirmed by the organisers in the system.") % {
        "code": check_code(volunteer, since, until, total, len(rows))
    }
    story = [
        Paragraph(pdf_text(_("Certificate of volunteer service hours")), styles["title"]),
        Paragraph(pdf_text(_statement(volunteer, rows, since, until, total)), styles["body"]),
        Spacer(1, 6 * mm),
        _grid(rows, total, font, styles["cell"]),
        Spacer(1, 14 * mm),
        Paragraph(pdf_text(issuer), styles["right"]),
        Paragraph(pdf_text(timezone.localdate().strftime("%Y-%m-%d")), styles["right"]),
        Spacer(1, 10 * mm),
        Paragraph(pdf_text(check), styles["small"]),
    ]
    return a4_pdf(
        story,
        margins=(18, 18, 22, 18),
        title=_("Certificate of volunteer service hours"),
        author=printable(issuer),
    )
