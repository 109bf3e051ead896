"""Excel in and out (openpyxl): templates with headers and dropdowns, and validated reading.

Every import in Shegong reads its sheet through :func:`read_rows`, so every import reports errors the same
way: the row number as Excel shows it, the column's Chinese header, and what is wrong.
"""

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation


class SheetError(Exception):
    """The file as a whole cannot be read (not an xlsx, wrong headers)."""


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
    data: bytes, columns: list[Column], progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[int, dict, list[RowError]]]:
    """Yield (excel row number, values, errors) for every non-empty data row of the first sheet.

    The first row must hold the columns' headers (in any order; extra columns are ignored)."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise SheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
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
    for offset, row in enumerate(rows):
        number = offset + 2
        if progress and offset % 200 == 0:
            progress(offset, total)
        if row is None or all(_as_text(v) == "" for v in row):
            continue
        values, errors = {}, []
        for column in columns:
            index = positions[_narrow(str(column.header))]
            raw = row[index] if index < len(row) else None
            value, error = _convert(column, raw)
            if error:
                errors.append(RowError(number, column.header, error))
            values[column.key] = value
        yield number, values, errors
    if progress:
        progress(total, total)
    workbook.close()


def neutralise(value):
    """Spreadsheet formula injection: a text cell starting with = + - @ (or a tab or carriage return) would be
    run as a formula by Excel; a leading quote makes it plain text. Every export passes its cells here."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def build_workbook(
    title: str, columns: list[Column], rows: list[list[Any]] | None = None, note: str = ""
) -> bytes:
    """A workbook with one sheet: bold headers, sized columns, dropdowns for choice columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows or []:
        sheet.append([neutralise(str(value) if isinstance(value, Promise) else value) for value in row])
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
                lists.cell(row=row_number, column=index, value=choice)
            source = f"_lists!${letter}$1:${letter}${len(column.choices)}"
            validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
            validation.error = _("Choose a value from the list.")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}10000")
    sheet.freeze_panes = "A2"
    if note:
        info = workbook.create_sheet(_("Instructions"))
        for line in note.splitlines():
            info.append([line])
        info.column_dimensions["A"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
