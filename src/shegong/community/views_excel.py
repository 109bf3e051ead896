"""The old addresses of the community's Excel pages: uploads and templates lead to the import engine (issue 15),
exports to the one export path of lists (lib/lists.py)."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.importer.old_pages import kind_pages

# The old upload page and templates lead to the import engine's page for the ledger.
LEDGERS = {
    "volunteers": "community.volunteers",
    "hours": "community.hours",
    "donations": "community.donations",
    "activities": "community.activities",
}
import_page, template_download = kind_pages(Cap.DATA_EDIT, LEDGERS, "volunteers")


@capability_required(Cap.DATA_VIEW)
def export(request, kind: str):
    """The old address of the community exports: the one export path of lists (lib/lists.py) now writes them,
    with every row, the filters named in the file and the same audit row."""
    if kind not in ("volunteers", "activities", "hours", "donations", "groups", "organisations"):
        raise Http404
    target = reverse("core:list_export", args=[f"community.{kind}"])
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)
