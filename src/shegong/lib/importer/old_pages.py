"""The old import pages and templates of the domains, at their old addresses: each leads to the import
engine's page or template of the same ledger (issue 15)."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from shegong.lib.decorators import capability_required


def engine_page(ledger: str):
    """The redirect to the import engine's page for ``ledger``."""
    return redirect(reverse("importer:index") + "?" + urlencode({"ledger": ledger}))


def ledger_pages(capability: str, ledger: str):
    """The old upload page and template of one ledger, for a user with ``capability``: (page, template)."""

    @capability_required(capability)
    def page(request):
        return engine_page(ledger)

    @capability_required(capability)
    def template(request):
        return redirect("importer:template", ledger=ledger)

    return page, template


def kind_pages(capability: str, ledgers: dict[str, str], default: str):
    """The old upload page and template of a domain's ledgers, named by ``kind`` (``ledgers``: kind → ledger):
    the page takes ``?kind=`` (``default`` when absent or unknown), the template ``kind`` from its address (404
    for an unknown one). (page, template)."""

    @capability_required(capability)
    def page(request):
        return engine_page(ledgers.get(request.GET.get("kind") or default, ledgers[default]))

    @capability_required(capability)
    def template(request, kind: str):
        if kind not in ledgers:
            raise Http404
        return redirect("importer:template", ledger=ledgers[kind])

    return page, template
