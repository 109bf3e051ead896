"""The worker export; the old import pages and templates lead to the import engine's (lib/importer)."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.personal_data import ClearExportForm, audit_clear_export, clear_export_page
from shegong.workforce import exports, selectors
from shegong.workforce.forms import FilterForm

# The old import pages lead to the one import engine (lib/importer), on the page of the same ledger.
LEDGERS = {
    "workers": "workforce.workers",
    "certificates": "workforce.certificates",
    "attendance": "workforce.attendance",
}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def _engine_page(kind: str):
    return redirect(
        reverse("importer:index") + "?" + urlencode({"ledger": LEDGERS.get(kind, LEDGERS["workers"])})
    )


@capability_required(Cap.DATA_EDIT)
def template_download(request, kind: str):
    if kind not in LEDGERS:
        raise Http404
    return redirect("importer:template", ledger=LEDGERS[kind])


@capability_required(Cap.DATA_EDIT)
def import_page(request):
    return _engine_page(request.GET.get("kind") or "workers")


@capability_required(Cap.DATA_EDIT)
def attendance_import(request, pk: int):
    selectors.training_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    return _engine_page("attendance")


def _exported_workers(request, data) -> tuple[list, dict]:
    """The workers of the filtered list (at most 20,000) and the filters named in the audit row."""
    form = FilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    workers = list(
        selectors.worker_list(
            user=request.user,
            region=filters.get("region", ""),
            search=filters.get("q", ""),
            status=filters.get("status", "") or "",
            employment_type=filters.get("employment_type", ""),
            level=filters.get("level", ""),
        )[:20000]
    )
    return workers, {k: v for k, v in filters.items() if v and k != "q"}


@never_cache
@capability_required(Cap.DATA_VIEW)
def worker_export(request):
    """The filtered worker list as Excel, ID numbers and phones masked for every role; audited."""
    workers, filters = _exported_workers(request, request.GET)
    audit_event(
        event=Event.EXPORT,
        request=request,
        detail={"what": "workforce.workers", "rows": len(workers), "clear_pii": False, "filters": filters},
    )
    return _xlsx(exports.worker_export(workers=workers, clear=False), "workers.xlsx")


@never_cache
@capability_required(Cap.PII_VIEW)
@require_http_methods(["GET", "POST"])
def worker_export_clear(request):
    """The same export with ID numbers and phones in clear: its own action, for roles that may see personal
    data, with a stated purpose written to the audit trail (lib/personal_data.py)."""
    form = ClearExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workers, filters = _exported_workers(request, request.POST)
        purpose = form.cleaned_data["purpose"]
        audit_clear_export(
            user=request.user, request=request, what="workforce.workers", rows=len(workers), purpose=purpose
        )
        return _xlsx(exports.worker_export(workers=workers, clear=True), "workers.xlsx")
    data = request.POST if request.method == "POST" else request.GET
    carry = {name: data.get(name, "") for name in FilterForm.base_fields}
    heading = _("Export social workers with ID numbers and phones in clear")
    return clear_export_page(request, form, heading=heading, carry=carry)
