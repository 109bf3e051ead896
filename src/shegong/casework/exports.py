"""The export of service records: a CSV streamed from a server-side cursor, in constant memory.

A province holds tens of millions of records, so this export is not built as a workbook in memory (an Excel
sheet also stops at 1,048,576 rows): rows come from the scoped selector in chunks (``QuerySet.iterator``)
and leave as UTF-8 text with a byte-order mark, which Excel opens with the Chinese intact. Text cells are
neutralised against formula injection like every export of ours. `shegong bench` measures it.
"""

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _

from shegong.casework.models import ServiceMode
from shegong.casework.selectors import service_record_list
from shegong.lib.excel import neutralise

FIELDS = [
    "id",
    "served_on",
    "station__region_id",
    "station__name",
    "item__name",
    "person__name",
    "group_name",
    "participants",
    "duration_minutes",
    "mode",
    "worker__full_name",
]


def headers() -> list[str]:
    return [
        _("Record number"),
        _("Date of service"),
        _("Division code"),
        _("Station"),
        _("Service item"),
        _("Person served"),
        _("Group"),
        _("Person-times"),
        _("Duration (minutes)"),
        _("Mode"),
        _("Worker"),
    ]


def service_record_lines(
    *,
    user,
    region: str = "",
    item: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
    chunk_size: int = 2000,
):
    """Yield the CSV (BOM and header first), a few hundred lines at a time, for the records the user may see."""
    qs = service_record_list(user=user, region=region, item=item, since=since, until=until)
    qs = qs.select_related(None).order_by("id").values_list(*FIELDS)
    if limit:
        qs = qs[:limit]
    modes = {value: str(label) for value, label in ServiceMode.choices}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers())
    for n, row in enumerate(qs.iterator(chunk_size=chunk_size), start=1):
        row = list(row)
        row[1] = row[1].isoformat()
        row[9] = modes.get(row[9], row[9])
        writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
