"""An A4 PDF from a ReportLab story: the bulletin (bulletins/pdf.py), a person's file and a visit record
(clients/printing.py) and the volunteer's hours certificate (community/certificate.py) are built alike."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate


def a4_pdf(story, *, margins: tuple[float, float, float, float], on_page=None, **info) -> bytes:
    """The PDF of ``story`` on A4 with ``margins`` (left, right, top, bottom) in mm; ``on_page(canvas, doc)``
    draws on every page (a footer, the page numbers); ``info``: the document's ``title``, ``author``,
    ``subject`` and ``initialFontName`` (else every page names Helvetica, a font that is not embedded)."""
    left, right, top, bottom = margins
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=left * mm,
        rightMargin=right * mm,
        topMargin=top * mm,
        bottomMargin=bottom * mm,
        **info,
    )
    pages = {"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}
    doc.build(story, **pages)
    return buffer.getvalue()
