"""Excel in and out (openpyxl): templates with headers and dropdowns, and validated reading.

Every import in Shegong reads its sheet through :func:`read_rows`, so every import reports errors the same
way: the row number as Excel shows it, the column's Chinese header, and what is wrong.
"""

import datetime as dt
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, BinaryIO
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from shegong.lib.escape import sheet_cell

# --- Read-only sheets learn their size from the head of the sheet ------------------------------------------
#
# openpyxl's read-only worksheet looks for the <dimension> record when it is opened, by parsing the sheet's
# XML until that record or the end of <sheetData>. A sheet without the record (every sheet written by
# openpyxl's write-only mode, our exports included) is parsed in full before its first row is read: a tenth
# of a 100,000-row import. The schema puts the record before <sheetData>, so reading up to there gives the
# same answer (the dimensions, or none) from the first few hundred bytes.

_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"([^\"]+)\"")
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")


def sheet_dimensions(source) -> tuple[int, int, int, int] | None:
    """(min column, min row, max column, max row) from a worksheet XML stream's <dimension> record; None
    without one."""
    head = b""
    while True:
        chunk = source.read(1 << 14)
        head += chunk
        data = _SHEET_DATA.search(head)
        found = _DIMENSION.search(head, 0, data.start() if data else len(head))
        if found:
            try:
                return range_boundaries(found.group(1).decode())
            except ValueError:
                return None
        if data or not chunk or len(head) > 1 << 20:
            # No record before the rows, or (in a hostile file) no rows in the first megabyte.
            return None


def _get_size(self) -> None:
    with self._get_source() as source:
        dimensions = sheet_dimensions(source)
    if dimensions is not None and None not in dimensions:
        self._min_column, self._min_row, self._max_column, self._max_row = dimensions


if hasattr(ReadOnlyWorksheet, "_get_size"):
    ReadOnlyWorksheet._get_size = _get_size


class SheetError(Exception):
    """The file as a whole cannot be read (not an xlsx, wrong headers)."""


# --- Bounds checked before a workbook is parsed ---------------------------------------------------------
#
# An xlsx is a zip archive: 3.6 MB of it can inflate to a gigabyte of XML (a "zip bomb"), which openpyxl would
# parse into memory. The archive's central directory, at its end, lists every part's uncompressed size; Python's
# zipfile never inflates a part beyond the size listed there (a part that would is cut off and fails its
# checksum), so those sizes bound the work before a byte is inflated. A worksheet's <dimension> record then gives
# its row count from the first few kilobytes; the reader counts rows as it goes for sheets without one.


def _not_xlsx() -> SheetError:
    return SheetError(_("The file is not an Excel workbook (.xlsx)."))


def _limits() -> tuple[int, int, int]:
    """(total uncompressed bytes, largest non-sheet part in bytes, data rows), from settings."""
    total = settings.SHEET_MAX_UNCOMPRESSED_MB * 1024 * 1024
    return total, min(total, 64 * 1024 * 1024), settings.SHEET_MAX_ROWS


def _too_many_rows(rows: int, limit: int) -> SheetError:
    return SheetError(
        _("The sheet has %(rows)s data rows; at most %(max)s can be read at once: split the file.")
        % {"rows": f"{rows:,}", "max": f"{limit:,}"}
    )


def check_workbook_bounds(source) -> None:
    """Refuse (SheetError) a workbook whose parts inflate beyond the limits, or has too many parts or rows,
    reading only the zip's directory and the head of each worksheet. ``source`` is bytes or a binary file."""
    total_limit, part_limit, row_limit = _limits()
    try:
        archive = zipfile.ZipFile(
            BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
        )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx() from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > 1000:
            raise SheetError(
                _("The workbook has %(n)s parts, far more than a spreadsheet has.") % {"n": len(parts)}
            )
        total = sum(part.file_size for part in parts)
        sheets = [p for p in parts if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")]
        largest = max((p.file_size for p in parts if p not in sheets), default=0)
        if total > total_limit or largest > part_limit:
            raise SheetError(
                _(
                    "The workbook unpacks to %(size)s MB, more than the %(max)s MB a sheet may hold: it is not an ordinary spreadsheet, or it must be split."
                )
                % {"size": f"{total / 1024 / 1024:,.0f}", "max": total_limit // 1024 // 1024}
            )
        for part in sheets:
            try:
                with archive.open(part) as stream:
                    dimensions = sheet_dimensions(stream)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                raise _not_xlsx() from exc
            if dimensions and dimensions[3] and dimensions[3] - 1 > row_limit:
                raise _too_many_rows(dimensions[3] - 1, row_limit)


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"  # text, int, date, choice, code
    required: bool = False
    choices: list[str] = field(default_factory=list)
    min_value: int | None = None
    max_value: int | None = None
    width: int = 16


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "text": str(self)}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _narrow(text: str) -> str:
    """Full-width digits, letters and punctuation (５２２３, typed with a Chinese input method) in their
    ASCII forms, so that a code, number or date typed either way reads the same. Not for names and
    addresses, whose full-width brackets are correct Chinese."""
    return unicodedata.normalize("NFKC", text)


def _convert(column: Column, value: Any) -> tuple[Any, str | None]:
    """(converted value, error message or None)."""
    text = _as_text(value)
    if column.kind in ("code", "int", "date"):
        text = _narrow(text)
    if text == "":
        if column.required:
            return None, _("is required")
        return None, None
    if column.kind in ("text", "code"):
        if column.kind == "code" and not (text.isascii() and text.isdigit()):
            return None, _("should be digits, not “%(value)s”") % {"value": text}
        return text, None
    if column.kind == "int":
        if isinstance(value, bool):
            return None, _("should be a whole number, not “%(value)s”") % {"value": text}
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            cleaned = text.replace(",", "").replace("，", "")
            if not cleaned.lstrip("-").isdigit():
                return None, _("should be a whole number, not “%(value)s”") % {"value": text}
            number = int(cleaned)
        if column.min_value is not None and number < column.min_value:
            return None, _("should be at least %(min)s, not %(value)s") % {
                "min": column.min_value,
                "value": number,
            }
        if column.max_value is not None and number > column.max_value:
            return None, _("should be at most %(max)s, not %(value)s") % {
                "max": column.max_value,
                "value": number,
            }
        return number, None
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                return dt.datetime.strptime(text, fmt).date(), None
            except ValueError:
                continue
        return None, _("should be a date like 2025-03-31, not “%(value)s”") % {"value": text}
    if column.kind == "choice":
        if text not in column.choices:
            return None, _("“%(value)s” is not one of: %(choices)s") % {
                "value": text,
                "choices": "、".join(column.choices),
            }
        return text, None
    raise ValueError(column.kind)


def read_rows(
    data: bytes | BinaryIO, columns: list[Column], progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[int, dict, list[RowError]]]:
    """Yield (excel row number, values, errors) for every non-empty data row of the first sheet.

    The first row must hold the columns' headers (in any order; extra columns are ignored). The sheet is
    streamed (openpyxl's read-only mode): a caller that does not keep the rows reads a sheet of any length in
    the same memory. The file's bounds are checked first (:func:`check_workbook_bounds`). ``data`` is the
    file's bytes or a binary file open for reading (a job's upload, read from storage as the sheet is
    streamed)."""
    check_workbook_bounds(data)
    try:
        source = BytesIO(data) if isinstance(data, bytes | bytearray) else data
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:
        raise _not_xlsx() from exc
    try:
        yield from _read_sheet(workbook, columns, progress)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        # A part that is cut short or inflates past its listed size fails here, mid-sheet.
        raise _not_xlsx() from exc
    finally:
        workbook.close()


def _read_sheet(workbook, columns: list[Column], progress) -> Iterator[tuple[int, dict, list[RowError]]]:
    _total, _part, row_limit = _limits()
    sheet = workbook.worksheets[0]
    total = max((sheet.max_row or 1) - 1, 0)
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise SheetError(_("The sheet is empty."))
    positions = {_narrow(_as_text(name)): index for index, name in enumerate(header)}
    missing = [c.header for c in columns if _narrow(str(c.header)) not in positions]
    if missing:
        raise SheetError(
            _("The first row must hold the template's headers; missing: %(headers)s")
            % {"headers": "、".join(missing)}
        )
    wanted = [(column, positions[_narrow(str(column.header))]) for column in columns]
    fast = _fast_rows(sheet)
    if fast is not None:
        rows = fast
    for offset, row in enumerate(rows):
        number = offset + 2
        if offset >= row_limit:
            raise _too_many_rows(offset + 1, row_limit)
        if progress and offset % 200 == 0:
            progress(offset, total)
        if row is None or all(v is None or _as_text(v) == "" for v in row):
            continue
        values, errors = {}, []
        width = len(row)
        for column, index in wanted:
            value, error = _convert(column, row[index] if index < width else None)
            if error:
                errors.append(RowError(number, column.header, error))
            values[column.key] = value
        yield number, values, errors
    if progress:
        progress(total, total)


# --- A faster reader of the sheet's cells -------------------------------------------------------------------
#
# openpyxl's read-only mode builds an element tree, a dict and a cell object for every cell; for a ledger of
# 100,000 rows that is most of an import's time. The sheet's XML is simple enough to read straight from the
# stream with expat; openpyxl still opens the workbook (shared strings, date styles, epoch) and reads the
# header row, and remains the reader whenever its internals are not as expected.


def _fast_rows(sheet) -> Iterator[tuple] | None:
    """The data rows (after the header row) of a read-only sheet as tuples of values, like openpyxl's
    ``iter_rows(values_only=True)``; None when this openpyxl does not expose what the reader needs."""
    try:
        workbook = sheet.parent
        source = workbook._archive.open(sheet._worksheet_path)
        reader = _SheetReader(
            sheet._shared_strings, workbook._date_formats, workbook._timedelta_formats, workbook.epoch
        )
    except (AttributeError, KeyError):
        return None
    return _data_rows(reader, source)


def _data_rows(reader: "_SheetReader", source) -> Iterator[tuple]:
    with source:
        expected = 2
        for number, cells in reader.rows(source):
            if number < 2:
                continue
            # Rows Excel left out (empty ones) come back as empty tuples, as openpyxl gives them.
            while expected < number:
                yield ()
                expected += 1
            expected = number + 1
            yield cells


def _column_index(letters: str) -> int:
    """0 for A, 27 for AB."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


class _SheetReader:
    """Streams a worksheet's XML with expat and hands out (row number, values) a chunk at a time. Refuses any
    document type declaration: a worksheet has none, and entities are how XML bombs work."""

    CHUNK = 1 << 16

    def __init__(self, shared_strings, date_formats, timedelta_formats, epoch) -> None:
        self.shared_strings = shared_strings
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.epoch = epoch

    def rows(self, source) -> Iterator[tuple[int, tuple]]:
        done: list[tuple[int, tuple]] = []
        parts: list[str] = []
        columns: dict[str, int] = {}  # "AB" → 27
        row = col = style = phonetic = 0
        kind = "n"
        cells: dict[int, Any] = {}
        reading: bool | None = None  # inside <v> or <t>; None until the cell has a value element

        def start(tag, attrs):
            nonlocal row, col, style, phonetic, kind, cells, reading
            tag = tag.rpartition(":")[2]
            if tag == "c":
                reference = attrs.get("r")
                if reference:
                    letters = reference.rstrip("0123456789")
                    col = columns.get(letters)
                    if col is None:
                        col = columns[letters] = _column_index(letters)
                else:
                    col += 1
                kind = attrs.get("t", "n")
                style = int(attrs.get("s") or 0)
                reading = None
                parts.clear()
            elif tag == "v" or (tag == "t" and not phonetic):
                reading = True
            elif tag == "rPh":
                phonetic += 1
            elif tag == "row":
                reference = attrs.get("r")
                row = int(float(reference)) if reference else row + 1
                cells = {}
                col = -1

        def end(tag):
            nonlocal phonetic, reading
            tag = tag.rpartition(":")[2]
            if tag == "v" or tag == "t":
                if reading:
                    reading = False
            elif tag == "c":
                if reading is not None:
                    cells[col] = self.value(kind, style, "".join(parts))
            elif tag == "rPh":
                phonetic -= 1
            elif tag == "row":
                if cells:
                    values = [None] * (max(cells) + 1)
                    for index, value in cells.items():
                        values[index] = value
                    done.append((row, tuple(values)))
                else:
                    done.append((row, ()))

        def text(data):
            if reading:
                parts.append(data)

        def refuse(*_args):
            raise SheetError(_("The file is not an Excel workbook (.xlsx)."))

        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.buffer_text = True
        while chunk := source.read(self.CHUNK):
            try:
                parser.Parse(chunk, False)
            except expat.ExpatError as exc:
                raise SheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
            yield from done
            done.clear()
        parser.Parse(b"", True)
        yield from done

    def value(self, kind: str, style: int, text: str):
        """A cell's value as openpyxl gives it with data_only: shared and inline strings, numbers (dates where
        the cell's style is a date format), booleans, error codes as their text."""
        if kind == "s":
            return self.shared_strings[int(text)] if text else None
        if kind in ("inlineStr", "str", "e"):
            return text
        if text == "":
            return None
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        if style in self.date_formats:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.timedelta_formats)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number


# Formula injection and illegal characters: every cell any writer of ours puts in a workbook goes through
# sheet_row (build_workbook, write_workbook, the bulletin's workbook) and every CSV cell through sheet_cell.
neutralise = sheet_cell


def sheet_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells as written to a workbook: see :func:`shegong.lib.escape.sheet_cell`."""
    return [sheet_cell(value) for value in values]


def build_workbook(
    title: str, columns: list[Column], rows: list[list[Any]] | None = None, note: str = ""
) -> bytes:
    """A workbook with one sheet: bold headers, sized columns, dropdowns for choice columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(sheet_row(c.header for c in columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows or []:
        sheet.append(sheet_row(row))
    lists = None
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind in ("code", "text"):
            for row_cells in sheet.iter_rows(
                min_row=2, max_row=max(2, len(rows or []) + 1), min_col=index, max_col=index
            ):
                for cell in row_cells:
                    cell.number_format = "@"
        if column.kind == "choice" and column.choices:
            # The choices live in a hidden sheet: an inline list is capped at 255 characters by Excel and
            # splits on commas inside a label.
            if lists is None:
                lists = workbook.create_sheet("_lists")
                lists.sheet_state = "hidden"
            for row_number, choice in enumerate(column.choices, start=1):
                lists.cell(row=row_number, column=index, value=sheet_cell(choice))
            source = f"_lists!${letter}$1:${letter}${len(column.choices)}"
            validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
            validation.error = _("Choose a value from the list.")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}10000")
    sheet.freeze_panes = "A2"
    if note:
        info = workbook.create_sheet(_("Instructions"))
        for line in note.splitlines():
            info.append(sheet_row([line]))
        info.column_dimensions["A"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header included


def stream_workbook(
    title: str, columns: list[Column], rows: Iterable[list[Any]], sheet_rows: int = 0, about=None
) -> bytes:
    """:func:`write_workbook` into memory: the finished file as bytes."""

    with tempfile.TemporaryFile() as handle:
        write_workbook(handle, title, columns, rows, sheet_rows, about=about)
        handle.seek(0)
        return handle.read()


def write_workbook(
    handle,
    title: str,
    columns: list[Column],
    rows: Iterable[list[Any]],
    sheet_rows: int = 0,
    about: list[tuple[str, str]] | None = None,
) -> None:
    """A workbook written row by row into the binary file ``handle`` (openpyxl's write-only mode): memory
    stays flat however many rows come. Bold headers and column widths as build_workbook; a sheet that fills
    up (Excel stops at 1,048,576 rows) continues on "title (2)", …. Every cell passes through sheet_row.
    ``about`` (label, value) pairs, such as the filters of an export, go on a last sheet ("导出说明")."""

    sheet_rows = sheet_rows or EXCEL_MAX_ROWS - 1
    workbook = Workbook(write_only=True)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    sheet, count, number = None, 0, 0

    def new_sheet():
        nonlocal number
        number += 1
        created = workbook.create_sheet(title[:27] if number == 1 else f"{title[:22]} ({number})")
        for index, column in enumerate(columns, start=1):
            created.column_dimensions[get_column_letter(index)].width = column.width
        created.freeze_panes = "A2"
        cells = []
        for column in columns:
            cell = WriteOnlyCell(created, value=sheet_cell(str(column.header)))
            cell.font, cell.fill = header_font, header_fill
            cells.append(cell)
        created.append(cells)
        return created

    for row in rows:
        if sheet is None or count == sheet_rows:
            sheet, count = new_sheet(), 0
        sheet.append(sheet_row(row))
        count += 1
    if sheet is None:
        new_sheet()
    if about:
        info = workbook.create_sheet(_("About this file"))
        info.column_dimensions["A"].width, info.column_dimensions["B"].width = 14, 80
        for label, value in about:
            info.append([str(label), neutralise(str(value))])
    workbook.save(handle)
