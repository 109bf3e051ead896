"""Pages of the Excel import: template, upload, preview with every row's problems, confirmation."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.jobs.models import Job
from shegong.jobs.selectors import job_get
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip
from shegong.network.forms import UploadForm
from shegong.network.imports import IMPORT_KIND, station_template


@capability_required(Cap.NETWORK_MANAGE)
def import_template(request):
    response = HttpResponse(station_template(), content_type=XLSX_MIME)
    response["Content-Disposition"] = "attachment; filename=stations-template.xlsx"
    return response


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            actor=request.user,
            kind=IMPORT_KIND,
            title=_("Facility import (check): %(name)s") % {"name": upload.name},
            params={"commit": False},
            input_name=upload.name,
            input_file=upload,
            remote_addr=client_ip(request),
        )
        return redirect("network:import_preview", job_id=job.pk)
    return render(request, "network/import.html", {"form": form})


def _import_job(request, job_id):
    job = job_get(user=request.user, job_id=job_id)
    if job.kind != IMPORT_KIND:
        raise Http404
    return job


@capability_required(Cap.NETWORK_MANAGE)
def import_preview(request, job_id):
    job = _import_job(request, job_id)
    template = (
        "network/_import_status.html" if request.headers.get("HX-Request") else "network/import_preview.html"
    )
    return render(request, template, {"job": job})


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def import_confirm(request, job_id):
    """Write the checked file: a second job re-checks every row (the registry may have changed since the
    preview) and writes all rows in one transaction."""
    job = _import_job(request, job_id)
    if not job.result.get("ok") or job.params.get("commit"):
        raise Http404
    earlier = Job.objects.filter(
        kind=IMPORT_KIND, created_by=request.user, params__checked_by=str(job.pk)
    ).first()
    if earlier is not None:
        # A second click on "confirm" shows the write already under way instead of writing twice.
        return redirect("network:import_preview", job_id=earlier.pk)
    if not job.input_file:
        raise Http404  # the checked file was pruned (prune_jobs): the user uploads it again
    write = job_start(
        actor=request.user,
        kind=IMPORT_KIND,
        title=_("Facility import: %(name)s") % {"name": job.input_name},
        params={"commit": True, "checked_by": str(job.pk)},
        input_name=job.input_name,
        input_file=job.input_file,
        remote_addr=client_ip(request),
    )
    job.forget_input()  # the confirmation job has its own copy
    return redirect("network:import_preview", job_id=write.pk)
