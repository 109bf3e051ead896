"""The old addresses of the community's Excel pages: uploads and templates lead to the import engine (issue 15),
exports to the one export path of lists (lib/lists.py)."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required

# The old upload page and templates lead to the import engine's page for the ledger.
LEDGERS = {
    "volunteers": "community.volunteers",
    "hours": "community.hours",
    "donations": "community.donations",
    "activities": "community.activities",
}


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


@capability_required(Cap.DATA_VIEW)
def export(request, kind: str):
    """The old address of the community exports: the one export path of lists (lib/lists.py) now writes them,
    with every row, the filters named in the file and the same audit row."""
    if kind not in ("volunteers", "activities", "hours", "donations", "groups", "organisations"):
        raise Http404
    target = reverse("core:list_export", args=[f"community.{kind}"])
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)
