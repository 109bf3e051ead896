import csv

from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.audit.lists import TRAIL
from shegong.audit.services import Event, audit_event
from shegong.lib.decorators import capability_required
from shegong.lib.excel import neutralise


@capability_required(Cap.AUDIT_VIEW)
def audit_list_view(request):
    return TRAIL.page(request, "audit/list.html")


@capability_required(Cap.AUDIT_VIEW)
def audit_export(request):
    """The filtered trail as CSV, streamed row by row as it is written: a year's trail has no limit (the Excel
    export is the one of every list, lib/lists.py)."""
    filters = TRAIL.filter(request.GET, request.user, request)
    if not filters.is_valid():  # the page names the field in error
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    audit_event(
        event=Event.EXPORT,
        request=request,
        detail={"what": TRAIL.name, "format": "csv", "filters": request.GET.urlencode()},
    )
    about = [
        *[(_("Filter: %(name)s") % {"name": label}, value) for label, value in filters.named()],
        (_("Exported by"), request.user.get_username()),
        (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")),
    ]
    columns, lines = TRAIL.export_rows(filters.qs, clear=False)
    headers = [column.header for column in columns]
    body = _csv(about, headers, ([neutralise(str(cell)) for cell in line] for line in lines))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"{TRAIL.filename}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _csv(about, headers, lines):
    """CSV with a BOM (Excel opens it in Chinese), streamed row by row: the filters first, a blank line,
    then the table."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    yield "\ufeff"
    for label, value in about:
        yield writer.writerow([label, neutralise(value)])
    yield writer.writerow([])
    yield writer.writerow(headers)
    for line in lines:
        yield writer.writerow(line)
