"""A corpus of realistic messy ledgers, built in code (openpyxl, csv): what a county brings on its first day.

Each builder returns the file's bytes. The people, villages and workers they name are made by ``county_world``
(in the tests' conftest), in 兴义市 (522301): township 黄草街道 (522301001) and its villages.
"""

import csv
import datetime as dt
import io
import zipfile

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter


def xlsx(rows, *, title_rows=(), merged=(), number_format_text=(), sheets=None) -> bytes:
    """A workbook: ``title_rows`` above ``rows``, ``merged`` ranges ("A1:H1"), extra ``sheets`` {name: rows}."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    for ref in merged:
        sheet.merge_cells(ref)
    for name, extra in (sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in extra:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def titled_ledger(header, rows, *titles) -> bytes:
    """A ledger as a county keeps it: each of ``titles`` a row above ``header``, merged across the header's width."""
    last = get_column_letter(len(header))
    return xlsx(
        [header, *rows],
        title_rows=[[title] for title in titles],
        merged=[f"A{n}:{last}{n}" for n in range(1, len(titles) + 1)],
    )


def csv_bytes(rows, encoding="gbk", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buffer.getvalue()
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def zip_bomb() -> bytes:
    """An .xlsx of a few hundred kilobytes whose one sheet inflates to 300 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")
    return buffer.getvalue()


def today_minus(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def errors_by_row(job, *fields: str) -> dict[int, list[str]]:
    """A finished import job's errors by row number, each as its ``fields`` joined by ":" (by default its
    message; "text" is the cell as written, "column" the column's header)."""
    found: dict[int, list[str]] = {}
    for error in job.result["errors"]:
        found.setdefault(error["row"], []).append(
            ":".join(str(error.get(f, "")) for f in fields or ("message",))
        )
    return found


def assert_blank_template(client, ledger: str, first_header: str) -> None:
    """The ledger's template (as the logged-in ``client`` downloads it): the header, dropdowns, and no row
    below the header that could be imported by mistake."""
    from openpyxl import load_workbook

    response = client.get(f"/imports/ledger/{ledger}/template/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == first_header
    assert all(cell.value is None for row in sheet.iter_rows(min_row=2) for cell in row)
    assert sheet.data_validations.dataValidation
