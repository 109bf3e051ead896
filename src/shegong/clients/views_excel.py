"""Excel pages for people served: the imports (pages of the import engine) and the roster check (a background
job)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.clients import selectors
from shegong.clients.forms import RosterForm
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.http import client_ip
from shegong.lib.importer.old_pages import ledger_pages

# The people and visit ledgers are imported through the import engine (issue 15): its pages for the ledgers.
person_import, person_template = ledger_pages(Cap.DATA_EDIT, "clients.people")
visit_import, visit_template = ledger_pages(Cap.DATA_EDIT, "clients.visits")


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def roster_check(request):
    categories = selectors.category_list(user=request.user)
    form = RosterForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        category = form.cleaned_data["category"]
        job = job_start(
            actor=request.user,
            kind="clients.roster_check",
            title=_("Roster check: %(name)s") % {"name": upload.name},
            params={"category": category.pk if category else None, "days": form.cleaned_data["days"]},
            input_name=upload.name,
            input_file=upload,
            remote_addr=client_ip(request),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "clients/roster.html", {"form": form})
