"""Excel pages for people served: templates, imports, the export and the roster check (all background jobs)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.clients import imports, selectors
from shegong.clients.forms import RosterForm, UploadForm
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip
from shegong.lib.personal_data import ClearExportForm, clear_export_page


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
    from django.urls import reverse

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
    from django.urls import reverse

    return redirect(f"{reverse('importer:index')}?ledger=clients.visits")


@capability_required(Cap.DATA_EDIT)
def visit_template(request):
    return redirect("importer:template", ledger="clients.visits")


@capability_required(Cap.JOBS_USE)
@require_POST
def person_export(request):
    """The people of the jurisdiction (or a region in it, 404 outside) as Excel, ID numbers and phones masked."""
    region = selectors.area_for(user=request.user, region=request.POST.get("region", ""))
    job = job_start(
        actor=request.user,
        kind="clients.person_export",
        title=_("People served export"),
        params={"region": region},
        remote_addr=client_ip(request),
    )
    return redirect("jobs:detail", job_id=job.pk)


@capability_required(Cap.PII_VIEW)
@require_http_methods(["GET", "POST"])
def person_export_clear(request):
    """The same export with ID numbers and phones in clear: its own action, for roles that may see personal
    data, with a stated purpose written to the audit trail (lib/personal_data.py)."""
    if not request.user.can(Cap.JOBS_USE):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    region = selectors.area_for(user=request.user, region=data.get("region", ""))
    form = ClearExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(
            actor=request.user,
            kind="clients.person_export",
            title=_("People served export in clear"),
            params={"region": region, "clear": True, "purpose": form.cleaned_data["purpose"]},
        )
        return redirect("jobs:detail", job_id=job.pk)
    heading = _("Export people served with ID numbers and phones in clear")
    return clear_export_page(request, form, heading=heading, carry={"region": data.get("region", "")})


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
