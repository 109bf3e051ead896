"""A streamed export of service records (CSV), in constant memory.

There was no export of service records; this one is what the benchmark measures: rows come from a
server-side cursor (QuerySet.iterator) in chunks and leave as text lines, so neither the queryset nor the
file is ever held whole. Wrap it in a StreamingHttpResponse to serve it.
"""

import csv
import io

from django.http import StreamingHttpResponse

from shegong.accounts.roles import Cap
from shegong.casework.models import ServiceRecord
from shegong.lib.scoping import code_prefix_q, scope_to_user

COLUMNS = [
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
]


def service_record_lines(*, user, region: str = "", limit: int | None = None, chunk_size: int = 2000):
    """Yield the CSV header and one line per service record in the user's scope (and ``region``)."""
    qs = scope_to_user(ServiceRecord.objects.all(), user, Cap.DATA_VIEW)
    if region:
        qs = qs.filter(code_prefix_q("station__region_id", region))
    qs = qs.order_by("id").values_list(*COLUMNS)
    if limit:
        qs = qs[:limit]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for n, row in enumerate(qs.iterator(chunk_size=chunk_size), start=1):
        writer.writerow(row)
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def service_record_response(*, user, region: str = "") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        service_record_lines(user=user, region=region), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="service-records.csv"'
    return response
