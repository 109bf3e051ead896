import datetime as dt

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.audit.presenters import EVENT_LABELS, present
from shegong.audit.selectors import audit_list
from shegong.audit.services import Event, audit_event
from shegong.lib.decorators import capability_required
from shegong.lib.excel import neutralise


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


@capability_required(Cap.AUDIT_VIEW)
def audit_list_view(request):
    params, errors = _filters(request)
    page = Paginator(audit_list(user=request.user, **params), 50).get_page(request.GET.get("page"))
    rows = [present(entry) for entry in page.object_list]
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "rows": rows,
            "params": params,
            "errors": errors,
            "events": EVENT_LABELS.items(),
            "query": request.GET.urlencode(),
        },
    )


@capability_required(Cap.AUDIT_VIEW)
def audit_export(request):
    """The filtered trail as CSV with a BOM (Excel opens it in Chinese), streamed row by row so that a
    year's trail does not have to fit in memory."""
    import csv

    params, _errors = _filters(request)
    qs = audit_list(user=request.user, **params)
    audit_event(
        event=Event.EXPORT, request=request, detail={"what": "audit", "filters": request.GET.urlencode()}
    )

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    headers = [
        _("Time"),
        _("User"),
        _("IP address"),
        _("Event"),
        _("Object type"),
        _("Object"),
        _("Changed fields"),
        _("Outcome"),
    ]

    def rows():
        yield "\ufeff" + writer.writerow(headers)
        for entry in qs.iterator(chunk_size=2000):
            item = present(entry)
            values = [
                timezone.localtime(item["time"]).strftime("%Y-%m-%d %H:%M:%S"),
                item["user"],
                item["ip"],
                item["event"],
                item["object_type"],
                item["object"],
                item["changes"],
                item["outcome"],
            ]
            yield writer.writerow([neutralise(value) for value in values])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=audit-trail.csv"
    return response
