"""The old import pages and templates of the workforce: they lead to the import engine's (lib/importer)."""

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.importer.old_pages import engine_page, kind_pages
from shegong.workforce import selectors

# The old import pages lead to the one import engine (lib/importer), on the page of the same ledger.
LEDGERS = {
    "workers": "workforce.workers",
    "certificates": "workforce.certificates",
    "attendance": "workforce.attendance",
}
import_page, template_download = kind_pages(Cap.DATA_EDIT, LEDGERS, "workers")


@capability_required(Cap.DATA_EDIT)
def attendance_import(request, pk: int):
    selectors.training_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    return engine_page(LEDGERS["attendance"])
