import csv
import datetime as dt
import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.accounts.roles import Cap
from shegong.audit.presenters import EVENT_LABELS, local_time, present_all
from shegong.audit.selectors import audit_list
from shegong.audit.services import Event, audit_event
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME, Column, neutralise, write_workbook

CHUNK = 2000
XLSX_LIMIT = 50_000
COLUMNS = [  # (key of a presented row, header, width in the workbook)
    ("time", gettext_lazy("Time"), 20),
    ("user", gettext_lazy("User"), 14),
    ("ip", gettext_lazy("IP address"), 16),
    ("event", gettext_lazy("Event"), 12),
    ("object_type", gettext_lazy("Object type"), 14),
    ("object", gettext_lazy("Object"), 24),
    ("changes", gettext_lazy("Changed fields"), 60),
    ("outcome", gettext_lazy("Outcome"), 8),
]


def _filters(request) -> tuple[dict, list[str]]:
    errors = []
    params = {"search": request.GET.get("q", "").strip()[:100], "event": request.GET.get("event", "")}
    if params["event"] not in EVENT_LABELS:
        params["event"] = ""
    for key in ("date_from", "date_to"):
        raw = request.GET.get(key, "").strip()
        params[key] = None
        if raw:
            try:
                params[key] = dt.date.fromisoformat(raw)
            except ValueError:
                errors.append(_("“%(value)s” is not a date like 2025-03-31.") % {"value": raw})
    return params, errors


def _filters_named(params: dict) -> str:
    """The filters of an export in words, written into the file so that a printed or forwarded trail says
    what it is a selection of: “事件：登录；从：2026-12-01；到：2026-12-06”."""
    parts = []
    if params["search"]:
        parts.append(f"{_('User, object or IP address')}：{params['search']}")
    if params["event"]:
        parts.append(f"{_('Event')}：{EVENT_LABELS[params['event']]}")
    if params["date_from"]:
        parts.append(f"{_('From')}：{params['date_from']:%Y-%m-%d}")
    if params["date_to"]:
        parts.append(f"{_('To')}：{params['date_to']:%Y-%m-%d}")
    return "；".join(parts) or _("none (the whole trail)")


@capability_required(Cap.AUDIT_VIEW)
def audit_list_view(request):
    params, errors = _filters(request)
    page = Paginator(audit_list(user=request.user, **params), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": present_all(page.object_list),
            "params": params,
            "errors": errors,
            "events": EVENT_LABELS.items(),
            "query": request.GET.urlencode(),
        },
    )


def _rows(qs):
    """Presented rows, a chunk at a time: each chunk's foreign keys are named in a few queries, and a year's
    trail never has to fit in memory."""
    chunk = []
    for entry in qs.iterator(chunk_size=CHUNK):
        chunk.append(entry)
        if len(chunk) == CHUNK:
            yield from present_all(chunk)
            chunk = []
    yield from present_all(chunk)


def _export(request, fmt: str):
    params, _errors = _filters(request)
    qs = audit_list(user=request.user, **params)
    if fmt == "xlsx" and qs[XLSX_LIMIT : XLSX_LIMIT + 1].exists():
        # A workbook is sent only once it is complete (about 12 s per 20,000 rows, measured): beyond the limit
        # the proxy would time out first. The CSV streams as it is written and has no limit.
        messages.error(
            request,
            _("More than %(limit)d entries match: narrow the dates or the search for Excel, or export CSV.")
            % {"limit": XLSX_LIMIT},
        )
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    audit_event(
        event=Event.EXPORT,
        request=request,
        detail={"what": "audit", "format": fmt, "filters": request.GET.urlencode()},
    )
    about = [
        (_("Filters"), _filters_named(params)),
        (_("Exported by"), request.user.get_username()),
        (_("Exported at"), local_time(timezone.now())),
    ]
    headers = [str(header) for _key, header, _width in COLUMNS]
    lines = ([neutralise(row[key]) for key, _h, _w in COLUMNS] for row in _rows(qs))
    name = f"audit-trail-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        # Written row by row to a temporary file and sent from it: memory stays flat for a year's trail.
        handle = tempfile.TemporaryFile()
        columns = [
            Column(key, header, width=width)
            for (key, _h, width), header in zip(COLUMNS, headers, strict=True)
        ]
        write_workbook(handle, _("Audit trail"), columns, lines, about=about)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_MIME)
    response = StreamingHttpResponse(_csv(about, headers, lines), content_type="text/csv; charset=utf-8")
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


@capability_required(Cap.AUDIT_VIEW)
def audit_export(request):
    """The filtered trail as CSV."""
    return _export(request, "csv")


@capability_required(Cap.AUDIT_VIEW)
def audit_export_xlsx(request):
    """The filtered trail as an Excel workbook; the filters are on a second sheet."""
    return _export(request, "xlsx")
