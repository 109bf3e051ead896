"""One escaping helper per output that user-typed text reaches.

A station's name, a volunteer's name or an activity's title is data, never markup or a formula, whatever
characters it holds. Each output has its own rules, and each has exactly one function here:

- :func:`pdf_text` for ReportLab ``Paragraph`` markup (the bulletin, the volunteer certificate): ``<img>``,
  ``<font>``, ``<a>`` and ``&...;`` in a name would otherwise be obeyed, and ``<img src="http://...">`` makes
  the server fetch the address (server-side request forgery);
- :func:`sheet_cell` for every spreadsheet cell, in Excel workbooks and CSV files alike: a text starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel, WPS and LibreOffice
  (``=HYPERLINK(...)`` sends the reader's data elsewhere); a leading apostrophe makes it plain text;
- HTML is Django's template auto-escaping (and ``format_html`` where Python builds a fragment), and for the
  pages that print hundreds of rows, :func:`html_text` and :func:`html_rows`: the same escaping as
  ``conditional_escape`` and ``format_html_join``, without their lazy-string machinery per value (a third of
  a prefecture's visit ledger's CPU).
- No e-mail is sent by Shegong; a future one goes through Django's mail API, which encodes headers itself.

Both helpers also drop the control characters XML 1.0 forbids (U+0000–U+0008, U+000B, U+000C,
U+000E–U+001F) and lone surrogates: an xlsx or PDF holding one cannot be written (openpyxl raises
IllegalCharacterError) or cannot be read back, and no person types them on purpose.
"""

import html
import re
from xml.sax.saxutils import escape as _xml_escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

# The characters XML 1.0 does not allow, openpyxl's ILLEGAL_CHARACTERS_RE plus lone surrogates (which UTF-8
# cannot encode). Tab, line feed and carriage return are allowed and kept.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY_CELL = re.compile("^[=+\\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without the control characters XML cannot hold."""
    return _ILLEGAL.sub("", text) if _ILLEGAL.search(text) else text


def pdf_text(value) -> str:
    """``value`` as literal text inside ReportLab ``Paragraph`` markup: ``&``, ``<`` and ``>`` escaped, control
    characters dropped. Every Paragraph of ours is built from this, including translated sentences, since
    they carry names through %-formatting."""
    return _xml_escape(printable(str(value)))


def sheet_cell(value):
    """A cell's value ready for an Excel workbook or a CSV file: text that Excel would run as a formula gets a
    leading apostrophe, control characters are dropped; numbers, dates and None pass unchanged. Safe to apply
    twice."""
    if value.__class__ is not str:
        if not isinstance(value, (str, Promise)):
            return value
        value = str(value)
    # One search decides for almost every cell (a 100,000-row export passes a million through here).
    if not _RISKY_CELL.search(value):
        return value
    value = printable(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def html_text(value) -> str:
    """``conditional_escape(value)``: markup already safe (``__html__``) as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_rows(template: str, rows) -> SafeString:
    """``format_html_join("", template, rows)``: each row's values escaped by :func:`html_text` into the
    ``str.format`` template (which is markup, written by us)."""
    return mark_safe("".join(template.format(*map(html_text, row)) for row in rows))  # noqa: S308 - escaped
