"""Excel pages for people served: templates, imports, the export and the roster check (all background jobs)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.clients import imports, selectors
from shegong.clients.forms import RosterForm, UploadForm
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def _upload_page(request, *, kind: str, title: str, template_url: str, heading: str):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            actor=request.user,
            kind=kind,
            title=title % {"name": upload.name},
            input_name=upload.name,
            input_file=upload,
            remote_addr=client_ip(request),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "clients/import.html",
        {"form": form, "template_url": template_url, "heading": heading, "kind": kind},
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def person_import(request):

    return _upload_page(
        request,
        kind="clients.person_import",
        title=_("People import: %(name)s"),
        template_url=reverse("clients:person_template"),
        heading=_("Import people served"),
    )


@capability_required(Cap.DATA_EDIT)
def person_template(request):
    return _xlsx(imports.person_template(user=request.user), "people-template.xlsx")


@capability_required(Cap.DATA_EDIT)
def visit_import(request):
    """The visit ledger is imported through the import engine (issue 15): its page for the ledger."""

    return redirect(f"{reverse('importer:index')}?ledger=clients.visits")


@capability_required(Cap.DATA_EDIT)
def visit_template(request):
    return redirect("importer:template", ledger="clients.visits")


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
