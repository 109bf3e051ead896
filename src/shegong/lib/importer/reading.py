"""Reading what bureaus have: .xlsx, .xls (and WPS .et where calamine reads it), .csv in UTF-8 or GBK/GB18030.

Every file becomes a :class:`Book`: its sheets, each a list of rows of plain Python values (text, int,
float, date, datetime, bool, None), with the row and column numbers as Excel shows them. Nothing here knows
about ledgers. A file that cannot be read raises :class:`ReadError` with a Chinese message that says what the
file is and how to save it so that it can be read.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from shegong.lib.excel import SheetError, check_workbook_bounds

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


class ReadError(Exception):
    """The file as a whole cannot be read; the message is for the user (already translated)."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # rows[i][j] is the cell of Excel row i+1, column j+1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 0-based


@dataclass
class Book:
    kind: str  # "xlsx", "xls", "csv"
    sheets: list[Sheet]


def _save_as() -> str:
    return _("Open it in Excel or WPS and use “Save as” → “Excel workbook (*.xlsx)”, then upload that file.")


def read_book(data: bytes) -> Book:
    """Read ``data`` (the uploaded file's bytes), recognised by its content, never by its name."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise ReadError(_("The file is empty."))
    if data.startswith(ZIP):
        try:
            check_workbook_bounds(data)
        except SheetError as exc:
            raise ReadError(str(exc)) from exc
        return Book("xlsx", _calamine(data, "xlsx"))
    if data.startswith(OLE):
        return Book("xls", _calamine(data, "xls"))
    if b"\x00" in data[:65536]:
        raise ReadError(
            _("The file is neither an Excel workbook nor a CSV text file (it holds binary data). %(how)s")
            % {"how": _save_as()}
        )
    return Book("csv", [_csv(data)])


def _calamine(data: bytes, kind: str) -> list[Sheet]:
    limit = settings.SHEET_MAX_ROWS
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [
            m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")
        ] or book.sheet_names
        sheets = []
        for name in names:
            sheet = book.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)
            rows: list[list] = [[] for _ in range(top)]
            for row in sheet.iter_rows():
                if len(rows) > limit + 50:
                    raise ReadError(
                        _("The sheet “%(sheet)s” has more than %(max)s rows: split the file.")
                        % {"sheet": name, "max": f"{limit:,}"}
                    )
                rows.append([None] * left + [_value(v) for v in row])
            merged = []
            try:
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            except Exception:  # noqa: BLE001 - merged ranges are a help, not a need (xls may not give them)
                merged = []
            sheets.append(Sheet(name, rows, merged))
        book.close()
    except ReadError:
        raise
    except Exception as exc:  # calamine's errors are its own types (CalamineError, PanicException...)
        if kind == "xls":
            raise ReadError(
                _("The file looks like an old Excel or WPS workbook (.xls/.et) but cannot be read. %(how)s")
                % {"how": _save_as()}
            ) from exc
        raise ReadError(
            _("The file is not a readable Excel workbook (it may be damaged or cut short). %(how)s")
            % {"how": _save_as()}
        ) from exc
    if not sheets:
        raise ReadError(_("The workbook has no sheets."))
    return sheets


def _value(value):
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        _("The file is not an Excel workbook, and as text it is neither UTF-8 nor GBK. %(how)s")
        % {"how": _save_as()}
    )


def _csv(data: bytes) -> Sheet:
    text = _decode(data)
    if "\x00" in text:
        raise ReadError(
            _("The file holds NUL characters; it is not an ordinary table. %(how)s") % {"how": _save_as()}
        )
    sample = text[:8192]
    delimiter = max([",", "\t", ";", "，"], key=sample.count)
    if sample.count(delimiter) == 0:
        delimiter = ","
    limit = settings.SHEET_MAX_ROWS
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > limit + 50:
                raise ReadError(
                    _("The file has more than %(max)s rows: split the file.") % {"max": f"{limit:,}"}
                )
            rows.append([cell if cell.strip() else None for cell in row])
    except csv.Error as exc:
        raise ReadError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return Sheet("CSV", rows)
