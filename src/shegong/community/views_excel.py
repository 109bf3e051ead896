"""Exports of community records; the old upload page and templates lead to the import engine."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.community import exports, selectors
from shegong.community.views import parse_date
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME

# The old upload page and templates lead to the import engine's page for the ledger (issue 15).
LEDGERS = {
    "volunteers": "community.volunteers",
    "hours": "community.hours",
    "donations": "community.donations",
    "activities": "community.activities",
}
EXPORT_LIMIT = 20000


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@capability_required(Cap.DATA_EDIT)
def template_download(request, kind: str):
    if kind not in LEDGERS:
        raise Http404
    return redirect("importer:template", ledger=LEDGERS[kind])


@capability_required(Cap.DATA_EDIT)
def import_page(request):
    kind = request.GET.get("kind") or "volunteers"
    ledger = LEDGERS.get(kind, LEDGERS["volunteers"])
    return redirect(f"{reverse('importer:index')}?ledger={ledger}")


@never_cache
@capability_required(Cap.DATA_VIEW)
def export(request, kind: str):
    """Records as Excel, filtered as the list page was; ID numbers and phones masked. Audited."""
    g = request.GET
    region = g.get("region", "").strip()[:12]
    since, until = parse_date(g.get("since", "")), parse_date(g.get("until", ""))
    user = request.user
    if kind == "volunteers":
        rows = selectors.volunteer_list(
            user=user, region=region, search=g.get("q", "")[:40], status=g.get("status", "")
        )
        build = exports.export_volunteers
    elif kind == "activities":
        rows = selectors.activity_list(
            user=user, region=region, kind=g.get("kind", ""), since=since, until=until
        )
        build = exports.export_activities
    elif kind == "hours":
        rows = selectors.signup_list(user=user, region=region, status="confirmed", since=since, until=until)
        build = exports.export_hours
    elif kind == "donations":
        rows = selectors.donation_list(user=user, region=region, since=since, until=until)
        build = exports.export_donations
    else:
        raise Http404
    rows = list(rows[:EXPORT_LIMIT])
    audit_event(event=Event.EXPORT, request=request, detail={"what": f"community.{kind}", "rows": len(rows)})
    return _xlsx(build(rows), f"{kind}.xlsx")
