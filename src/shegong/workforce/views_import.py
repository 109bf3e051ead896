"""The old import pages and templates of the workforce: they lead to the import engine's (lib/importer)."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.workforce import selectors

# The old import pages lead to the one import engine (lib/importer), on the page of the same ledger.
LEDGERS = {
    "workers": "workforce.workers",
    "certificates": "workforce.certificates",
    "attendance": "workforce.attendance",
}


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
