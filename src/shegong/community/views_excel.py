"""Excel templates, uploads (run as background jobs) and exports of community records."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.community import imports
from shegong.community.forms import UploadForm
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip

KINDS = {
    "volunteers": "community.volunteer_import",
    "hours": "community.hours_import",
    "donations": "community.donation_import",
}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@capability_required(Cap.DATA_EDIT)
def template_download(request, kind: str):
    if kind not in KINDS:
        raise Http404
    return _xlsx(imports.template(kind), f"{kind}-template.xlsx")


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not request.user.can(Cap.JOBS_USE):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind") or "volunteers"
    kind = kind if kind in KINDS else "volunteers"
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            actor=request.user,
            kind=KINDS[kind],
            title=_("%(what)s import: %(name)s") % {"what": imports.TITLES[kind], "name": upload.name},
            input_name=upload.name,
            input_file=upload,
            remote_addr=client_ip(request),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "community/import.html",
        {
            "form": form,
            "kind": kind,
            "kinds": [(k, imports.TITLES[k]) for k in KINDS],
            "note": imports.NOTES[kind],
        },
    )


@capability_required(Cap.DATA_VIEW)
def export(request, kind: str):
    """The old address of the community exports: the one export path of lists (lib/lists.py) now writes them,
    with every row, the filters named in the file and the same audit row."""
    if kind not in ("volunteers", "activities", "hours", "donations", "groups", "organisations"):
        raise Http404
    target = reverse("core:list_export", args=[f"community.{kind}"])
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)
