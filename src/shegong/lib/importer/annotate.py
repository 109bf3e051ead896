"""The user's own workbook with the errors marked: each bad cell filled red with a comment, and a column
“错误说明” at the right of each bad row, so the clerk corrects in place and uploads again.

An .xlsx of ordinary size is opened and annotated as it is (its formatting, titles and other sheets kept);
a CSV, an .xls or a very large workbook is written out again, cell for cell, as an .xlsx.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from shegong.lib.escape import sheet_cell

BAD = PatternFill("solid", fgColor="FFC7CE")
IN_PLACE_MAX_BYTES = 5 * 1024 * 1024


def _marks(outcome) -> dict[int, dict[int | None, list[str]]]:
    """Excel row → column index (None: the row as a whole) → messages."""
    columns = {key: j for j, key in outcome.layout.columns.items()}
    marks: dict[int, dict] = {}
    for row in outcome.bad_rows:
        cells = marks.setdefault(row.number, {})
        for key, message in row.errors:
            cells.setdefault(columns.get(key), []).append(message)
    return marks


def annotated_workbook(data: bytes, outcome) -> bytes:
    layout = outcome.layout
    marks = _marks(outcome)
    workbook = None
    if outcome.book_kind == "xlsx" and len(data) <= IN_PLACE_MAX_BYTES:
        try:
            workbook = load_workbook(io.BytesIO(data))
            sheet = workbook[layout.sheet.name]
        except Exception:  # noqa: BLE001 - fall back to writing the cells out again
            workbook = None
    if workbook is None:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (layout.sheet.name or "Sheet")[:31]
        for row in layout.sheet.rows:
            sheet.append([sheet_cell(v) for v in row] or [None])
    width = max((len(r) for r in layout.sheet.rows), default=1)
    note_column = max(sheet.max_column, width) + 1
    header = sheet.cell(row=layout.header_last + 1, column=note_column, value=_("Errors"))
    header.font, header.fill = Font(bold=True, color="9C0006"), BAD
    for number, cells in marks.items():
        lines = []
        for j, messages in cells.items():
            if j is not None:
                cell = sheet.cell(row=number, column=j + 1)
                cell.fill = BAD
                cell.comment = Comment("\n".join(messages), "Shegong")
                column = layout.headers.get(j, "")
                lines += [f"{column}：{m}" for m in messages]
            else:
                lines += messages
        note = sheet.cell(row=number, column=note_column, value=sheet_cell("；".join(lines)))
        note.font = Font(color="9C0006")
    sheet.column_dimensions[sheet.cell(row=1, column=note_column).column_letter].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
