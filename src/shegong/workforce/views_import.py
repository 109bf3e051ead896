"""Excel templates, uploads (run as background jobs) and the worker export."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip
from shegong.workforce import imports, selectors
from shegong.workforce.forms import UploadForm

TEMPLATES = {
    "workers": (imports.worker_template, "worker-template.xlsx"),
    "certificates": (imports.certificate_template, "certificate-template.xlsx"),
    "attendance": (imports.attendance_template, "attendance-template.xlsx"),
}
KINDS = {"workers": "workforce.worker_import", "certificates": "workforce.certificate_import"}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@capability_required(Cap.DATA_EDIT)
def template_download(request, kind: str):
    if kind not in TEMPLATES:
        from django.http import Http404

        raise Http404
    build, filename = TEMPLATES[kind]
    return _xlsx(build(), filename)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not request.user.can(Cap.JOBS_USE):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind") or "workers"
    kind = kind if kind in KINDS else "workers"
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        titles = {"workers": _("Worker import: %(name)s"), "certificates": _("Certificate import: %(name)s")}
        job = job_start(
            actor=request.user,
            kind=KINDS[kind],
            title=titles[kind] % {"name": upload.name},
            input_name=upload.name,
            input_file=upload,
            remote_addr=client_ip(request),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "workforce/import.html", {"form": form, "kind": kind})


@capability_required(Cap.DATA_EDIT)
@require_POST
def attendance_import(request, pk: int):
    session = selectors.training_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    if not request.user.can(Cap.JOBS_USE):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        from django.contrib import messages

        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("workforce:training_detail", pk=session.pk)
    upload = form.cleaned_data["file"]
    job = job_start(
        actor=request.user,
        kind="workforce.attendance_import",
        title=_("Attendance import: %(name)s") % {"name": upload.name},
        params={"session": session.pk},
        input_name=upload.name,
        input_file=upload,
        remote_addr=client_ip(request),
    )
    return redirect("jobs:detail", job_id=job.pk)
